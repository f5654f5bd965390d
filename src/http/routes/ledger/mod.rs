//! Tiers: a firm's assessment and history, and the ledger feed.

mod get_assessment;
mod get_history;
mod list_tier_events;

pub use get_assessment::*;
pub use get_history::*;
pub use list_tier_events::*;
