//! Tests across the rules module: the default rule set at every published boundary, load
//! checks with their positions, and properties of evaluation.

mod configured;
mod default_explained;
mod default_growth;
mod default_set;
mod default_tech_sme;
mod load_checks;
mod load_mistakes;
mod metrics;
mod properties;
mod rule_text;
pub(crate) mod support;
