//! Counting firms: tier counts, flows between tiers, targets and their near misses, early
//! warnings: the `Counts` capability.

pub(crate) mod alert_kinds;
pub(crate) mod alert_scan;
pub(crate) mod alerts;
pub(crate) mod answers;
pub(crate) mod flows;
pub(crate) mod near_miss;
pub(crate) mod near_miss_cache;
pub(crate) mod reports;
pub(crate) mod series;
pub(crate) mod snapshot;
pub(crate) mod tallies;
pub(crate) mod target_firms;
pub(crate) mod target_plan;
pub(crate) mod targets;

use crate::service::error::ServiceError;
use crate::service::registry::Registry;
use snapshot::{DataVersion, SnapshotKey};

/// Tier counts, flows and target progress; reached by [`Registry::counts`].
#[derive(Clone, Copy)]
pub struct Counts<'a> {
    registry: &'a Registry,
}

impl<'a> Counts<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}

impl Counts<'_> {
    /// The data's current version (reads the head only when this process's view is not
    /// fresh: see `snapshot`).
    pub(crate) fn version(&self) -> Result<DataVersion, ServiceError> {
        let today = self.registry.clock().today();
        self.registry
            .counts_snapshot()
            .current(today, || self.registry.conn())
    }

    /// The current snapshot key if known without reading the database: what a conditional
    /// request is answered from.
    pub fn fresh_key(&self) -> Option<SnapshotKey> {
        let today = self.registry.clock().today();
        self.registry
            .counts_snapshot()
            .fresh(today)
            .map(|version| version.key)
    }

    /// The tag of a representation (`variant`) of an answer that also depends on facts that
    /// change no tier (the targets), if the version is known without reading the database.
    pub fn fresh_tag_with_facts(&self, variant: &str) -> Option<String> {
        let today = self.registry.clock().today();
        self.registry
            .counts_snapshot()
            .fresh(today)
            .map(|version| version.tag(variant))
    }

    /// The current snapshot key, reading the head if needed (blocking).
    pub fn key(&self) -> Result<SnapshotKey, ServiceError> {
        Ok(self.version()?.key)
    }
}
