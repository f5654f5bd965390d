//! Use cases. Each public method is one transaction; handlers parse, call one method, render.

mod accounts;
mod classify_many;
mod clock;
mod corrections;
mod counts;
mod day_order;
mod demo;
mod error;
mod export;
mod facts;
mod firms;
mod flows;
mod idempotency;
mod import;
mod import_apply;
mod import_check;
mod import_diff;
mod ledger;
mod ledger_batch;
mod near_miss;
mod near_miss_cache;
mod overview;
mod passes;
mod plausibility;
mod publish;
mod queries;
mod registry;
mod rules_cache;
mod simulate;
mod snapshots;
mod target_plan;
mod targets;
mod tier_diff;

pub use crate::storage::WriteStats;
pub use accounts::{
    ApiToken, AuditEntry, AuditTarget, AuthPolicy, IssuedSession, MAX_AUDIT_PAGE, NewAccount,
    NewToken, StaffSession, StaffUser, TOKEN_PREFIX, random_token_hex, same_secret,
};
pub use clock::Clock;
pub use counts::{CountFilter, GroupBy, GroupTally, TierCounts, TierTally};
pub use day_order::TimeLag;
pub use demo::DemoSummary;
pub use error::ServiceError;
pub use facts::{SavedYear, YearPrecondition};
pub use firms::{DEFAULT_PAGE, FirmPage, MAX_PAGE, Precondition};
pub use flows::{Flow, TierFlow, TierFlows};
pub use idempotency::{Created, Idempotency, Once};
pub use import::{ImportReport, RowAction, RowOutcome, TierChange};
pub use import_diff::FieldChange;
pub use ledger::{Cause, Provenance, Reclassification, apply_classification, event_kind};
pub use ledger_batch::LedgerBatch;
pub use near_miss::NearMiss;
pub use overview::MAX_RECENT;
pub use passes::{PassSummary, TIME_JOB};
pub use publish::Publication;
pub use queries::MAX_EVENTS;
pub use registry::{Conn, Registry};
pub use rules_cache::rule_errors;
pub use simulate::{Mover, Simulation, TierCountChange};
pub use target_plan::{Comparison, Target, TargetKind, TargetPlan, TierGroup};
pub use targets::{TargetProgress, TargetStatus};
pub use tier_diff::{Place, TrackChange, TrackNow, diff_tiers};

/// Query filters callers build; defined with the queries that use them.
pub use crate::storage::{AuditFilter, EventFilter, FirmFilter};
