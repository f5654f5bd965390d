//! Tier flows over a period: opening and closing counts with every movement between them.
//!
//! Entries, promotions, demotions and exits come from the ledger events effective in the
//! period. A firm that changes district or industry while holding a tier is recorded as a
//! `moved` event, which changes no tier: moves are recovered per group and day as the count
//! table's net change minus the other events' net change, so `opening + ins − outs = closing`
//! holds exactly. Moves are netted per group and day: one firm moving in and another out of
//! the same group on the same day cancel.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Days, NaiveDate};

use super::Counts;
use super::reports::{Flow, GroupBy, TierFlow, TierFlows};
use super::snapshot::SnapshotKey;
use super::tallies::{empty_tallies, not_in_future, tally_mut};
use crate::domain::FieldError;
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::storage::{self, BucketCount, DayDelta, TransitionCount};

/// Which field of a flow an event adds to.
#[derive(Clone, Copy)]
enum Side {
    Opening,
    Closing,
}

fn add(flow: &mut Flow, side: Side, n: i64) {
    match side {
        Side::Opening => flow.opening += n,
        Side::Closing => flow.closing += n,
    }
}

type Key = (String, String, String); // track, tier, group key ("" when ungrouped)

/// The key of a bucket: its track, tier and group (by `group_by`, "" when ungrouped).
fn key_of(group_by: Option<GroupBy>, track: &str, tier: &str, region: &str, industry: &str) -> Key {
    let group = group_by
        .map(|g| g.key(region, industry))
        .unwrap_or_default();
    (track.to_owned(), tier.to_owned(), group)
}

/// Every key's flow: opening and closing from the counts, movements from the events, and
/// moves between groups from what the events leave unexplained in the per-day deltas.
fn movements(
    group_by: Option<GroupBy>,
    opening: &[BucketCount],
    closing: &[BucketCount],
    events: &[TransitionCount],
    deltas: &[DayDelta],
) -> HashMap<Key, Flow> {
    let mut flows: HashMap<Key, Flow> = HashMap::new();
    for (side, rows) in [(Side::Opening, opening), (Side::Closing, closing)] {
        for b in rows {
            let key = key_of(
                group_by,
                &b.track,
                &b.tier,
                &b.region_code,
                &b.industry_code,
            );
            add(flows.entry(key).or_default(), side, b.firms);
        }
    }
    // Net change per group and day: from the count table, and from the events.
    let mut unexplained: HashMap<(Key, NaiveDate), i64> = HashMap::new();
    for d in deltas {
        let key = key_of(
            group_by,
            &d.track,
            &d.tier,
            &d.region_code,
            &d.industry_code,
        );
        *unexplained.entry((key, d.day)).or_default() += d.delta;
    }
    for e in events {
        let n = e.events;
        if let Some(tier) = &e.from_tier {
            let key = key_of(group_by, &e.track, tier, &e.region_code, &e.industry_code);
            let flow = flows.entry(key.clone()).or_default();
            match e.kind.as_str() {
                "promoted" => flow.promoted_out += n,
                "demoted" => flow.demoted_out += n,
                _ => flow.exited += n,
            }
            *unexplained.entry((key, e.day)).or_default() += n;
        }
        if let Some(tier) = &e.to_tier {
            let key = key_of(group_by, &e.track, tier, &e.region_code, &e.industry_code);
            let flow = flows.entry(key.clone()).or_default();
            match e.kind.as_str() {
                "promoted" => flow.promoted_in += n,
                "demoted" => flow.demoted_in += n,
                _ => flow.entered += n,
            }
            *unexplained.entry((key, e.day)).or_default() -= n;
        }
    }
    for ((key, _day), moved) in unexplained {
        let flow = flows.entry(key).or_default();
        if moved > 0 {
            flow.moved_in += moved;
        } else {
            flow.moved_out -= moved;
        }
    }
    flows
}

