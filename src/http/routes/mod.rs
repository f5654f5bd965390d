//! The JSON API's handlers, one per file, grouped by resource, and its route table.

pub mod alerts;
pub mod audit;
pub mod certificates;
pub mod counts;
pub mod financings;
pub mod firms;
pub mod health;
pub mod ledger;
pub mod rulesets;
mod table;
pub mod targets;
pub mod years;

pub use table::{access_routes, configure};
