//! Tier counts and flows, as JSON or CSV.

mod get_tier_counts;
mod get_tier_flows;
mod get_tier_series;

pub use get_tier_counts::*;
pub use get_tier_flows::*;
pub use get_tier_series::*;
