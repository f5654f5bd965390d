//! Reading the tier ledger: a firm's assessment and history, the event feed, current tiers of
//! a page of firms: the `Tiers` capability.

pub(crate) mod overview;
pub(crate) mod queries;

use crate::service::registry::Registry;

/// Reads of tiers and the ledger; reached by [`Registry::tiers`].
#[derive(Clone, Copy)]
pub struct Tiers<'a> {
    registry: &'a Registry,
}

impl<'a> Tiers<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}
