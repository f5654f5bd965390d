//! A firm's figures: annual figures, financing rounds and certificates, and their
//! corrections and withdrawals: the `Figures` capability.

pub(crate) mod corrections;
pub(crate) mod facts;
pub(crate) mod snapshots;

use crate::service::registry::Registry;

/// Recording, reading, correcting and withdrawing a firm's years, rounds and certificates;
/// reached by [`Registry::figures`].
#[derive(Clone, Copy)]
pub struct Figures<'a> {
    registry: &'a Registry,
}

impl<'a> Figures<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}
