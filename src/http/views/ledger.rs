//! Ledger and rule-set views.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{PublishedRuleSet, TierEvent};
use crate::rules::RuleSet;

/// Which rule set decided an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleSetRefResponse {
    /// Rule set id.
    pub id: String,
    /// Version.
    pub version: i32,
    /// SHA-256 of the rule file.
    pub content_hash: String,
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TierEventResponse {
    /// Position in the ledger; resume the feed with `after=<position>`.
    pub position: i64,
    /// The firm.
    pub firm_id: Uuid,
    /// The firm's own event counter (1, 2, …).
    pub seq: i32,
    /// Track (`unicorn`, `gazelle`, `high_tech`).
    pub track: String,
    /// Tier before; null when the firm entered the track.
    pub from_tier: Option<String>,
    /// Tier after; null when the firm left the track.
    pub to_tier: Option<String>,
    /// `entered`, `promoted`, `demoted`, `exited`, or `moved` (same tier, new district or
    /// industry).
    pub kind: String,
    /// The day the change took effect.
    pub effective_on: NaiveDate,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// `firm_changed`, `figures_changed`, `financing_added`, `certificate_changed`,
    /// `rules_published`, `time_passed`, `import` or `correction`.
    pub cause: String,
    /// Who made the change.
    pub actor: String,
    /// The rule set that decided it.
    pub rule_set: RuleSetRefResponse,
    /// The firm's district at the time.
    pub region_code: String,
    /// The firm's industry at the time.
    pub industry_code: String,
    /// The track's explanation: every tier, every comparison, the gaps.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
}

impl TryFrom<&TierEvent> for TierEventResponse {
    type Error = anyhow::Error;

    fn try_from(e: &TierEvent) -> Result<Self, Self::Error> {
        Ok(Self {
            position: e.position,
            firm_id: e.firm_id,
            seq: e.seq,
            track: e.track.clone(),
            from_tier: e.from_tier.clone(),
            to_tier: e.to_tier.clone(),
            kind: e.kind.as_str().to_owned(),
            effective_on: e.effective_on,
            recorded_at: e.recorded_at,
            cause: e.cause.as_str().to_owned(),
            actor: e.actor.clone(),
            rule_set: RuleSetRefResponse {
                id: e.rule_set_id.clone(),
                version: e.rule_set_version,
                content_hash: e.rule_set_hash.clone(),
            },
            region_code: e.region_code.clone(),
            industry_code: e.industry_code.clone(),
            explanation: serde_json::from_str(&e.explanation)?,
        })
    }
}

/// A page of the ledger feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TierEventPage {
    /// Events in ledger order.
    pub items: Vec<TierEventResponse>,
    /// Pass as `after` to continue; equals the `after` sent when nothing new was found.
    pub next_after: i64,
}

/// A published rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleSetSummary {
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
    /// When it was published (UTC).
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
    /// Whether it is the set in force today.
    pub in_force: bool,
}

impl RuleSetSummary {
    /// The view of a publication.
    pub fn new(set: &PublishedRuleSet) -> Self {
        Self {
            id: set.id.clone(),
            version: set.version,
            effective_from: set.effective_from,
            content_hash: set.content_hash.clone(),
            origin: set.origin.clone(),
            published_at: set.published_at,
            published_by: set.published_by.clone(),
            in_force: set.in_force,
        }
    }
}

/// A tier of a track, as the rule set describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierDescription {
    /// Tier id.
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// The document the criteria come from.
    pub source: String,
    /// Notes on choices made.
    pub note: String,
}

/// A track, lowest tier first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrackDescription {
    /// Track id.
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// What the programme is.
    pub description: String,
    /// Tiers, lowest first.
    pub tiers: Vec<TierDescription>,
}

/// The rule set in force, readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurrentRuleSetResponse {
    /// Publication details.
    #[serde(flatten)]
    pub summary: RuleSetSummary,
    /// What the set is.
    pub description: String,
    /// Its tracks and tiers.
    pub tracks: Vec<TrackDescription>,
    /// The rule file itself (TOML).
    pub content: String,
}

impl CurrentRuleSetResponse {
    /// The readable view of the set in force.
    pub fn new(set: &RuleSet, row: &PublishedRuleSet) -> Self {
        Self {
            summary: RuleSetSummary::new(row),
            description: set.description().to_owned(),
            tracks: set
                .tracks()
                .iter()
                .map(|t| TrackDescription {
                    id: t.id.clone(),
                    label_zh: t.label_zh.clone(),
                    label_en: t.label_en.clone(),
                    description: t.description.clone(),
                    tiers: t
                        .tiers
                        .iter()
                        .map(|tier| TierDescription {
                            id: tier.id.clone(),
                            label_zh: tier.label_zh.clone(),
                            label_en: tier.label_en.clone(),
                            source: tier.source.clone(),
                            note: tier.note.clone(),
                        })
                        .collect(),
                })
                .collect(),
            content: row.content.clone(),
        }
    }
}

/// What a publication did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicationResponse {
    /// Rule set id.
    pub id: String,
    /// Version.
    pub version: u32,
    /// SHA-256 of the file.
    pub content_hash: String,
    /// False when this exact file was already published (nothing changed).
    pub published: bool,
    /// Whether it is in force today.
    pub in_force: bool,
    /// Firms reclassified.
    pub firms_reclassified: u64,
    /// Tier events recorded.
    pub events_recorded: u64,
}
