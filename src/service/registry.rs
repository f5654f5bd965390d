//! The service handle shared by the HTTP API, the staff pages and the CLI: construction and
//! the infrastructure every capability shares (the pool, writes, the clock, the caches). The
//! use cases live in the capabilities reached from it (`capabilities.rs`).

use std::sync::Arc;

use super::accounts::policy::AuthPolicy;
use super::clock::Clock;
use super::counts::alerts::AlertCache;
use super::counts::near_miss_cache::NearMissCache;
use super::counts::snapshot::Snapshot;
use super::error::ServiceError;
use super::rule_sets::cache::RulesCache;
use super::time_passing::day_order::TimeKeeper;
use crate::domain::RegionCatalog;
use crate::inputs::ParseContext;
use crate::storage::{Database, DbConnection, DbPool, StorageError, WriteStats};

/// A pooled connection (storage's handle, named here for the service's callers).
pub use crate::storage::Conn;

pub(crate) struct Inner {
    /// The pool, and this process's writers and checkpointer.
    database: Database,
    catalog: RegionCatalog,
    clock: Clock,
    rules: RulesCache,
    auth: AuthPolicy,
    /// What this process knows of time passing (see `day_order`).
    time: TimeKeeper,
    /// The targets' near-miss lists of the latest data version.
    near_misses: NearMissCache,
    /// The early warnings of the latest data version.
    alerts: AlertCache,
    /// The counts' key, live counts and stored answers (`counts::snapshot`).
    snapshot: Snapshot,
}

/// How long an instance trusts its last read of the data's head when none of its own writes
/// came since: another instance's writes show in its counts within this.
pub const DEFAULT_HEAD_CHECK: std::time::Duration = std::time::Duration::from_millis(250);

/// Entry point of every use case: `registry.firms().register(..)`, `registry.accounts().login(..)`.
/// Cheap to clone; use cases are blocking and meant to run on a blocking thread pool (through
/// `telemetry::blocking`).
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
        Self::with_options(pool, catalog, clock, auth, DEFAULT_HEAD_CHECK)
    }

    /// A registry with every option: auth limits, and how long a head read is trusted
    /// (`database.head_check_ms`; zero reads the head for every count answer).
    pub fn with_options(
        pool: DbPool,
        catalog: RegionCatalog,
        clock: Clock,
        auth: AuthPolicy,
        head_check: std::time::Duration,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                database: Database::new(pool),
                catalog,
                clock,
                rules: RulesCache::default(),
                auth,
                time: TimeKeeper::default(),
                near_misses: NearMissCache::default(),
                alerts: AlertCache::default(),
                snapshot: Snapshot::new(head_check),
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

    /// The early warnings this process keeps.
    pub(crate) fn alert_cache(&self) -> &AlertCache {
        &self.inner.alerts
    }

    /// The counts snapshot this process keeps.
    pub(crate) fn counts_snapshot(&self) -> &Snapshot {
        &self.inner.snapshot
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
        Ok(self.inner.database.conn()?)
    }

    /// Runs `f` in one write transaction and returns once it is committed.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.write_with(f)
    }

    /// `write` for work with its own error type (an import that reports and rolls back).
    /// On SQLite, writers of this process that queue together share one transaction and one
    /// COMMIT (`storage::Database::write`).
    pub fn write_with<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        let result = self.inner.database.write(f);
        // Committed or not, the next count answer reads the head again: this process never
        // answers counts from before its own last write.
        self.inner.snapshot.mark_stale();
        result
    }

    /// Writes committed by this process on SQLite, and the commits they took.
    pub fn write_stats(&self) -> WriteStats {
        self.inner.database.write_stats()
    }

    /// Whether the database answers a trivial query.
    pub fn ping(&self) -> Result<(), ServiceError> {
        Ok(self.inner.database.ping()?)
    }
}
