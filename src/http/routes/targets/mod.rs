//! Progress against the year's targets.

mod get_targets;

pub use get_targets::*;
