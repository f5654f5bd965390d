//! What the counts capability answers: counts per tier, flows, target standings, and the keys
//! their stored answers are kept under. Kept apart from the use cases (`tallies`, `flows`,
//! `targets`) so that the snapshot holding the answers does not depend on them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::near_miss::NearMiss;
use super::target_plan::{Target, TierGroup};
use crate::domain::FieldError;

/// How counts are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// By district (GB/T 2260 code).
    Region,
    /// By industry section letter (GB/T 4754).
    Industry,
}

impl GroupBy {
    /// Parses the `group_by` parameter.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "region" => Ok(Self::Region),
            "industry" => Ok(Self::Industry),
            other => Err(FieldError::new(
                "group_by",
                "invalid_group_by",
                format!("must be region or industry, got {other:?}"),
            )),
        }
    }

    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::Industry => "industry",
        }
    }

    /// The group a bucket falls in.
    pub fn key(self, region_code: &str, industry_code: &str) -> String {
        match self {
            Self::Region => region_code.to_owned(),
            Self::Industry => industry_code.get(..1).unwrap_or("").to_owned(),
        }
    }
}

/// Which firms to count.
#[derive(Debug, Clone, Default)]
pub struct CountFilter {
    /// Only this district.
    pub region: Option<String>,
    /// Only industry codes starting with this (a section letter or a division).
    pub industry: Option<String>,
    /// Break the counts down.
    pub group_by: Option<GroupBy>,
}

impl CountFilter {
    /// Whether a bucket is counted.
    pub fn admits(&self, region_code: &str, industry_code: &str) -> bool {
        self.region.as_deref().is_none_or(|r| r == region_code)
            && self
                .industry
                .as_deref()
                .is_none_or(|i| industry_code.starts_with(i))
    }
}

/// A tier's (or tier group's) count, with its breakdown when grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierTally {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Firms.
    pub firms: i64,
    /// Firms per group key, when grouped.
    pub groups: BTreeMap<String, i64>,
}

/// Counts per tier and per configured tier group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierCounts {
    /// The day counted (today for live counts).
    pub as_of: NaiveDate,
    /// `live` (maintained counts) or `history` (per-day table).
    pub source: &'static str,
    /// The rule set whose tiers are listed, if one is in force.
    pub rule_set: Option<(String, u32)>,
    /// Every tier of that rule set, in file order, then any other tier holding firms.
    pub tiers: Vec<TierTally>,
    /// The configured tier groups.
    pub tier_groups: Vec<GroupTally>,
}

/// A configured tier group's count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTally {
    /// The group's definition.
    pub group: TierGroup,
    /// Firms in any of its tiers.
    pub firms: i64,
    /// Firms per group key, when grouped.
    pub groups: BTreeMap<String, i64>,
}

/// Movements of one tier (in one group when grouped) over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flow {
    /// Count at the end of the day before the period.
    pub opening: i64,
    /// Entered the track at this tier.
    pub entered: i64,
    /// Promoted into this tier from a lower one.
    pub promoted_in: i64,
    /// Demoted into this tier from a higher one.
    pub demoted_in: i64,
    /// Arrived by a change of district or industry (group_by only).
    pub moved_in: i64,
    /// Promoted out of this tier to a higher one.
    pub promoted_out: i64,
    /// Demoted out of this tier to a lower one.
    pub demoted_out: i64,
    /// Left the track from this tier.
    pub exited: i64,
    /// Left by a change of district or industry (group_by only).
    pub moved_out: i64,
    /// Count at the end of the period.
    pub closing: i64,
}

impl Flow {
    /// Closing minus opening.
    pub fn net(&self) -> i64 {
        self.closing - self.opening
    }

    /// Whether the movements explain the change exactly.
    pub fn balances(&self) -> bool {
        self.opening + self.entered + self.promoted_in + self.demoted_in + self.moved_in
            - self.promoted_out
            - self.demoted_out
            - self.exited
            - self.moved_out
            == self.closing
    }
}

/// One tier's flows: in total, and per group key when grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierFlow {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Over all firms.
    pub total: Flow,
    /// Per group key.
    pub groups: BTreeMap<String, Flow>,
}

/// Flows of every tier over `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierFlows {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The rule set in force on `to`.
    pub rule_set: Option<(String, u32)>,
    /// Per tier, in rule-set order.
    pub tiers: Vec<TierFlow>,
}

/// How a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// The comparison holds now (in a closed year: held on 31 December, 已完成).
    Met,
    /// The year is over and the comparison did not hold on 31 December (未完成).
    Missed,
    /// The ledger begins inside the period, so the figure covers only the days from
    /// `history_from`: not judged (a figure of a flow that is already met is `met`).
    IncompleteHistory,
    /// Not met, but progress is at or ahead of a linear pace through the year.
    OnTrack,
    /// Behind a linear pace.
    Behind,
    /// The rule set in force has no such tier or group.
    NotTracked,
}

impl TargetStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Missed => "missed",
            Self::IncompleteHistory => "incomplete_history",
            Self::OnTrack => "on_track",
            Self::Behind => "behind",
            Self::NotTracked => "not_tracked",
        }
    }
}

/// One target's standing.
#[derive(Debug, Clone)]
pub struct TargetProgress {
    /// The configured target.
    pub target: Target,
    /// The tiers it counts (empty when not tracked).
    pub tiers: Vec<String>,
    /// The day the figures are taken (the year's last day, or today if earlier).
    pub as_of: NaiveDate,
    /// The measured figure (none when not tracked).
    pub actual: Option<i64>,
    /// actual / value.
    pub progress: Option<f64>,
    /// The progress a linear pace would have reached by `as_of`.
    pub expected_progress: f64,
    /// Met, on track, behind, missed, incomplete history or not tracked.
    pub status: TargetStatus,
    /// Whether the year is over: the figure is the one of 31 December.
    pub closed: bool,
    /// The first day of the ledger, when it lies inside the period (after the opening day):
    /// changes before it are not recorded, and the figure counts from the day after it (the
    /// initial load is not growth).
    pub history_from: Option<NaiveDate>,
    /// The first day whose changes the figure counts (1 January, or the day after
    /// `history_from`).
    pub counted_from: NaiveDate,
    /// Why the target is not tracked, or how it is measured.
    pub note: Option<String>,
    /// Firms closest to entering the tier.
    pub near_misses: Vec<NearMiss>,
}

/// A stored tally of tiers (before tier groups, which the caller's plan adds).
#[derive(Debug)]
pub(crate) struct CountsAnswer {
    pub(crate) source: &'static str,
    pub(crate) rule_set: Option<(String, u32)>,
    pub(crate) tiers: Vec<TierTally>,
}

/// Which counts answer: the day, whether it is the live one, the filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CountsQuery {
    pub(crate) day: NaiveDate,
    pub(crate) live: bool,
    pub(crate) region: Option<String>,
    pub(crate) industry: Option<String>,
    pub(crate) group_by: Option<GroupBy>,
}

impl CountsQuery {
    pub(crate) fn new(day: NaiveDate, live: bool, filter: &CountFilter) -> Self {
        Self {
            day,
            live,
            region: filter.region.clone(),
            industry: filter.industry.clone(),
            group_by: filter.group_by,
        }
    }
}

/// Which flows answer.
pub(crate) type FlowsQuery = (NaiveDate, NaiveDate, Option<GroupBy>);
