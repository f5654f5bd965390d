//! Database faults answer quickly and say what is wrong: a stalled PostgreSQL link (a proxy
//! that stops forwarding while the socket stays open) and a full disk.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::{
    Backend, assert_problem, firm_body, spawn_app_with, spawn_postgres_app_with, uscc,
};

/// A TCP proxy in front of PostgreSQL that, on command, stops forwarding in both directions
/// while keeping every socket open: what a dead link or a hung middlebox looks like.
/// It runs on its own runtime: the app connects through it while the test's thread is busy
/// starting the app.
struct StallingProxy {
    port: u16,
    stalled: Arc<AtomicBool>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl StallingProxy {
    fn start(upstream: String) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the proxy");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("addr").port();
        let stalled = Arc::new(AtomicBool::new(false));
        let tasks = Arc::new(Mutex::new(Vec::new()));
        let (flag, list) = (stalled.clone(), tasks.clone());
        let accept = runtime.spawn(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                let mut list = list.lock().expect("tasks");
                list.push(tokio::spawn(pump(client_read, server_write, flag.clone())));
                list.push(tokio::spawn(pump(server_read, client_write, flag.clone())));
            }
        });
        tasks.lock().expect("tasks").push(accept);
        Self {
            port,
            stalled,
            tasks,
            runtime: Some(runtime),
        }
    }

    fn stall(&self) {
        self.stalled.store(true, Ordering::SeqCst);
    }
}

impl Drop for StallingProxy {
    /// Closes every socket, so threads still blocked on the stalled link get an error.
    fn drop(&mut self) {
        for task in self.tasks.lock().expect("tasks").drain(..) {
            task.abort();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    stalled: Arc<AtomicBool>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if stalled.load(Ordering::SeqCst) {
            // Hold both sockets open and forward nothing, ever.
            std::future::pending::<()>().await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}

/// `url` with its host and port replaced by the proxy's.
fn through(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (user, rest) = rest.split_once('@').expect("user@host");
    let (_, path) = rest.split_once('/').expect("database");
    format!("{scheme}://{user}@127.0.0.1:{port}/{path}")
}

fn host_and_port(url: &str) -> String {
    let rest = url.split_once('@').expect("user@host").1;
    let authority = rest.split('/').next().expect("host");
    if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:5432")
    }
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn a_stalled_postgres_link_answers_503_with_retry_after_within_the_connection_timeout() {
    let admin = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let proxy = StallingProxy::start(host_and_port(&admin));
    let bound = Duration::from_millis(3_000);
    let app = spawn_postgres_app_with(|s| {
        s.database.connection_timeout_ms = bound.as_millis() as u64;
        s.database.url = through(&s.database.url, proxy.port);
    })
    .await;
    let browser = app.browser();
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.register(&firm_body()).await;

    proxy.stall();
    let mut body = firm_body();
    body["uscc"] = json!(uscc("320411MA1N0T001"));
    body["region_code"] = json!("320411");
    let firms = format!("{}/api/v1/firms", app.address);
    let requests = [
        (
            "/readyz",
            app.anonymous().get(format!("{}/readyz", app.address)),
        ),
        (
            "/metrics",
            app.client.get(format!("{}/metrics", app.address)),
        ),
        ("GET /api/v1/firms", app.client.get(&firms)),
        ("POST /api/v1/firms", app.client.post(&firms).json(&body)),
    ];
    for (what, request) in requests {
        let started = Instant::now();
        let response = request.send().await.expect("an answer");
        let took = started.elapsed();
        assert!(
            took < bound + Duration::from_secs(2),
            "{what} took {took:?}"
        );
        assert_eq!(response.headers()["retry-after"], "2", "{what}");
        assert_problem(response, 503, None).await;
    }
    let started = Instant::now();
    let page = browser
        .get(format!("{}/firms", app.address))
        .send()
        .await
        .expect("an answer");
    assert!(started.elapsed() < bound + Duration::from_secs(2));
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    let html = page.text().await.expect("html");
    assert!(html.contains("系统繁忙"), "{html}");
    drop(proxy);
}

/// The SQLite file may grow to this many pages (the test fills it to the brim).
const MAX_PAGES: u32 = 2_000;

/// Fills the database beside the app until it holds `MAX_PAGES` pages.
fn fill_to_the_brim(path: &str) {
    let mut conn = SqliteConnection::establish(path).expect("open the file");
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = 5000; PRAGMA max_page_count = {MAX_PAGES}; \
         CREATE TABLE filler (b BLOB);"
    ))
    .expect("filler table");
    for size in [1_000_000, 100_000, 10_000, 1_000, 100] {
        while conn
            .batch_execute(&format!("INSERT INTO filler VALUES (zeroblob({size}))"))
            .is_ok()
        {}
    }
}

#[actix_web::test]
async fn a_full_sqlite_disk_answers_503_naming_storage_and_reads_still_work() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.database.sqlite_max_page_count = Some(MAX_PAGES)
    })
    .await
    .expect("sqlite");
    app.register(&firm_body()).await;
    fill_to_the_brim(app.database_url.trim_start_matches("sqlite://"));

    // Pages the tables already have still take a few rows; registrations go on until one
    // needs a new page.
    let mut refusal = None;
    for n in 0..500 {
        let mut body = firm_body();
        body["uscc"] = json!(uscc(&format!("320411MA1N{n:05}")));
        body["region_code"] = json!("320411");
        let response = app.post_json("/api/v1/firms", &body).await;
        if response.status() != 201 {
            refusal = Some(response);
            break;
        }
    }
    let response = refusal.expect("a registration that needs a new page is refused");
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").cloned();
    let text = response.text().await.expect("body");
    assert_eq!(status, 503, "{text}");
    assert_eq!(
        retry_after.as_ref().map(|v| v.as_bytes()),
        Some(&b"2"[..]),
        "{text}"
    );
    let problem: serde_json::Value = serde_json::from_str(&text).expect("problem+json");
    assert_eq!(problem["type"], "/problems/storage-full", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("storage is full")),
        "{problem}"
    );

    assert_eq!(
        app.get("/api/v1/firms").await.status(),
        200,
        "reads still work"
    );
}
