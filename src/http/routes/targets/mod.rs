//! Progress against the year's targets, and the firms behind each.

mod get_targets;
mod list_target_firms;
mod list_target_near_misses;

pub use get_targets::*;
pub use list_target_firms::*;
pub use list_target_near_misses::*;
