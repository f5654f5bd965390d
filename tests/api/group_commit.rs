//! Writers that queue together share one transaction and one COMMIT on SQLite
//! (`service::write_group`). These tests pin what each writer is told: its own work is
//! answered only once committed, a writer's failure undoes only its own work, and a failed
//! COMMIT or a panicking writer fails the whole group without wedging the queue. On
//! PostgreSQL writers run side by side, so the same scenarios must give each writer its own
//! outcome there too.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use diesel::RunQueryDsl;
use tier_registry::service::{Registry, ServiceError};
use tier_registry::storage::{DbConnection, StorageError};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// How long the first writer holds the turn, so the others are queued behind it. It is longer
/// than a group may last (20 ms), so the first writer commits alone and the writers queued
/// behind it form the next group together.
const HOLD: Duration = Duration::from_millis(400);

fn prepare(app: &TestApp) {
    app.raw_sql("CREATE TABLE scratch (k TEXT PRIMARY KEY)")
        .expect("scratch table");
    app.raw_sql("CREATE TABLE scratch_child (k TEXT REFERENCES scratch (k))")
        .expect("child table");
}

fn insert(conn: &mut DbConnection, table: &str, key: &str) -> Result<(), ServiceError> {
    diesel::sql_query(format!("INSERT INTO {table} (k) VALUES ('{key}')"))
        .execute(conn)
        .map_err(StorageError::from)?;
    Ok(())
}

fn keys(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Text)]
        k: String,
    }
    let mut conn = app.registry.conn().expect("connection");
    let mut keys: Vec<String> = diesel::sql_query("SELECT k FROM scratch ORDER BY k")
        .load::<Key>(&mut *conn)
        .expect("keys")
        .into_iter()
        .map(|row| row.k)
        .collect();
    keys.sort();
    keys
}

fn is_sqlite(app: &TestApp) -> bool {
    app.database_url.starts_with("sqlite://")
}

type Outcome = thread::JoinHandle<Result<(), ServiceError>>;

/// Starts a writer that inserts `key` and then holds the turn for `HOLD`; returns once its
/// work has begun, so writers started afterwards queue behind it.
fn first_writer(registry: &Registry, key: &'static str) -> Outcome {
    let registry = registry.clone();
    let (started, wait) = mpsc::channel();
    let handle = thread::spawn(move || {
        registry.write(|conn| {
            insert(conn, "scratch", key)?;
            let _ = started.send(());
            thread::sleep(HOLD);
            Ok(())
        })
    });
    wait.recv().expect("the first writer starts");
    handle
}

fn writer(
    registry: &Registry,
    work: impl FnOnce(&mut DbConnection) -> Result<(), ServiceError> + Send + 'static,
) -> Outcome {
    let registry = registry.clone();
    let handle = thread::spawn(move || registry.write(work));
    // Keeps the queue in the order the writers were started.
    thread::sleep(Duration::from_millis(50));
    handle
}

fn join(handle: Outcome) -> Result<(), ServiceError> {
    handle.join().expect("the writer does not panic")
}

