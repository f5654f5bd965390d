//! The staff pages: one handler per file, grouped by area, and their route table.

mod account;
mod admin;
mod alerts;
mod assets;
mod certificates;
mod dashboard;
mod events;
mod financings;
mod firms;
#[cfg(test)]
mod fixtures;
mod lang;
mod records;
mod rules;
mod shared;
mod table;
mod targets;
mod years;

pub use table::{access_routes, configure};
