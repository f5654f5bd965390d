//! What a draft rule set would do to every firm, without writing anything.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::RuleSets;
use super::cache::rule_errors;
use crate::domain::EventKind;
use crate::rules::{self, EvalContext, Explanation, Outcome, RuleSet, TrackAssessment};
use crate::service::error::ServiceError;
use crate::service::ledger::event_kind;
use crate::storage::{self, FirmForClassification};

/// The most movers listed; the total is always given.
const MAX_MOVERS: usize = 1_000;

/// Firms in one tier now and under the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TierCountChange {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// District (`region_code`) or industry section, for the grouped lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Firms holding it now.
    pub before: u64,
    /// Firms that would hold it under the draft.
    pub after: u64,
    /// `after − before`.
    pub change: i64,
}

/// A firm whose tier would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mover {
    /// Firm id.
    pub firm_id: Uuid,
    /// USCC.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Track.
    pub track: String,
    /// Tier now.
    pub from: Option<String>,
    /// Tier under the draft.
    pub to: Option<String>,
    /// entered / promoted / demoted / exited.
    pub kind: String,
    /// The comparison that decided it, in words.
    pub reason: String,
}

/// The effect of a draft over the whole population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Simulation {
    /// The draft's id.
    pub rule_set_id: String,
    /// The draft's version.
    pub rule_set_version: u32,
    /// SHA-256 of the draft.
    pub content_hash: String,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// Firms evaluated.
    pub firms: u64,
    /// Per track and tier.
    pub tiers: Vec<TierCountChange>,
    /// Per track, tier and district.
    pub by_region: Vec<TierCountChange>,
    /// Per track, tier and industry section.
    pub by_industry: Vec<TierCountChange>,
    /// Firms that would move (at most 1,000 listed).
    pub movers: Vec<Mover>,
    /// How many would move in all.
    pub movers_total: u64,
    /// Load-time warnings of the draft.
    pub warnings: Vec<String>,
}

type Key = (String, String, Option<String>);

fn count(map: &mut BTreeMap<Key, (u64, u64)>, key: Key, before: bool) {
    let entry = map.entry(key).or_default();
    if before {
        entry.0 += 1;
    } else {
        entry.1 += 1;
    }
}

fn rows(map: BTreeMap<Key, (u64, u64)>) -> Vec<TierCountChange> {
    map.into_iter()
        .map(|((track, tier, group), (before, after))| TierCountChange {
            track,
            tier,
            group,
            before,
            after,
            change: after as i64 - before as i64,
        })
        .collect()
}

/// The first comparison in `rule` that did not pass (failed, or lacked data), in words.
fn first_unmet(rule: &Explanation) -> Option<String> {
    match rule {
        Explanation::Comparison { outcome, text, .. }
        | Explanation::Requires { outcome, text, .. } => {
            (*outcome != Outcome::Pass).then(|| text.clone())
        }
        Explanation::All { items, outcome, .. } | Explanation::Any { items, outcome, .. } => {
            if *outcome == Outcome::Pass {
                None
            } else {
                items.iter().find_map(first_unmet)
            }
        }
        Explanation::Not { item, outcome, .. } => (*outcome != Outcome::Pass)
            .then(|| format!("not ({})", first_unmet(item).unwrap_or_default())),
    }
}

fn reason(track: &TrackAssessment, from: Option<&str>, to: Option<&str>, promoted: bool) -> String {
    let tier = |id: &str| track.tiers.iter().find(|t| t.tier == id);
    if promoted && let Some(to) = to.and_then(tier) {
        return format!("meets {} ({})", to.label_zh, to.tier);
    }
    if let Some(from) = from.and_then(tier) {
        if let Some(text) = first_unmet(&from.rule) {
            return format!("no longer meets {} ({}): {text}", from.label_zh, from.tier);
        }
        return format!("no longer meets {} ({})", from.label_zh, from.tier);
    }
    match to {
        Some(to) => format!("now holds {to}"),
        None => "holds no tier in this track".into(),
    }
}

