//! Counting firms: tier counts, flows between tiers, targets and their near misses: the
//! `Counts` capability.

pub(crate) mod flows;
pub(crate) mod near_miss;
pub(crate) mod near_miss_cache;
pub(crate) mod tallies;
pub(crate) mod target_plan;
pub(crate) mod targets;

use crate::service::registry::Registry;

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