/// The flows summed per tier, in rule-set order (tiers no longer in `set` after it).
fn per_tier(
    set: Option<&RuleSet>,
    flows: &HashMap<Key, Flow>,
    group_by: Option<GroupBy>,
) -> Vec<TierFlow> {
    let mut tallies = empty_tallies(set);
    let mut keys: Vec<&Key> = flows.keys().collect();
    keys.sort();
    for (track, tier, _) in &keys {
        tally_mut(&mut tallies, track, tier);
    }
    tallies
        .into_iter()
        .map(|t| {
            let mut total = Flow::default();
            let mut groups = BTreeMap::new();
            for ((track, tier, group), flow) in flows {
                if *track != t.track || *tier != t.tier {
                    continue;
                }
                accumulate(&mut total, flow);
                if group_by.is_some() {
                    groups.insert(group.clone(), flow.clone());
                }
            }
            TierFlow {
                track: t.track,
                tier: t.tier,
                label_zh: t.label_zh,
                label_en: t.label_en,
                total,
                groups,
            }
        })
        .collect()
}

impl Counts<'_> {
    /// Opening, movements and closing of every tier over `[from, to]`.
    pub fn flows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        group_by: Option<GroupBy>,
    ) -> Result<TierFlows, ServiceError> {
        Ok(self.flows_at(from, to, group_by)?.1.as_ref().clone())
    }

    /// `flows` with the snapshot key it belongs to; kept in the snapshot until new events
    /// touch a day of the period.
    #[tracing::instrument(skip_all, fields(from = %from, to = %to))]
    pub fn flows_at(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        group_by: Option<GroupBy>,
    ) -> Result<(SnapshotKey, Arc<TierFlows>), ServiceError> {
        if from > to {
            return Err(ServiceError::Validation(
                FieldError::new("from", "after_to", format!("{from} is after to ({to})")).into(),
            ));
        }
        not_in_future("to", to, self.registry.clock().today())?;
        let key = self.version()?.key;
        let snapshot = self.registry.counts_snapshot();
        if let Some(found) = snapshot.flows.get(&(from, to, group_by)) {
            return Ok((key, found));
        }
        let ticket = snapshot.flows.ticket();
        let flows = Arc::new(self.compute_flows(from, to, group_by)?);
        snapshot
            .flows
            .put((from, to, group_by), flows.clone(), to, ticket);
        Ok((key, flows))
    }

    /// The stored answer for a fresh key, from memory only.
    pub fn flows_from_memory(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        group_by: Option<GroupBy>,
    ) -> Option<(SnapshotKey, Arc<TierFlows>)> {
        let key = self.fresh_key()?;
        let found = self
            .registry
            .counts_snapshot()
            .flows
            .get(&(from, to, group_by))?;
        Some((key, found))
    }

    fn compute_flows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        group_by: Option<GroupBy>,
    ) -> Result<TierFlows, ServiceError> {
        let before = from.checked_sub_days(Days::new(1)).ok_or_else(|| {
            ServiceError::Validation(FieldError::new("from", "out_of_range", "is too early").into())
        })?;
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let set = library.in_force(to);
        let opening = storage::counts_as_of(&mut conn, before, None, None)?;
        let closing = storage::counts_as_of(&mut conn, to, None, None)?;
        let events = storage::transitions(&mut conn, from, to)?;
        let deltas = storage::day_deltas(&mut conn, from, to)?;
        drop(conn);

        let flows = movements(group_by, &opening, &closing, &events, &deltas);
        Ok(TierFlows {
            from,
            to,
            rule_set: set.map(|s| (s.id().to_owned(), s.version())),
            tiers: per_tier(set, &flows, group_by),
        })
    }
}

/// Adds one group's flow into a total.
fn accumulate(total: &mut Flow, flow: &Flow) {
    total.opening += flow.opening;
    total.entered += flow.entered;
    total.promoted_in += flow.promoted_in;
    total.demoted_in += flow.demoted_in;
    total.promoted_out += flow.promoted_out;
    total.demoted_out += flow.demoted_out;
    total.exited += flow.exited;
    total.closing += flow.closing;
    // Netted so that the total shows no moves: a move leaves one group and enters another.
    let net_moved = total.moved_in - total.moved_out + flow.moved_in - flow.moved_out;
    total.moved_in = net_moved.max(0);
    total.moved_out = (-net_moved).max(0);
}
