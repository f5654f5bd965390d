//! The rule set in force, as readable tables with the documents each tier comes from.

mod show_rules;

pub use show_rules::show_rules;