/// What a simulation has counted so far.
#[derive(Default)]
struct Tally {
    tiers: BTreeMap<Key, (u64, u64)>,
    by_region: BTreeMap<Key, (u64, u64)>,
    by_industry: BTreeMap<Key, (u64, u64)>,
    movers: Vec<Mover>,
    movers_total: u64,
    firms: u64,
}

impl Tally {
    /// Counts one holding (`before`) or would-be holding of `tier`, overall and in the firm's
    /// district and industry section.
    fn hold(&mut self, track: &str, tier: &str, region: &str, section: &str, before: bool) {
        count(&mut self.tiers, (track.into(), tier.into(), None), before);
        count(
            &mut self.by_region,
            (track.into(), tier.into(), Some(region.to_owned())),
            before,
        );
        count(
            &mut self.by_industry,
            (track.into(), tier.into(), Some(section.to_owned())),
            before,
        );
    }

    /// Counts one firm's tiers now and under `draft`, and lists it where they differ.
    fn firm(&mut self, draft: &RuleSet, ctx: &EvalContext<'_>, item: &FirmForClassification) {
        self.firms += 1;
        let region = item.firm.profile.region_code.to_string();
        let section = item.firm.profile.industry_code.section().to_owned();
        for held in &item.current {
            self.hold(&held.track, &held.tier, &region, &section, true);
        }
        let new = rules::classify(draft, &item.dossier, ctx);
        let mut explained = None;
        for (index, track) in draft.tracks().iter().enumerate() {
            let to = new.get(index).map(|t| track.tiers[t].id.as_str());
            if let Some(to) = to {
                self.hold(&track.id, to, &region, &section, false);
            }
            let from = item
                .current
                .iter()
                .find(|c| c.track == track.id)
                .map(|c| c.tier.as_str());
            if from == to {
                continue;
            }
            self.movers_total += 1;
            if self.movers.len() >= MAX_MOVERS {
                continue;
            }
            let assessment =
                explained.get_or_insert_with(|| rules::evaluate(draft, &item.dossier, ctx));
            let kind = event_kind(track, from, to);
            let why = assessment
                .tracks
                .iter()
                .find(|t| t.track == track.id)
                .map(|t| {
                    reason(
                        t,
                        from,
                        to,
                        matches!(kind, EventKind::Entered | EventKind::Promoted),
                    )
                })
                .unwrap_or_default();
            self.movers.push(Mover {
                firm_id: item.firm.id,
                uscc: item.firm.profile.uscc.to_string(),
                name: item.firm.profile.name.clone(),
                track: track.id.clone(),
                from: from.map(str::to_owned),
                to: to.map(str::to_owned),
                kind: kind.as_str().to_owned(),
                reason: why,
            });
        }
    }
}

impl RuleSets<'_> {
    /// Evaluates the draft `text` for every firm as of `as_of` (default today) and compares
    /// with the tiers firms hold now. Writes nothing.
    pub fn simulate(
        &self,
        text: &str,
        origin: &str,
        as_of: Option<NaiveDate>,
    ) -> Result<Simulation, ServiceError> {
        let draft = RuleSet::parse(text, origin).map_err(|e| rule_errors(&e))?;
        let as_of = as_of.unwrap_or_else(|| self.registry.clock().today());
        let ctx = EvalContext::new(as_of, self.registry.catalog());
        let mut tally = Tally::default();
        let mut conn = self.registry.conn()?;
        let mut after = None;
        loop {
            let batch = storage::load_batch(&mut conn, after, 2_000)?;
            let Some(last) = batch.last() else { break };
            after = Some(last.firm.id);
            for item in &batch {
                tally.firm(&draft, &ctx, item);
            }
        }
        Ok(Simulation {
            rule_set_id: draft.id().to_owned(),
            rule_set_version: draft.version(),
            content_hash: draft.content_hash().to_owned(),
            as_of,
            firms: tally.firms,
            tiers: rows(tally.tiers),
            by_region: rows(tally.by_region),
            by_industry: rows(tally.by_industry),
            movers: tally.movers,
            movers_total: tally.movers_total,
            warnings: draft.warnings().iter().map(ToString::to_string).collect(),
        })
    }
}
