//! `spawn_app`: a server on its own port and its own database, on SQLite or PostgreSQL.

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::{Value, json};
use tier_registry::configuration::Settings;
use tier_registry::domain::{Role, TokenScope};
use tier_registry::service::{Clock, Registry};
use tier_registry::startup::Application;

/// The backends every storage test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// "Now" for every test: 2025-06-30 in Beijing, so dates in tests are stable.
pub fn test_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-06-30T04:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

enum TestDatabase {
    Sqlite(#[expect(dead_code, reason = "kept alive until the test ends")] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// A running server and an HTTP client for it.
pub struct TestApp {
    pub address: String,
    /// Sends a write-scoped API token with every request (an editor's reach).
    pub client: reqwest::Client,
    /// The service the server runs on, for arranging accounts and tokens directly.
    pub registry: Registry,
    /// An editor's logged-in browser and its session's form token, made on first use.
    browser: std::sync::OnceLock<(reqwest::Client, String, String)>,
    /// An admin's logged-in browser and its form token, made on first use.
    admin_browser: std::sync::OnceLock<(reqwest::Client, String, String)>,
    pub database_url: String,
    /// The server's clock: moving it moves the running server's "now" (and `registry`'s).
    pub clock: Clock,
    _database: TestDatabase,
}

fn postgres_database() -> Option<(TestDatabase, String)> {
    let admin_url = std::env::var("TEST_DATABASE_URL").ok()?;
    let name = format!("tier_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnection::establish(&admin_url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but unreachable: {e}"));
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .expect("create the test database");
    // Test databases are thrown away: commits need not wait for the disk (the ledger oracle's
    // PostgreSQL run took half the time). The server only warns about it (`check_durability`).
    diesel::sql_query(format!(
        "ALTER DATABASE \"{name}\" SET synchronous_commit = off"
    ))
    .execute(&mut conn)
    .expect("test database settings");
    let (base, database) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL names a database");
    // Without TLS unless the URL asks for it. A test's server stops on its own threads after
    // the test returns, and the last one may still be closing its connections when the test
    // process exits: with TLS that close runs inside OpenSSL while the process's exit handler
    // tears OpenSSL down, and the process died with SIGSEGV after every test had passed.
    // Test databases are local and thrown away; a URL naming `sslmode` keeps its choice.
    let options = match database.split_once('?') {
        Some((_, query)) if query.contains("sslmode=") => format!("?{query}"),
        Some((_, query)) => format!("?{query}&sslmode=disable"),
        None => "?sslmode=disable".to_owned(),
    };
    let url = format!("{base}/{name}{options}");
    Some((TestDatabase::Postgres { admin_url, name }, url))
}

/// Settings for a test server on `backend`, or `None` when PostgreSQL is not configured.
pub fn test_settings(backend: Backend) -> Option<(Settings, TestDatabaseHandle)> {
    let (database, url) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("registry.db").display());
            (TestDatabase::Sqlite(dir), url)
        }
        Backend::Postgres => postgres_database()?,
    };
    let mut settings = Settings::default();
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.database.url = url;
    settings.database.max_connections = 4;
    settings.database.busy_timeout_ms = 5_000;
    // Generous: a loaded machine can take seconds to open a PostgreSQL connection, and a
    // spurious 503 at start-up would fail an unrelated test.
    settings.database.connection_timeout_ms = 15_000;
    // Tests write through second registries over the same database (`registry_at`, as days
    // pass) and then read counts over HTTP at once: those writes are another instance's, so
    // the server reads the head for every count answer. `two_instances.rs` tests the interval.
    settings.database.head_check_ms = 0;
    Some((settings, TestDatabaseHandle(database)))
}

/// Keeps a test database alive; dropping it deletes the database.
pub struct TestDatabaseHandle(TestDatabase);

/// A server on PostgreSQL, for tests that only run there (ignored without
/// `TEST_DATABASE_URL`). Panics when the variable is unset at run time: a test that was
/// selected to run on PostgreSQL must not pass without running.
pub async fn spawn_postgres_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(Backend::Postgres, adjust)
        .await
        .expect("TEST_DATABASE_URL must name a PostgreSQL database for the PostgreSQL tests")
}

