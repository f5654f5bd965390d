//! Use cases. Each public method is one transaction; handlers parse, call one method, render.

mod classify_many;
mod clock;
mod demo;
mod error;
mod export;
mod facts;
mod firms;
mod import;
mod ledger;
mod passes;
mod publish;
mod queries;
mod registry;
mod rules_cache;
mod simulate;

pub use clock::Clock;
pub use demo::DemoSummary;
pub use error::ServiceError;
pub use firms::{DEFAULT_PAGE, FirmPage, MAX_PAGE, Precondition};
pub use import::{ImportReport, RowAction, RowOutcome, TierChange};
pub use ledger::{Cause, Provenance, apply_classification, event_kind};
pub use passes::{PassSummary, TIME_JOB};
pub use publish::Publication;
pub use queries::{MAX_EVENTS, PublishedRuleSet};
pub use registry::{Conn, Registry};
pub use rules_cache::rule_errors;
pub use simulate::{Mover, Simulation, TierCountChange};

/// The actor recorded for writes through the JSON API until staff accounts exist.
pub const API_ACTOR: &str = "api";
