//! Tests across the rules module: the default rule set at every published boundary, load
//! checks with their positions, and properties of evaluation.

mod default_set;
mod support;