/// [`spawn_postgres_app_with`] with the test settings.
pub async fn spawn_postgres_app() -> TestApp {
    spawn_postgres_app_with(|_| {}).await
}

/// Starts a server; `None` when `backend` is PostgreSQL and `TEST_DATABASE_URL` is unset.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Starts a server with adjusted settings (short timeouts for fault tests, another targets file).
pub async fn spawn_app_with(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    spawn_app_at(backend, adjust, test_now()).await
}

/// `spawn_app_with` on a clock that starts at `start` (a registry that began before
/// `test_now()`: days are recorded in order, so its past must be written from its start).
pub async fn spawn_app_at(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
    start: DateTime<Utc>,
) -> Option<TestApp> {
    let (mut settings, handle) = test_settings(backend)?;
    adjust(&mut settings);
    let clock = Clock::fixed(start);
    let app = Application::build(&settings, clock.clone())
        .unwrap_or_else(|e| panic!("the app does not build: {e:#}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let registry = app.registry();
    actix_web::rt::spawn(app.run_until_stopped());
    let token = registry
        .accounts()
        .create_token("tests", TokenScope::Write, "tests")
        .expect("a token for the tests");
    Some(TestApp {
        client: client_with(&[("authorization", format!("Bearer {}", token.secret))]),
        address,
        registry,
        browser: std::sync::OnceLock::new(),
        admin_browser: std::sync::OnceLock::new(),
        database_url: settings.database.url.clone(),
        clock,
        _database: handle.0,
    })
}

/// A client that sends `headers` with every request and never follows redirects.
pub fn client_with(headers: &[(&str, String)]) -> reqwest::Client {
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            reqwest::header::HeaderValue::from_str(value).expect("header value"),
        );
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(map)
        // The server closes a keep-alive connection idle for 5 s; a request sent on it at that
        // moment fails with IncompleteMessage (seen once in the PostgreSQL oracle on a loaded
        // machine). Dropping idle connections sooner on this side avoids the race.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client")
}

/// The password test accounts choose after their one-time password.
pub const TEST_PASSWORD: &str = "a long test passphrase 2025";

impl TestApp {
    /// A client with no credentials.
    pub fn anonymous(&self) -> reqwest::Client {
        client_with(&[])
    }

    /// A client sending a new token of `scope`.
    pub fn with_token(&self, scope: TokenScope) -> reqwest::Client {
        let token = self
            .registry
            .accounts()
            .create_token("test client", scope, "tests")
            .expect("token");
        client_with(&[("authorization", format!("Bearer {}", token.secret))])
    }

    /// Adds an account with `role` that has chosen its password; returns its name.
    pub fn add_staff(&self, name: &str, role: Role) -> String {
        let account = self
            .registry
            .accounts()
            .add_user(name, role, "tests")
            .expect("account");
        self.registry
            .accounts()
            .change_password(name, &account.one_time_password, TEST_PASSWORD, None)
            .expect("password chosen");
        account.user.username
    }

    /// The headers of a logged-in staff member's browser: the session cookie, and the
    /// Origin a browser sends with its own forms.
    pub fn session_headers(&self, name: &str) -> Vec<(&'static str, String)> {
        let issued = self
            .registry
            .accounts()
            .login(name, TEST_PASSWORD, "127.0.0.1")
            .expect("login");
        vec![
            ("cookie", format!("tr_session={}", issued.cookie_value)),
            ("origin", self.address.clone()),
        ]
    }

    /// An editor's browser: session cookie and Origin on every request.
    pub fn browser(&self) -> reqwest::Client {
        self.browser_and_token().0.clone()
    }

    /// The form token of the editor's browser session.
    pub fn csrf_token(&self) -> String {
        self.browser_and_token().1.clone()
    }

    /// The editor's session cookie (`tr_session=…`), for requests that set other cookies.
    pub fn session_cookie(&self) -> String {
        self.browser_and_token().2.clone()
    }

    /// An admin's browser and its session's form token.
    pub fn admin_browser(&self) -> (reqwest::Client, String) {
        let (client, token, _) = self
            .admin_browser
            .get_or_init(|| self.logged_in_browser("page.admin", Role::Admin));
        (client.clone(), token.clone())
    }

    fn browser_and_token(&self) -> &(reqwest::Client, String, String) {
        self.browser
            .get_or_init(|| self.logged_in_browser("page.editor", Role::Editor))
    }

    fn logged_in_browser(&self, name: &str, role: Role) -> (reqwest::Client, String, String) {
        {
            let name = self.add_staff(name, role);
            let issued = self
                .registry
                .accounts()
                .login(&name, TEST_PASSWORD, "127.0.0.1")
                .expect("login");
            let cookie = format!("tr_session={}", issued.cookie_value);
            let client =
                client_with(&[("cookie", cookie.clone()), ("origin", self.address.clone())]);
            (client, issued.session.csrf_token, cookie)
        }
    }

    /// A client logged in as a new staff member with `role`.
    pub fn as_staff(&self, role: Role) -> reqwest::Client {
        let name = format!("{}{}", role.as_str(), uuid::Uuid::now_v7().simple());
        let name = self.add_staff(&name, role);
        client_with(&self.session_headers(&name))
    }

    /// POSTs JSON as an admin (rule publication is admin work).
    pub async fn admin_post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.as_staff(Role::Admin)
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }
}

