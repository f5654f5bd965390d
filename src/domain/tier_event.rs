//! A recorded tier change and a published rule set, as the service hands them out.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// One ledger row: a firm's tier in a track changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierEvent {
    /// Position in the ledger.
    pub position: i64,
    /// The firm.
    pub firm_id: Uuid,
    /// The firm's own event counter.
    pub seq: i32,
    /// Track id.
    pub track: String,
    /// Tier before (none: entered).
    pub from_tier: Option<String>,
    /// Tier after (none: exited).
    pub to_tier: Option<String>,
    /// entered / promoted / demoted / exited.
    pub kind: String,
    /// The day it took effect.
    pub effective_on: NaiveDate,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Why.
    pub cause: String,
    /// Who.
    pub actor: String,
    /// Rule set id.
    pub rule_set_id: String,
    /// Rule set version.
    pub rule_set_version: i32,
    /// SHA-256 of the rule file.
    pub rule_set_hash: String,
    /// The firm's district then.
    pub region_code: String,
    /// The firm's industry then.
    pub industry_code: String,
    /// The track's explanation, as JSON text.
    pub explanation: String,
}

/// A published rule set version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRuleSet {
    /// Rule set id.
    pub id: String,
    /// Version.
    pub version: i32,
    /// First day it applies.
    pub effective_from: NaiveDate,
    /// SHA-256 of the file.
    pub content_hash: String,
    /// The file name it was published from.
    pub origin: String,
    /// The file's text.
    pub content: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
    /// Whether it is the set in force today.
    pub in_force: bool,
}
