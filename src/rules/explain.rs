//! The explained path: every tier and every path evaluated in full, with reasons.

use super::RuleSet;
use super::assessment::{
    Assessment, Explanation, RuleSetRef, TierAssessment, TierOutcome, TrackAssessment,
};
use super::describe::describe;
use super::evaluate::{EvalContext, Outcome, Tiers, TrackState, requires_outcome};
use super::facts::Facts;
use super::model::{MAX_TRACKS, Node};
use crate::domain::{Dossier, FirmStatus};

/// Tiers with an explanation of every tier and path; the same tiers as
/// [`classify`](super::classify). Deterministic: the same inputs give the same value.
pub fn evaluate(rules: &RuleSet, dossier: &Dossier, ctx: &EvalContext<'_>) -> Assessment {
    let mut facts = Facts::new(rules, dossier, ctx);
    let mut assessment = Assessment {
        rule_set: RuleSetRef {
            id: rules.id.clone(),
            version: rules.version,
            content_hash: rules.content_hash.clone(),
        },
        as_of: ctx.as_of,
        data_year: facts.data_year(),
        note: None,
        tracks: Vec::with_capacity(rules.tracks.len()),
        tiers: Tiers::none(rules.tracks.len()),
    };
    let deregistered = dossier.firm.status == FirmStatus::Deregistered;
    if deregistered {
        assessment.note = Some("the firm is deregistered and holds no tier".to_owned());
    }
    let mut states = [TrackState::default(); MAX_TRACKS];
    let mut explained: Vec<Option<TrackAssessment>> = vec![None; rules.tracks.len()];
    for &t in &rules.order {
        let track = &rules.tracks[t];
        let mut tiers = Vec::with_capacity(track.tiers.len());
        for tier in &track.tiers {
            let rule = explain(&tier.rule, &mut facts, &states, rules);
            let outcome = match (deregistered, rule.outcome()) {
                (true, _) | (false, Outcome::Fail) => TierOutcome::Fail,
                (false, Outcome::Pass) => TierOutcome::Pass,
                (false, Outcome::Missing) => TierOutcome::InsufficientData,
            };
            let mut missing = Vec::new();
            if outcome == TierOutcome::InsufficientData {
                missing_facts(&rule, &mut missing);
            }
            tiers.push(TierAssessment {
                tier: tier.id.clone(),
                label_zh: tier.label_zh.clone(),
                label_en: tier.label_en.clone(),
                source: tier.source.clone(),
                outcome,
                missing,
                rule,
            });
        }
        let best_pass = tiers.iter().rposition(|x| x.outcome == TierOutcome::Pass);
        let undecided: Vec<usize> = (best_pass.map_or(0, |p| p + 1)..tiers.len())
            .filter(|k| tiers[*k].outcome == TierOutcome::InsufficientData)
            .collect();
        states[t] = TrackState {
            best_pass,
            best_missing: undecided.last().copied(),
        };
        assessment.tiers.set(t, best_pass);
        explained[t] = Some(TrackAssessment {
            track: track.id.clone(),
            label_zh: track.label_zh.clone(),
            label_en: track.label_en.clone(),
            tier: best_pass.map(|k| track.tiers[k].id.clone()),
            undecided: undecided
                .iter()
                .map(|k| track.tiers[*k].id.clone())
                .collect(),
            tiers,
        });
    }
    assessment.tracks = explained.into_iter().flatten().collect();
    assessment
}

fn combine(all: bool, outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    let (decisive, other) = if all {
        (Outcome::Fail, Outcome::Pass)
    } else {
        (Outcome::Pass, Outcome::Fail)
    };
    let mut missing = false;
    for o in outcomes {
        if o == decisive {
            return decisive;
        }
        missing |= o == Outcome::Missing;
    }
    if missing { Outcome::Missing } else { other }
}

fn explain(
    node: &Node,
    facts: &mut Facts<'_>,
    states: &[TrackState],
    rules: &RuleSet,
) -> Explanation {
    match node {
        Node::All { label, items } | Node::Any { label, items } => {
            let items: Vec<Explanation> = items
                .iter()
                .map(|i| explain(i, facts, states, rules))
                .collect();
            let is_all = matches!(node, Node::All { .. });
            let outcome = combine(is_all, items.iter().map(Explanation::outcome));
            let label = label.clone();
            if is_all {
                Explanation::All {
                    label,
                    outcome,
                    items,
                }
            } else {
                Explanation::Any {
                    label,
                    outcome,
                    items,
                }
            }
        }
        Node::Not { label, item } => {
            let item = explain(item, facts, states, rules);
            let outcome = match item.outcome() {
                Outcome::Pass => Outcome::Fail,
                Outcome::Fail => Outcome::Pass,
                Outcome::Missing => Outcome::Missing,
            };
            Explanation::Not {
                label: label.clone(),
                outcome,
                item: Box::new(item),
            }
        }
        Node::Requires { label, track, tier } => {
            explain_requires(label, *track, *tier, states, rules)
        }
        Node::Compare(c) => {
            let value = facts.get(c.metric);
            let (actual, outcome, text, gap) = describe(c, value, facts.data_year());
            Explanation::Comparison {
                metric: c.metric.name().to_owned(),
                op: c.op,
                threshold: c.shown.clone(),
                actual,
                outcome,
                text,
                gap,
            }
        }
    }
}

/// A `requires` condition: whether the firm holds the named tier of another track (decided
/// earlier, as tracks are evaluated in dependency order).
fn explain_requires(
    label: &Option<String>,
    track: usize,
    tier: usize,
    states: &[TrackState],
    rules: &RuleSet,
) -> Explanation {
    let outcome = requires_outcome(states, track, tier);
    let t = &rules.tracks[track];
    let held = states[track].best_pass.map(|k| t.tiers[k].id.clone());
    let wanted = &t.tiers[tier].id;
    let text = match outcome {
        Outcome::Pass => format!(
            "{} is {} (needs {wanted} or higher): met",
            t.id,
            held.as_deref().unwrap_or("-")
        ),
        Outcome::Fail => format!(
            "{} is {} (needs {wanted} or higher): not met",
            t.id,
            held.as_deref().unwrap_or("no tier")
        ),
        Outcome::Missing => format!("{}: {wanted} is undecided for lack of data", t.id),
    };
    Explanation::Requires {
        label: label.clone(),
        track: t.id.clone(),
        tier: wanted.clone(),
        held,
        outcome,
        text,
    }
}

/// The facts a missing verdict waits on: only along branches that are themselves missing, so
/// a fact that could not change the verdict is not listed.
fn missing_facts(node: &Explanation, out: &mut Vec<String>) {
    if node.outcome() != Outcome::Missing {
        return;
    }
    match node {
        Explanation::All { items, .. } | Explanation::Any { items, .. } => {
            items.iter().for_each(|i| missing_facts(i, out));
        }
        Explanation::Not { item, .. } => missing_facts(item, out),
        Explanation::Requires { text, .. } | Explanation::Comparison { text, .. } => {
            if !out.contains(text) {
                out.push(text.clone());
            }
        }
    }
}