/// Runs each test body on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set. Without
/// it the PostgreSQL variant is reported as ignored, with the reason, rather than as passed
/// (`build.rs` sets `postgres_tests` when the variable is present at build time).
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                // `allow`, not `expect`: some bodies use the test file's items and some do
                // not, and an `expect` left unfulfilled is itself a warning.
                #[allow(unused_imports)]
                use super::*;
                use $crate::helpers::{Backend, TestApp, spawn_app};

                async fn body($app: TestApp) $body

                #[actix_web::test]
                async fn on_sqlite() {
                    body(spawn_app(Backend::Sqlite).await.expect("SQLite always runs")).await
                }

                #[actix_web::test]
                #[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to run on PostgreSQL")]
                async fn on_postgres() {
                    body($crate::helpers::spawn_postgres_app().await).await
                }
            }
        )*
    };
}

/// A firm the tests register: 江苏上上电缆集团有限公司, a real Changzhou USCC.
pub fn firm_body() -> Value {
    json!({
        "uscc": "91320481703625269H",
        "name": "江苏上上电缆集团有限公司",
        "region_code": "320481",
        "industry_code": "C38",
        "founded_on": "1994-03-01"
    })
}

/// Builds a valid enterprise USCC from the 15 characters after after "91".
pub fn uscc(body15: &str) -> String {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let first17 = format!("91{body15}");
    assert_eq!(first17.len(), 17, "body must be 15 characters after 91");
    let sum: usize = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| ALPHABET.find(c).expect("USCC alphabet") * w)
        .sum();
    let check = ALPHABET.as_bytes()[(31 - sum % 31) % 31] as char;
    format!("{first17}{check}")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// Registers a firm and returns its JSON.
    pub async fn register(&self, body: &Value) -> Value {
        let response = self.post_json("/api/v1/firms", body).await;
        assert_eq!(response.status(), 201, "registration of {body}");
        response.json().await.expect("JSON body")
    }

    /// How many firms the list endpoint shows.
    pub async fn firm_count(&self) -> usize {
        let page = self.get_json("/api/v1/firms?limit=200").await;
        page["items"].as_array().map_or(0, Vec::len)
    }
}

/// Asserts a problem+json answer with `status`, and that `field` is among its field errors.
pub async fn assert_problem(
    response: reqwest::Response,
    status: u16,
    field: Option<&str>,
) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status);
    assert!(body["correlation_id"].is_string(), "{body}");
    if let Some(field) = field {
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert!(
            fields.contains(&field),
            "expected an error on {field}, got {body}"
        );
    }
    body
}

impl TestApp {
    /// A second service over the same database whose clock says `now`: how tests make
    /// days pass.
    pub fn registry_at(&self, now: DateTime<Utc>) -> tier_registry::service::Registry {
        let mut settings = Settings::default();
        settings.database.url = self.database_url.clone();
        settings.database.max_connections = 2;
        tier_registry::startup::open_registry(&settings, Clock::fixed(now)).expect("registry")
    }

