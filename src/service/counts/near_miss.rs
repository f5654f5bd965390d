//! The firms closest to entering a tier, ranked from their explanation.
//!
//! Every active firm that holds none of the target's tiers is evaluated with the rule set in
//! force. For the target's entry tier (the lowest of its tiers in track order) the rule tree
//! is reduced to the cheapest way to pass: an `all` needs every failing item fixed (counts
//! add up), an `any` needs its cheapest item, a `not` or a `requires` counts as one.
//! Firms are ranked by that number of failing comparisons (missing data counts as failing),
//! then by the relative gap of the failing comparison (|threshold − actual| / |threshold|; with
//! several, the largest), firms whose gap cannot be measured after those that can, then by
//! name. At most `LIMIT` firms are listed.

use std::cmp::Ordering;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::{FirmStatus, RegionCatalog};
use crate::rules::{self, EvalContext, Explanation, Outcome, RuleSet};
use crate::service::error::ServiceError;
use crate::storage::{self, DbConnection, FirmForClassification};

/// Firms listed per target.
pub const LIMIT: usize = 10;
/// Firms loaded per batch while scanning.
const BATCH: i64 = 2_000;

/// A firm close to entering a tier.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// The firm.
    pub firm_id: Uuid,
    /// Its Chinese name.
    pub name: String,
    /// Its district.
    pub region_code: String,
    /// The tier it is closest to.
    pub tier: String,
    /// Comparisons that fail on the cheapest path to the tier.
    pub failing: usize,
    /// The largest relative gap among them, when measurable.
    pub relative_gap: Option<f64>,
    /// The failing comparisons, as the explanation states them.
    pub gaps: Vec<String>,
    /// The same conditions as explanation nodes, for a face to word in its language.
    pub conditions: Vec<Explanation>,
}

/// Cost of passing a subtree: failing comparisons, the worst relative gap, their texts.
#[derive(Debug, Clone, Default)]
struct Cost {
    failing: usize,
    gap: Option<f64>,
    unmeasured: bool,
    texts: Vec<String>,
    nodes: Vec<Explanation>,
}

impl Cost {
    fn rank(&self, other: &Self) -> Ordering {
        self.failing
            .cmp(&other.failing)
            .then(self.unmeasured.cmp(&other.unmeasured))
            .then(
                self.gap
                    .unwrap_or(0.0)
                    .partial_cmp(&other.gap.unwrap_or(0.0))
                    .unwrap_or(Ordering::Equal),
            )
    }

    fn one(node: &Explanation, text: &str, gap: Option<f64>) -> Self {
        Self {
            failing: 1,
            gap,
            unmeasured: gap.is_none(),
            texts: vec![text.to_owned()],
            nodes: vec![node.clone()],
        }
    }
}

fn cost(node: &Explanation) -> Cost {
    if node.outcome() == Outcome::Pass {
        return Cost::default();
    }
    match node {
        Explanation::All { items, .. } => items.iter().map(cost).fold(Cost::default(), |a, b| {
            let gap = match (a.gap, b.gap) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            };
            Cost {
                failing: a.failing + b.failing,
                gap,
                unmeasured: a.unmeasured || b.unmeasured,
                texts: [a.texts, b.texts].concat(),
                nodes: [a.nodes, b.nodes].concat(),
            }
        }),
        Explanation::Any { items, .. } => items
            .iter()
            .map(cost)
            .min_by(|a, b| a.rank(b))
            .unwrap_or_default(),
        Explanation::Not { item, .. } => Cost::one(node, &format!("not: {}", summary(item)), None),
        Explanation::Requires { text, .. } => Cost::one(node, text, None),
        Explanation::Comparison {
            threshold,
            actual,
            text,
            ..
        } => Cost::one(node, text, relative_gap(threshold, actual.as_deref())),
    }
}

/// The comparisons (and `requires` / `not` nodes) that fail on the cheapest way to pass
/// `node`: what a firm would have to fix. Empty when `node` passes.
pub(super) fn failing_conditions(node: &Explanation) -> Vec<Explanation> {
    cost(node).nodes
}

fn summary(node: &Explanation) -> String {
    match node {
        Explanation::Comparison { text, .. } | Explanation::Requires { text, .. } => text.clone(),
        Explanation::All { label, .. }
        | Explanation::Any { label, .. }
        | Explanation::Not { label, .. } => label.clone().unwrap_or_else(|| "a condition".into()),
    }
}

/// A shown amount's unit and value: `US$50,000,000` → ("US$", 5e7); `3%` → ("%", 3).
fn amount(shown: &str) -> Option<(&'static str, f64)> {
    let s = shown.trim().trim_start_matches('≈');
    let (unit, rest) = if let Some(r) = s.strip_prefix("US$") {
        ("US$", r)
    } else if let Some(r) = s.strip_prefix('¥') {
        ("¥", r)
    } else {
        ("", s)
    };
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
        .filter(|c| *c != ',')
        .collect();
    let value: f64 = digits.parse().ok()?;
    let after = &rest[rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-')))
        .unwrap_or(rest.len())..];
    let unit = if unit.is_empty() && after.starts_with('%') {
        "%"
    } else {
        unit
    };
    Some((unit, value))
}

