//! Tier counts now or as of a past date, by district or industry section.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Counts;
use super::target_plan::TierGroup;
use crate::domain::FieldError;
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::storage::{self, BucketCount};

/// How counts are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The tiers of `set` (in file order) as empty tallies.
pub(crate) fn empty_tallies(set: Option<&RuleSet>) -> Vec<TierTally> {
    set.map(|s| {
        s.tracks()
            .iter()
            .flat_map(|track| {
                track.tiers.iter().map(|tier| TierTally {
                    track: track.id.clone(),
                    tier: tier.id.clone(),
                    label_zh: tier.label_zh.clone(),
                    label_en: tier.label_en.clone(),
                    firms: 0,
                    groups: BTreeMap::new(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The tally for (track, tier), added at the end when the rule set does not list it (a tier
/// of an earlier rule set that still holds firms).
pub(crate) fn tally_mut<'a>(
    tallies: &'a mut Vec<TierTally>,
    track: &str,
    tier: &str,
) -> &'a mut TierTally {
    let index = match tallies
        .iter()
        .position(|t| t.track == track && t.tier == tier)
    {
        Some(i) => i,
        None => {
            tallies.push(TierTally {
                track: track.to_owned(),
                tier: tier.to_owned(),
                label_zh: tier.to_owned(),
                label_en: tier.to_owned(),
                firms: 0,
                groups: BTreeMap::new(),
            });
            tallies.len() - 1
        }
    };
    &mut tallies[index]
}

/// Folds bucket counts into per-tier tallies and group tallies.
pub(crate) fn tally(
    set: Option<&RuleSet>,
    buckets: &[BucketCount],
    filter: &CountFilter,
    groups: &[TierGroup],
) -> (Vec<TierTally>, Vec<GroupTally>) {
    let mut tallies = empty_tallies(set);
    for b in buckets
        .iter()
        .filter(|b| filter.admits(&b.region_code, &b.industry_code))
    {
        let t = tally_mut(&mut tallies, &b.track, &b.tier);
        t.firms += b.firms;
        if let Some(g) = filter.group_by {
            *t.groups
                .entry(g.key(&b.region_code, &b.industry_code))
                .or_default() += b.firms;
        }
    }
    let group_tallies = groups
        .iter()
        .map(|group| {
            let mut out = GroupTally {
                group: group.clone(),
                firms: 0,
                groups: BTreeMap::new(),
            };
            for t in tallies.iter().filter(|t| group.tiers.contains(&t.tier)) {
                out.firms += t.firms;
                for (k, v) in &t.groups {
                    *out.groups.entry(k.clone()).or_default() += v;
                }
            }
            out
        })
        .collect();
    (tallies, group_tallies)
}

/// Refuses a date after today: the future has no counts yet.
pub(crate) fn not_in_future(
    field: &str,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    if day > today {
        return Err(ServiceError::Validation(
            FieldError::new(
                field,
                "in_the_future",
                format!("{day} is after today ({today})"),
            )
            .into(),
        ));
    }
    Ok(())
}

impl Counts<'_> {
    /// Counts per tier: from the maintained live table without `as_of`, otherwise from the
    /// per-day table (the latest row per bucket on or before the date).
    #[tracing::instrument(skip_all, fields(as_of = ?as_of))]
    pub fn tiers(
        &self,
        as_of: Option<NaiveDate>,
        filter: &CountFilter,
        groups: &[TierGroup],
    ) -> Result<TierCounts, ServiceError> {
        let today = self.registry.clock().today();
        let day = as_of.unwrap_or(today);
        not_in_future("as_of", day, today)?;
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let set = library.in_force(day);
        let (source, buckets) = match as_of {
            None => ("live", storage::live_counts(&mut conn)?),
            Some(day) => (
                "history",
                storage::counts_as_of(
                    &mut conn,
                    day,
                    filter.region.as_deref(),
                    filter.industry.as_deref(),
                )?,
            ),
        };
        let (tiers, tier_groups) = tally(set, &buckets, filter, groups);
        Ok(TierCounts {
            as_of: day,
            source,
            rule_set: set.map(|s| (s.id().to_owned(), s.version())),
            tiers,
            tier_groups,
        })
    }
}