    /// A new service over the same database on the server's clock, as after a restart: no
    /// cache, nothing in memory carried over.
    pub fn restarted_registry(&self) -> tier_registry::service::Registry {
        let mut settings = Settings::default();
        settings.database.url = self.database_url.clone();
        settings.database.max_connections = 2;
        tier_registry::startup::open_registry(&settings, self.clock.clone()).expect("registry")
    }

    /// Another server over the same database, as a second instance behind a load balancer:
    /// its own pool, caches and counts snapshot, the same clock. Returns its address and a
    /// client with a write token.
    pub async fn second_instance(
        &self,
        adjust: impl FnOnce(&mut Settings),
    ) -> (String, reqwest::Client) {
        let mut settings = Settings::default();
        settings.server.bind = "127.0.0.1:0".into();
        settings.server.workers = 2;
        settings.database.url = self.database_url.clone();
        settings.database.max_connections = 4;
        settings.database.connection_timeout_ms = 15_000;
        adjust(&mut settings);
        let app = Application::build(&settings, self.clock.clone())
            .unwrap_or_else(|e| panic!("the second instance does not build: {e:#}"));
        let address = format!("http://127.0.0.1:{}", app.port());
        let token = app
            .registry()
            .accounts()
            .create_token("second instance", TokenScope::Write, "tests")
            .expect("a token");
        actix_web::rt::spawn(app.run_until_stopped());
        (
            address,
            client_with(&[("authorization", format!("Bearer {}", token.secret))]),
        )
    }

    /// Runs raw SQL on the test database, as an operator with a database shell could.
    pub fn raw_sql(&self, sql: &str) -> Result<usize, diesel::result::Error> {
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) => {
                let mut conn = diesel::SqliteConnection::establish(path).expect("open");
                diesel::sql_query(sql).execute(&mut conn)
            }
            None => {
                let mut conn = PgConnection::establish(&self.database_url).expect("connect");
                diesel::sql_query(sql).execute(&mut conn)
            }
        }
    }

    /// The firm's tier events.
    pub async fn history(&self, firm_id: &str) -> Vec<Value> {
        self.get_json(&format!("/api/v1/firms/{firm_id}/history"))
            .await["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// A young Changzhou technology firm with a clean record: the starting point of the unicorn
/// ladder (founded 2022, so 2 years old in data year 2024).
pub fn young_tech_firm(uscc_body: &str) -> Value {
    json!({
        "uscc": uscc(uscc_body),
        "name": "常州星河智能科技有限公司",
        "region_code": "320411",
        "industry_code": "I65",
        "founded_on": "2022-01-01",
        "credit_ok": true,
        "tech_firm": true
    })
}

/// A financing round closed on `closed_on` at a post-money valuation.
pub fn round(closed_on: &str, valuation: i64, currency: &str) -> Value {
    json!({
        "closed_on": closed_on,
        "round": "A轮",
        "amount": {"value": valuation / 10, "currency": currency},
        "post_money_valuation": {"value": valuation, "currency": currency},
        "investor_kind": "professional_institution"
    })
}

/// 2 December 2024 at noon in Beijing: a start for registries that began before 2025.
pub fn december_2024() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-12-02T04:00:00Z")
        .expect("an instant")
        .with_timezone(&Utc)
}

/// On a server started at `december_2024()`: a firm registered then gets a high-tech
/// certificate (its entry is the ledger's first event), and the clock moves on to
/// `test_now()`. Targets of 2025 then have their whole history and count from 1 January.
pub async fn ledger_from_2024(app: &TestApp) {
    assert_eq!(
        app.clock.now(),
        december_2024(),
        "the server started in December 2024"
    );
    let mut firm = young_tech_firm("320402MA1L00000");
    firm["region_code"] = serde_json::json!("320402");
    let firm = app.register(&firm).await;
    let cert = serde_json::json!({"kind": "high_tech", "number": "GR202432000000", "issued_on": "2024-11-01"});
    let path = format!(
        "/api/v1/firms/{}/certificates",
        firm["id"].as_str().expect("id")
    );
    assert_eq!(
        app.post_json(&path, &cert).await.status(),
        201,
        "the ledger's first event"
    );
    app.clock.set(test_now());
}
