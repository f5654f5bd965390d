//! WAL checkpoints off the request path (SQLite).
//!
//! By default SQLite checkpoints inside the COMMIT that takes the log past 1,000 pages: that
//! writer copies the log into the database file and flushes it before it is answered. A
//! registration writes about ten pages, so one request in a hundred paid a checkpoint, which
//! is exactly the p99 of registration latency. Instead, a background thread runs a PASSIVE
//! checkpoint a few times a second (it waits for nobody and writers go on appending
//! meanwhile), and the connections keep automatic checkpoints only as a safety net at
//! `AUTO_CHECKPOINT_PAGES`, should the thread fall behind.

use std::sync::Weak;
use std::thread;
use std::time::Duration;

use diesel::RunQueryDsl;

use super::database::Shared;

/// How often the log is copied back into the database file.
const INTERVAL: Duration = Duration::from_millis(200);

/// Starts the checkpointer; it stops once the database handle is dropped.
pub(super) fn spawn(database: Weak<Shared>) {
    let started = thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            loop {
                thread::sleep(INTERVAL);
                let Some(shared) = database.upgrade() else {
                    return;
                };
                // A busy pool or a failed checkpoint is retried at the next tick; the
                // connections' own automatic checkpoint bounds the log meanwhile.
                if let Ok(mut conn) = shared.pool().get()
                    && let Err(error) =
                        diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut *conn)
                {
                    tracing::warn!(%error, "WAL checkpoint failed");
                }
            }
        });
    if let Err(error) = started {
        tracing::warn!(%error, "WAL checkpointer not started; SQLite checkpoints in commits");
    }
}
