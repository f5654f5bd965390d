//! What `evaluate` returns: tiers per track and an explanation of every tier and path, as
//! snake_case JSON for the API, the ledger and the CLI.

use chrono::NaiveDate;
use serde::Serialize;

use super::evaluate::{Outcome, Tiers};
use super::model::Op;

/// A firm's tiers as of a date under one rule set, with the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Which rules decided.
    pub rule_set: RuleSetRef,
    /// The evaluation date D.
    pub as_of: NaiveDate,
    /// The fiscal year whose figures were used.
    pub data_year: i32,
    /// Set when the firm is deregistered and therefore holds no tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// One entry per track, in file order.
    pub tracks: Vec<TrackAssessment>,
    #[serde(skip)]
    pub(crate) tiers: Tiers,
}

impl Assessment {
    /// The tiers, comparable with the fast path's result.
    pub fn tiers(&self) -> Tiers {
        self.tiers
    }
}

/// Identity of the rule set used: id, version and SHA-256 of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSetRef {
    /// Rule set id.
    pub id: String,
    /// Rule set version.
    pub version: u32,
    /// SHA-256 of the file, hex.
    pub content_hash: String,
}

/// One track's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackAssessment {
    /// Track id.
    pub track: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// The highest tier that passed, if any.
    pub tier: Option<String>,
    /// Higher tiers whose verdict waits on missing data.
    pub undecided: Vec<String>,
    /// Every tier, lowest first.
    pub tiers: Vec<TierAssessment>,
}

/// A tier's verdict: the three-valued outcome of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TierOutcome {
    /// The rule holds.
    Pass,
    /// The rule does not hold.
    Fail,
    /// The verdict depends on facts that are not recorded (listed in `missing`).
    InsufficientData,
}

/// One tier's verdict with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierAssessment {
    /// Tier id.
    pub tier: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Source document.
    pub source: String,
    /// Pass, fail or insufficient data.
    pub outcome: TierOutcome,
    /// When insufficient: the missing facts, each naming its metric.
    pub missing: Vec<String>,
    /// The rule tree with every comparison's result.
    pub rule: Explanation,
}

/// A node of the explained rule tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Explanation {
    /// Every item must pass.
    All {
        /// Optional name from the rule file.
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// Result.
        outcome: Outcome,
        /// Every item, evaluated in full.
        items: Vec<Explanation>,
    },
    /// One item must pass.
    Any {
        /// Optional name from the rule file.
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// Result.
        outcome: Outcome,
        /// Every item, evaluated in full.
        items: Vec<Explanation>,
    },
    /// The item must fail.
    Not {
        /// Optional name from the rule file.
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// Result.
        outcome: Outcome,
        /// The negated item.
        item: Box<Explanation>,
    },
    /// Another track's tier (or higher) is needed.
    Requires {
        /// Optional name from the rule file.
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// Track id.
        track: String,
        /// Tier id.
        tier: String,
        /// The tier held there.
        held: Option<String>,
        /// Result.
        outcome: Outcome,
        /// In words.
        text: String,
    },
    /// `metric op threshold`.
    Comparison {
        /// Metric name.
        metric: String,
        /// Operator.
        op: Op,
        /// Threshold as written for people.
        threshold: String,
        /// The firm's value, if known.
        actual: Option<String>,
        /// Result.
        outcome: Outcome,
        /// In words, with the gap when it fails.
        text: String,
        /// The gap as a number and unit, for pages that word it in another language. Not
        /// serialised: the API and the ledger carry `text`.
        #[serde(skip)]
        gap: Option<Gap>,
    },
}

/// How far a failed comparison is from passing, in the metric's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The amount, formatted (`0.90`, `1,000,000`).
    pub amount: String,
    /// What the amount counts.
    pub unit: GapUnit,
    /// `true` when the value is above an upper bound, `false` when below a lower one.
    pub over: bool,
}

/// The unit of a [`Gap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapUnit {
    /// Yuan.
    Yuan,
    /// Percentage points.
    Points,
    /// Whole years.
    Years,
    /// Calendar days.
    Days,
    /// A count or score.
    Count,
    /// The value equals an excluded threshold (`amount` is the threshold as written).
    EqualToThreshold,
    /// Revenue of `needed` yuan in `year` would meet a growth rule; `amount` is the shortfall.
    RevenueNeeded {
        /// Revenue that would meet the rule, formatted.
        needed: String,
        /// The data year.
        year: i32,
    },
}

impl Explanation {
    /// The node's outcome.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::All { outcome, .. }
            | Self::Any { outcome, .. }
            | Self::Not { outcome, .. }
            | Self::Requires { outcome, .. }
            | Self::Comparison { outcome, .. } => *outcome,
        }
    }
}
