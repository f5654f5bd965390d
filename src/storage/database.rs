//! The database as the service holds it: the pool, and how this process writes to it.

use std::sync::{Arc, OnceLock};

use super::checkpoint;
use super::write_group::{WriteGroups, WriteStats};
use super::{Conn, DbConnection, DbPool, StorageError, transaction};

/// The pool and this process's writers. Dropping it stops the SQLite checkpointer.
pub struct Database {
    shared: Arc<Shared>,
}

pub(super) struct Shared {
    pool: DbPool,
    /// This process's SQLite writers and the transaction they share (see `write`).
    writers: WriteGroups,
    /// Whether the pool opens SQLite connections; learnt from the first connection.
    sqlite: OnceLock<bool>,
}

impl Shared {
    pub(super) fn pool(&self) -> &DbPool {
        &self.pool
    }
}

impl Database {
    /// The database behind `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self {
            shared: Arc::new(Shared {
                pool,
                writers: WriteGroups::default(),
                sqlite: OnceLock::new(),
            }),
        }
    }

    /// A connection from the pool; a busy or unreachable database is a `Connection` error.
    pub fn conn(&self) -> Result<Conn, StorageError> {
        Ok(self.shared.pool.get()?)
    }

    /// Runs `f` in one write transaction and returns once it is committed.
    ///
    /// On SQLite, writers of this process queue here rather than in SQLite's busy handler
    /// (which sleeps in steps of up to 100 ms: registration p99 under 4 clients was ~600 ms),
    /// and writers that queue together share one transaction and one COMMIT
    /// (`write_group`). Other processes still meet `busy_timeout`. On PostgreSQL each writer
    /// has its own transaction.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        if self.is_sqlite()? {
            return self.shared.writers.run(|| self.conn(), f);
        }
        let mut conn = self.conn()?;
        transaction::write_transaction(&mut conn, f)
    }

    /// Writes committed by this process on SQLite, and the commits they took.
    pub fn write_stats(&self) -> WriteStats {
        self.shared.writers.stats()
    }

    /// Whether the database answers a trivial query.
    pub fn ping(&self) -> Result<(), StorageError> {
        transaction::ping(&mut *self.conn()?)
    }

    fn is_sqlite(&self) -> Result<bool, StorageError> {
        if let Some(sqlite) = self.shared.sqlite.get() {
            return Ok(*sqlite);
        }
        let conn = self.conn()?;
        let sqlite = matches!(&*conn, DbConnection::Sqlite(_));
        Ok(*self.shared.sqlite.get_or_init(|| {
            if sqlite {
                // A process that writes keeps the log short in the background.
                checkpoint::spawn(Arc::downgrade(&self.shared));
            }
            sqlite
        }))
    }
}
