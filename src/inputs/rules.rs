//! A rule file sent for simulation or publication.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A rule file sent for simulation or publication.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesInput {
    /// The rule file's text (TOML, the format of docs/RULES.md).
    pub rules: String,
    /// A name for messages and the record, e.g. `default-v2.toml`.
    #[serde(default)]
    pub origin: Option<String>,
    /// Simulation only: the evaluation date (default today).
    #[serde(default)]
    pub as_of: Option<String>,
}
