//! The enterprise tiering registry: firms, their facts, tier rules and the promotion ledger.

pub mod api_types;
pub mod cli;
pub mod domain;
pub mod rules;
