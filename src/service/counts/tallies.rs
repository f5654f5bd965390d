//! Tier counts now or as of a past date, by district or industry section.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::Counts;
use super::reports::{CountFilter, CountsAnswer, CountsQuery, GroupTally, TierCounts, TierTally};
use super::snapshot::SnapshotKey;
use super::target_plan::TierGroup;
use crate::domain::FieldError;
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::storage::{self, BucketCount};

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

/// Folds bucket counts into per-tier tallies.
pub(crate) fn tally(
    set: Option<&RuleSet>,
    buckets: &[BucketCount],
    filter: &CountFilter,
) -> Vec<TierTally> {
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
    tallies
}

/// Each configured tier group's count from the tier tallies.
pub(crate) fn group_tallies(tallies: &[TierTally], groups: &[TierGroup]) -> Vec<GroupTally> {
    groups
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
        .collect()
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
    /// Counts per tier: without `as_of` from the snapshot's live counts, otherwise from the
    /// per-day table (the latest row per bucket on or before the date); either way kept in
    /// the snapshot until new events touch the day counted.
    #[tracing::instrument(skip_all, fields(as_of = ?as_of))]
    pub fn tiers(
        &self,
        as_of: Option<NaiveDate>,
        filter: &CountFilter,
        groups: &[TierGroup],
    ) -> Result<TierCounts, ServiceError> {
        Ok(self.tiers_at(as_of, filter, groups)?.1)
    }

    /// `tiers`, with the snapshot key the answer belongs to (the ETag's source).
    pub fn tiers_at(
        &self,
        as_of: Option<NaiveDate>,
        filter: &CountFilter,
        groups: &[TierGroup],
    ) -> Result<(SnapshotKey, TierCounts), ServiceError> {
        let today = self.registry.clock().today();
        let day = as_of.unwrap_or(today);
        not_in_future("as_of", day, today)?;
        let key = self.version()?.key;
        let query = CountsQuery::new(day, as_of.is_none(), filter);
        let snapshot = self.registry.counts_snapshot();
        let answer = match snapshot.counts.get(&query) {
            Some(answer) => answer,
            None => {
                let ticket = snapshot.counts.ticket();
                let answer = Arc::new(self.compute_tiers(as_of, day, filter)?);
                let until = if as_of.is_none() { NaiveDate::MAX } else { day };
                snapshot.counts.put(query, answer.clone(), until, ticket);
                answer
            }
        };
        Ok((key, counts_of(day, &answer, groups)))
    }

    /// The answer for a fresh key, from memory only: none when the head must be read or the
    /// answer computed (the caller then goes through `tiers_at` on a blocking thread).
    pub fn tiers_from_memory(
        &self,
        as_of: Option<NaiveDate>,
        filter: &CountFilter,
        groups: &[TierGroup],
    ) -> Option<(SnapshotKey, TierCounts)> {
        let today = self.registry.clock().today();
        let day = as_of.unwrap_or(today);
        if day > today {
            return None;
        }
        let key = self.fresh_key()?;
        let answer = self
            .registry
            .counts_snapshot()
            .counts
            .get(&CountsQuery::new(day, as_of.is_none(), filter))?;
        Some((key, counts_of(day, &answer, groups)))
    }

    fn compute_tiers(
        &self,
        as_of: Option<NaiveDate>,
        day: NaiveDate,
        filter: &CountFilter,
    ) -> Result<CountsAnswer, ServiceError> {
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let set = library.in_force(day);
        let tiers = match as_of {
            None => {
                drop(conn);
                let live = self.registry.counts_snapshot().live();
                tally(set, live.rows(), filter)
            }
            Some(day) => {
                let buckets = storage::counts_as_of(
                    &mut conn,
                    day,
                    filter.region.as_deref(),
                    filter.industry.as_deref(),
                )?;
                tally(set, &buckets, filter)
            }
        };
        Ok(CountsAnswer {
            source: if as_of.is_none() { "live" } else { "history" },
            rule_set: set.map(|s| (s.id().to_owned(), s.version())),
            tiers,
        })
    }
}

fn counts_of(day: NaiveDate, answer: &CountsAnswer, groups: &[TierGroup]) -> TierCounts {
    TierCounts {
        as_of: day,
        source: answer.source,
        rule_set: answer.rule_set.clone(),
        tier_groups: group_tallies(&answer.tiers, groups),
        tiers: answer.tiers.clone(),
    }
}
