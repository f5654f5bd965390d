//! The service handle shared by the HTTP API, the staff pages and the CLI.

use std::sync::{Arc, OnceLock};

use diesel::r2d2::PooledConnection;

use super::checkpoint;
use super::day_order::TimeKeeper;
use super::near_miss_cache::NearMissCache;
use super::rules_cache::RulesCache;
use super::write_group::{WriteGroups, WriteStats};
use super::{AuthPolicy, Clock, ServiceError};
use crate::domain::RegionCatalog;
use crate::inputs::ParseContext;
use crate::storage::{DbConnection, DbPool, Manager, write_transaction};

/// A pooled connection.
pub type Conn = PooledConnection<Manager>;

pub(crate) struct Inner {
    pool: DbPool,
    catalog: RegionCatalog,
    clock: Clock,
    rules: RulesCache,
    auth: AuthPolicy,
    /// This process's SQLite writers and the transaction they share (see `write`).
    writers: WriteGroups,
    /// Whether the pool opens SQLite connections; learnt from the first connection.
    sqlite: OnceLock<bool>,
    /// What this process knows of time passing (see `day_order`).
    time: TimeKeeper,
    /// The targets' near-miss lists of the latest data version.
    near_misses: NearMissCache,
}

impl Inner {
    pub(crate) fn pool(&self) -> &DbPool {
        &self.pool
    }
}

/// Entry point of every use case. Cheap to clone; methods are blocking and meant to run on a
/// blocking thread pool (actix's `web::block`).
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

impl Registry {
    /// A registry over `pool` for the city in `catalog`.
    pub fn new(pool: DbPool, catalog: RegionCatalog, clock: Clock) -> Self {
        Self::with_auth_policy(pool, catalog, clock, AuthPolicy::default())
    }

    /// A registry with session and login limits other than the defaults.
    pub fn with_auth_policy(
        pool: DbPool,
        catalog: RegionCatalog,
        clock: Clock,
        auth: AuthPolicy,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                pool,
                catalog,
                clock,
                rules: RulesCache::default(),
                auth,
                writers: WriteGroups::default(),
                sqlite: OnceLock::new(),
                time: TimeKeeper::default(),
                near_misses: NearMissCache::default(),
            }),
        }
    }

    /// The configured city.
    pub fn catalog(&self) -> &RegionCatalog {
        &self.inner.catalog
    }

    /// The time source.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Time passing's progress as this process knows it.
    pub(crate) fn time_keeper(&self) -> &TimeKeeper {
        &self.inner.time
    }

    /// The targets' near-miss lists this process keeps.
    pub(crate) fn near_miss_cache(&self) -> &NearMissCache {
        &self.inner.near_misses
    }

    /// Runs `f` in one write transaction that reclassifies firms, after bringing time
    /// passing up to yesterday (`catch_up_time`), so no earlier day is replayed after it.
    pub fn write_facts<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.catch_up_time()?;
        self.write(f)
    }

    /// Session and login limits.
    pub fn auth_policy(&self) -> &AuthPolicy {
        &self.inner.auth
    }

    /// The published rule sets.
    pub(crate) fn rules_cache(&self) -> &RulesCache {
        &self.inner.rules
    }

    /// What input parsing needs: the city and today's date.
    pub fn parse_context(&self) -> ParseContext<'_> {
        ParseContext {
            catalog: &self.inner.catalog,
            today: self.inner.clock.today(),
        }
    }

    /// A connection from the pool; a busy or unreachable database is `Unavailable`.
    pub fn conn(&self) -> Result<Conn, ServiceError> {
        Ok(self.inner.pool.get()?)
    }

    /// Runs `f` in one write transaction and returns once it is committed.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.write_with(f)
    }

    /// `write` for work with its own error type (an import that reports and rolls back).
    ///
    /// On SQLite, writers of this process queue here rather than in SQLite's busy handler
    /// (which sleeps in steps of up to 100 ms: registration p99 under 4 clients was ~600 ms),
    /// and writers that queue together share one transaction and one COMMIT
    /// (`write_group`). Other processes still meet `busy_timeout`. On PostgreSQL each writer
    /// has its own transaction.
    pub fn write_with<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error> + From<ServiceError>,
    {
        if self.is_sqlite()? {
            return self.inner.writers.run(|| self.conn(), f);
        }
        let mut conn = self.conn()?;
        write_transaction(&mut conn, f)
    }

    /// Writes committed by this process on SQLite, and the commits they took.
    pub fn write_stats(&self) -> WriteStats {
        self.inner.writers.stats()
    }

    fn is_sqlite(&self) -> Result<bool, ServiceError> {
        if let Some(sqlite) = self.inner.sqlite.get() {
            return Ok(*sqlite);
        }
        let conn = self.conn()?;
        let sqlite = matches!(&*conn, DbConnection::Sqlite(_));
        Ok(*self.inner.sqlite.get_or_init(|| {
            if sqlite {
                // A process that writes keeps the log short in the background.
                checkpoint::spawn(Arc::downgrade(&self.inner));
            }
            sqlite
        }))
    }

    /// Whether the database answers a trivial query.
    pub fn ping(&self) -> Result<(), ServiceError> {
        use diesel::r2d2::R2D2Connection;
        let mut conn = self.conn()?;
        conn.ping()?;
        Ok(())
    }
}
