//! From a target on the dashboard to the firms it counts and to those nearly there.

mod card;
mod download_target_lists;
mod show_near_misses;
mod show_target_firms;
mod show_targets;
mod view;

pub(crate) use card::{TargetCard, card};
pub use download_target_lists::{download_near_misses, download_target_firms};
pub use show_near_misses::show_near_misses;
pub use show_target_firms::show_target_firms;
pub use show_targets::show_targets;
