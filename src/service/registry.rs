//! The service handle shared by the HTTP API, the staff pages and the CLI.

use std::sync::Arc;

use diesel::r2d2::PooledConnection;

use super::rules_cache::RulesCache;
use super::{AuthPolicy, Clock, ServiceError};
use crate::api_types::ParseContext;
use crate::domain::RegionCatalog;
use crate::storage::{DbConnection, DbPool, Manager, write_transaction};

/// A pooled connection.
pub type Conn = PooledConnection<Manager>;

struct Inner {
    pool: DbPool,
    catalog: RegionCatalog,
    clock: Clock,
    rules: RulesCache,
    auth: AuthPolicy,
    /// Queues this process's SQLite writers (see `write`).
    sqlite_writers: std::sync::Mutex<()>,
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
                sqlite_writers: std::sync::Mutex::new(()),
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

    /// Runs `f` in one write transaction on a pooled connection.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let mut conn = self.conn()?;
        // SQLite admits one writer; a competing `BEGIN IMMEDIATE` waits in SQLite's busy
        // handler, which sleeps in steps of up to 100 ms. Queueing this process's writers
        // here instead took registration p99 under 4 concurrent clients from ~600 ms to a
        // few ms (docs/PERFORMANCE.md). Other processes still meet `busy_timeout`.
        let _turn = match &*conn {
            DbConnection::Sqlite(_) => Some(
                self.inner
                    .sqlite_writers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            ),
            DbConnection::Pg(_) => None,
        };
        write_transaction(&mut conn, f)
    }

    /// Whether the database answers a trivial query.
    pub fn ping(&self) -> Result<(), ServiceError> {
        use diesel::r2d2::R2D2Connection;
        let mut conn = self.conn()?;
        conn.ping()?;
        Ok(())
    }
}