on_both_backends! {
    async fn queued_writers_share_one_commit_and_all_are_kept(app) {
        prepare(&app);
        let before = app.registry.write_stats();
        let first = first_writer(&app.registry, "a");
        let others: Vec<Outcome> = ["b", "c", "d"]
            .into_iter()
            .map(|key| writer(&app.registry, move |conn| insert(conn, "scratch", key)))
            .collect();
        join(first).expect("a is written");
        for handle in others {
            join(handle).expect("each queued write is written");
        }
        assert_eq!(keys(&app), ["a", "b", "c", "d"]);
        let after = app.registry.write_stats();
        if is_sqlite(&app) {
            assert_eq!(after.writes - before.writes, 4);
            // a alone, then b, c and d together.
            assert_eq!(after.commits - before.commits, 2, "the queued writers share one COMMIT");
        }
    }

    async fn a_failing_writer_undoes_only_its_own_work(app) {
        prepare(&app);
        let first = first_writer(&app.registry, "a");
        let failing = writer(&app.registry, |conn| {
            insert(conn, "scratch", "b")?;
            Err(ServiceError::NotFound("firm"))
        });
        let duplicate = writer(&app.registry, |conn| insert(conn, "scratch", "a"));
        let last = writer(&app.registry, |conn| insert(conn, "scratch", "c"));
        join(first).expect("a is written");
        assert!(matches!(join(failing), Err(ServiceError::NotFound("firm"))));
        assert!(join(duplicate).is_err(), "a duplicate key is refused");
        join(last).expect("c is written");
        assert_eq!(keys(&app), ["a", "c"]);
    }

    async fn a_panicking_writer_does_not_wedge_the_queue(app) {
        prepare(&app);
        let first = first_writer(&app.registry, "a");
        let before = writer(&app.registry, |conn| insert(conn, "scratch", "b"));
        let panicking = writer(&app.registry, |conn| {
            insert(conn, "scratch", "p")?;
            panic!("a bug in a writer");
        });
        let after = writer(&app.registry, |conn| insert(conn, "scratch", "c"));
        join(first).expect("a is written");
        let before = join(before);
        assert!(panicking.join().is_err(), "the panic reaches its own thread");
        join(after).expect("the writer after the panic is written");
        if is_sqlite(&app) {
            // b shared its transaction with the writer that panicked, which may have left it
            // in any state: b is told it failed, and nothing of it was kept.
            assert!(matches!(before, Err(ServiceError::Unavailable(_))), "{before:?}");
            assert_eq!(keys(&app), ["a", "c"]);
        } else {
            before.expect("on PostgreSQL b has its own transaction");
            assert_eq!(keys(&app), ["a", "b", "c"]);
        }
        app.registry
            .write(|conn| insert(conn, "scratch", "d"))
            .expect("later writes go on");
    }
}

/// A COMMIT that fails (here a deferred foreign key, as a full disk would) fails every writer
/// of the group, and none of their work is kept. SQLite only: PostgreSQL's foreign keys are
/// checked per statement, and there each writer commits alone.
#[actix_web::test]
async fn a_failed_commit_fails_every_writer_of_the_group() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    prepare(&app);
    let first = first_writer(&app.registry, "a");
    let before = app.registry.write_stats();
    let member = writer(&app.registry, |conn| insert(conn, "scratch", "b"));
    let orphan = writer(&app.registry, |conn| {
        diesel::sql_query("PRAGMA defer_foreign_keys = ON")
            .execute(conn)
            .map_err(StorageError::from)?;
        insert(conn, "scratch_child", "nobody")
    });
    let last = writer(&app.registry, |conn| insert(conn, "scratch", "c"));
    join(first).expect("a commits alone, before the group");
    for (name, outcome) in [
        ("b", join(member)),
        ("orphan", join(orphan)),
        ("c", join(last)),
    ] {
        assert!(
            outcome.is_err(),
            "{name} must not be acknowledged: {outcome:?}"
        );
    }
    assert_eq!(keys(&app), ["a"], "nothing of the group is kept");
    assert_eq!(
        app.registry.write_stats().commits,
        before.commits + 1,
        "only a's commit"
    );
    app.registry
        .write(|conn| insert(conn, "scratch", "d"))
        .expect("the next group commits");
    assert_eq!(keys(&app), ["a", "d"]);
}

/// Serving processes copy the write-ahead log into the database file in the background, so
/// no request pays for a checkpoint and the log stays short: a registration reaches the
/// database file itself (not only the log) within moments, with no other write after it.
#[actix_web::test]
async fn committed_writes_reach_the_database_file_in_the_background() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let body = crate::helpers::young_tech_firm("320411MA1CKPT01");
    let uscc = body["uscc"].as_str().expect("uscc").to_owned();
    assert_eq!(app.post_json("/api/v1/firms", &body).await.status(), 201);
    let path = app.database_url.strip_prefix("sqlite://").expect("a file");
    let in_file = || {
        let bytes = std::fs::read(path).expect("database file");
        bytes.windows(uscc.len()).any(|w| w == uscc.as_bytes())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !in_file() {
        assert!(
            std::time::Instant::now() < deadline,
            "the registration is still only in the log after 5 s"
        );
        thread::sleep(Duration::from_millis(50));
    }
}
