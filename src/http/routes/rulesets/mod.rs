//! `/api/v1/rulesets`: published rule sets, the one in force, simulation and publication.

mod get_current_ruleset;
mod list_rulesets;
mod publish_ruleset;
mod simulate_ruleset;

pub use get_current_ruleset::*;
pub use list_rulesets::*;
pub use publish_ruleset::*;
pub use simulate_ruleset::*;