/// |threshold − actual| / |threshold| when both are in the same unit (a US-dollar actual
/// also carries its yuan value in brackets, which matches a yuan threshold).
pub(super) fn relative_gap(threshold: &str, actual: Option<&str>) -> Option<f64> {
    let (unit, t) = amount(threshold)?;
    let actual = actual?;
    let a = match amount(actual) {
        Some((u, a)) if u == unit => a,
        _ if unit == "¥" => {
            amount(
                actual
                    .split("(¥")
                    .nth(1)
                    .map(|s| format!("¥{s}"))
                    .as_deref()?,
            )?
            .1
        }
        _ => return None,
    };
    (t != 0.0).then(|| ((t - a) / t).abs())
}

/// One near-miss list asked for: the tiers a target counts, and its district if any.
pub type NearMissRequest = (Vec<String>, Option<String>);

/// Each request's entry tier, as (track, tier): the lowest of its tiers in track order.
type Entry = Option<(String, String)>;

fn entry_tiers(set: &RuleSet, requests: &[NearMissRequest]) -> Vec<Entry> {
    requests
        .iter()
        .map(|(tiers, _)| {
            set.tracks().iter().find_map(|t| {
                t.tiers
                    .iter()
                    .find(|x| tiers.contains(&x.id))
                    .map(|x| (t.id.clone(), x.id.clone()))
            })
        })
        .collect()
}

/// For each request, up to `LIMIT` firms closest to entering its tiers, among active firms
/// (in its district, if set) that hold none of them. One scan of the firms serves every
/// request, and each firm is evaluated at most once.
pub fn near_misses(
    conn: &mut DbConnection,
    set: &RuleSet,
    catalog: &RegionCatalog,
    today: NaiveDate,
    requests: &[NearMissRequest],
) -> Result<Vec<Vec<NearMiss>>, ServiceError> {
    let entries = entry_tiers(set, requests);
    let ctx = EvalContext::new(today, catalog);
    let mut ranked: Vec<Vec<(Cost, NearMiss)>> = vec![Vec::new(); requests.len()];
    let mut after = None;
    loop {
        let batch = storage::load_batch(conn, after, BATCH)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.firm.id);
        for item in &batch {
            rank_firm(set, &ctx, item, requests, &entries, &mut ranked);
        }
        // Only the best `LIMIT` of each list can be shown: keep memory bounded per batch.
        for list in &mut ranked {
            keep_best(list);
        }
    }
    Ok(ranked
        .into_iter()
        .map(|mut list| {
            keep_best(&mut list);
            list.into_iter().map(|(_, n)| n).collect()
        })
        .collect())
}

/// Adds `item` to the list of each request it is a candidate for: active, in the request's
/// district, holding none of its tiers and failing its entry tier.
fn rank_firm(
    set: &RuleSet,
    ctx: &EvalContext<'_>,
    item: &FirmForClassification,
    requests: &[NearMissRequest],
    entries: &[Entry],
    ranked: &mut [Vec<(Cost, NearMiss)>],
) {
    let profile = &item.firm.profile;
    if profile.status != FirmStatus::Active {
        return;
    }
    let mut assessment = None;
    for (i, ((tiers, region), entry)) in requests.iter().zip(entries).enumerate() {
        let Some((track, entry)) = entry else {
            continue;
        };
        if region
            .as_deref()
            .is_some_and(|r| r != profile.region_code.as_str())
            || item.current.iter().any(|c| tiers.contains(&c.tier))
        {
            continue;
        }
        let assessment = assessment.get_or_insert_with(|| rules::evaluate(set, &item.dossier, ctx));
        let Some(tier) = assessment
            .tracks
            .iter()
            .filter(|t| &t.track == track)
            .flat_map(|t| t.tiers.iter())
            .find(|t| &t.tier == entry)
        else {
            continue;
        };
        let c = cost(&tier.rule);
        if c.failing == 0 {
            continue;
        }
        ranked[i].push((
            c.clone(),
            NearMiss {
                firm_id: item.firm.id,
                name: profile.name.clone(),
                region_code: profile.region_code.as_str().to_owned(),
                tier: entry.clone(),
                failing: c.failing,
                relative_gap: c.gap.map(|g| (g * 10_000.0).round() / 10_000.0),
                gaps: c.texts,
                conditions: c.nodes,
            },
        ));
    }
}

/// Sorts by rank, then name, and keeps the first `LIMIT`.
fn keep_best(list: &mut Vec<(Cost, NearMiss)>) {
    list.sort_by(|(a, x), (b, y)| a.rank(b).then_with(|| x.name.cmp(&y.name)));
    list.truncate(LIMIT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_measured_in_the_threshold_unit() {
        assert_eq!(relative_gap("¥100,000,000", Some("¥90,000,000")), Some(0.1));
        assert_eq!(
            relative_gap("¥300,000,000", Some("US$30,000,000 (¥210,000,000)")),
            Some(0.3)
        );
        assert_eq!(relative_gap("3%", Some("1.5%")), Some(0.5));
        assert_eq!(relative_gap("US$50,000,000", Some("¥90,000,000")), None);
        assert_eq!(relative_gap("¥1", None), None);
    }
}
