//! The rule set in force, as readable tables with the documents each tier comes from.

mod show_rules;
mod view;

pub use show_rules::show_rules;
