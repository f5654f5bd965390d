//! Use cases, by capability. [`Registry`] is the shared handle (construction, the pool,
//! writes, the clock, caches); each capability is a small type reached from it, with its
//! methods in one file or folder:
//!
//! | accessor | type | where |
//! |---|---|---|
//! | `registry.firms()` | [`Firms`] | `firms.rs` (+ `idempotency.rs`) |
//! | `registry.figures()` | [`Figures`] | `figures/` (years, rounds, certificates, corrections) |
//! | `registry.tiers()` | [`Tiers`] | `tiers/` (assessment, history, the event feed) |
//! | `registry.time()` | [`TimePassing`] | `time_passing/` (passes, day order) |
//! | `registry.counts()` | [`Counts`] | `counts/` (tier counts, flows, targets, near misses, alerts) |
//! | `registry.rule_sets()` | [`RuleSets`] | `rule_sets/` (publish, simulate, the cache) |
//! | `registry.bulk()` | [`Bulk`] | `bulk/` (import, export, demo data) |
//! | `registry.accounts()` | [`Accounts`] | `accounts/` (logins, sessions, users, tokens) |
//! | `registry.audit()` | [`Audit`] | `audit.rs` |
//!
//! The ledger writer (`ledger`, `tier_diff`, `ledger_batch`, `classify_many`) is shared by the
//! capabilities that change facts; transactions, group commit and checkpoints are storage's.
//!
//! Import rule: files inside `service/` import each other by their own path
//! (`super::firms::Precondition`, `crate::service::error::ServiceError`), never through the
//! re-exports below, and no two files import each other (directly or round a cycle). The
//! re-exports are for the faces (`http`, `web`, `cli`), which import from `crate::service`.
//! Each public method is one transaction; handlers parse, call one method, render.

mod accounts;
mod audit;
mod bulk;
mod capabilities;
mod classify_many;
mod clock;
mod counts;
mod error;
mod figures;
mod firms;
mod idempotency;
mod ledger;
mod ledger_batch;
mod plausibility;
mod registry;
mod rule_sets;
mod tier_diff;
mod tiers;
mod time_passing;

pub use accounts::Accounts;
pub use accounts::policy::AuthPolicy;
pub use accounts::secrets::{random_hex as random_token_hex, same_secret};
pub use accounts::sessions::{IssuedSession, StaffSession};
pub use accounts::tokens::{ApiToken, NewToken, TOKEN_PREFIX};
pub use accounts::users::{NewAccount, StaffUser};
pub use audit::{Audit, AuditEntry, AuditTarget, MAX_AUDIT_PAGE};
pub use bulk::Bulk;
pub use bulk::demo::DemoSummary;
pub use bulk::import_diff::FieldChange;
pub use bulk::report::{ImportReport, RowAction, RowOutcome, SAMPLED_ROWS, TierChange};
pub use clock::Clock;
pub use counts::Counts;
pub use counts::alert_kinds::{
    Alert, AlertKind, DEFAULT_ALERT_DAYS, DEFAULT_ALERT_MARGIN_PERCENT, LeaveCause, MAX_ALERT_DAYS,
    MAX_ALERT_MARGIN_PERCENT,
};
pub use counts::alerts::{AlertPage, AlertQuery};
pub use counts::near_miss::NearMiss;
pub use counts::reports::{
    CountFilter, Flow, GroupBy, GroupTally, TargetProgress, TargetStatus, TierCounts, TierFlow,
    TierFlows, TierTally,
};
pub use counts::series::{Interval, MAX_POINTS as MAX_SERIES_POINTS, SeriesPoint, TierSeries};
pub use counts::target_firms::{TargetFirm, TargetFirms};
pub use counts::target_plan::{Comparison, Target, TargetKind, TargetPlan, TierGroup};
pub use error::ServiceError;
pub use figures::Figures;
pub use figures::facts::{SavedYear, YearPrecondition};
pub use firms::{DEFAULT_PAGE, FirmPage, Firms, MAX_PAGE, Precondition};
pub use idempotency::{Created, Idempotency, IdempotencyScope, Once};
pub use ledger::{Cause, Provenance, Reclassification, apply_classification, event_kind};
pub use ledger_batch::LedgerBatch;
pub use registry::{Conn, Registry};
pub use rule_sets::RuleSets;
pub use rule_sets::cache::rule_errors;
pub use rule_sets::publish::Publication;
pub use rule_sets::simulate::{Mover, Simulation, TierCountChange};
pub use tier_diff::{Place, TrackChange, TrackNow, diff_tiers};
pub use tiers::Tiers;
pub use tiers::overview::MAX_RECENT;
pub use tiers::queries::MAX_EVENTS;
pub use time_passing::TimePassing;
pub use time_passing::day_order::{TIME_JOB, TimeLag};
pub use time_passing::passes::PassSummary;

pub use crate::storage::WriteStats;

/// Query filters callers build; defined with the queries that use them.
pub use crate::storage::{AuditFilter, EventFilter, FirmFilter, FirmOrder};
