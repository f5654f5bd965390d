//! The capabilities reached from a [`Registry`]. Each is a borrowed view of the handle with one
//! area's use cases, defined in its own file or folder. The accessors live here rather than in
//! `registry.rs` so that the handle never imports a capability: capabilities import the
//! handle, nothing imports this file, and no import cycle forms.

use super::accounts::Accounts;
use super::audit::Audit;
use super::bulk::Bulk;
use super::counts::Counts;
use super::figures::Figures;
use super::firms::Firms;
use super::registry::Registry;
use super::rule_sets::RuleSets;
use super::tiers::Tiers;
use super::time_passing::TimePassing;

impl Registry {
    /// Registering, reading, listing and editing firms.
    pub fn firms(&self) -> Firms<'_> {
        Firms::new(self)
    }

    /// A firm's years, financing rounds and certificates, their corrections and withdrawals.
    pub fn figures(&self) -> Figures<'_> {
        Figures::new(self)
    }

    /// Reading tiers: assessments, histories, the ledger feed.
    pub fn tiers(&self) -> Tiers<'_> {
        Tiers::new(self)
    }

    /// Time passing: re-evaluating every firm as days pass, and how far it has got.
    pub fn time(&self) -> TimePassing<'_> {
        TimePassing::new(self)
    }

    /// Tier counts, flows between tiers and target progress.
    pub fn counts(&self) -> Counts<'_> {
        Counts::new(self)
    }

    /// Publishing, reading and simulating rule sets.
    pub fn rule_sets(&self) -> RuleSets<'_> {
        RuleSets::new(self)
    }

    /// Importing and exporting firms, loading demonstration data.
    pub fn bulk(&self) -> Bulk<'_> {
        Bulk::new(self)
    }

    /// Logins, sessions, staff accounts and API tokens.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts::new(self)
    }

    /// The audit trail.
    pub fn audit(&self) -> Audit<'_> {
        Audit::new(self)
    }
}
