//! The fast path: tiers only, no explanation, no allocation, for bulk reclassification.

use chrono::NaiveDate;
use serde::Serialize;

use super::RuleSet;
use super::compare::holds;
use super::facts::Facts;
use super::model::{MAX_TRACKS, Node};
use crate::domain::{Dossier, FirmStatus, RegionCatalog};

/// What an evaluation needs besides the rules and the dossier.
#[derive(Debug, Clone, Copy)]
pub struct EvalContext<'a> {
    /// The evaluation date D; the data year is year(D) − the rule set's offset.
    pub as_of: NaiveDate,
    /// The configured city, for `registered_in_city`.
    pub catalog: &'a RegionCatalog,
}

impl<'a> EvalContext<'a> {
    /// A context for `as_of` in the city of `catalog`.
    pub fn new(as_of: NaiveDate, catalog: &'a RegionCatalog) -> Self {
        Self { as_of, catalog }
    }
}

/// Three-valued result of a condition: missing facts neither pass nor fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The condition holds.
    Pass,
    /// The condition does not hold.
    Fail,
    /// The verdict depends on a fact that is not recorded.
    Missing,
}

/// The tier held in each track (by index, in the rule set's track order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    len: u8,
    held: [Option<u8>; MAX_TRACKS],
}

impl Tiers {
    pub(crate) fn none(tracks: usize) -> Self {
        Self {
            len: tracks.min(MAX_TRACKS) as u8,
            held: [None; MAX_TRACKS],
        }
    }

    pub(crate) fn set(&mut self, track: usize, tier: Option<usize>) {
        self.held[track] = tier.map(|t| t as u8);
    }

    /// Index of the tier held in track `track`, if any.
    pub fn get(&self, track: usize) -> Option<usize> {
        self.held.get(track).copied().flatten().map(usize::from)
    }

    /// Number of tracks.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether the rule set has no tracks (never true for a loaded set).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `(track id, tier id or None)` per track, in file order.
    pub fn named<'r>(&self, rules: &'r RuleSet) -> Vec<(&'r str, Option<&'r str>)> {
        rules
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    t.id.as_str(),
                    self.get(i)
                        .and_then(|k| t.tiers.get(k))
                        .map(|x| x.id.as_str()),
                )
            })
            .collect()
    }

    /// The tier id held in the track named `track`.
    pub fn tier_of<'r>(&self, rules: &'r RuleSet, track: &str) -> Option<&'r str> {
        let i = rules.track_index(track)?;
        let k = self.get(i)?;
        Some(rules.tracks[i].tiers[k].id.as_str())
    }
}

/// Per track during one evaluation: the highest passing tier, and the highest tier above it
/// whose verdict is missing data.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TrackState {
    pub best_pass: Option<usize>,
    pub best_missing: Option<usize>,
}

/// A `requires` holds when the firm holds that tier or a higher one in the other track; it is
/// missing when only an undecided tier could satisfy it.
pub(crate) fn requires_outcome(states: &[TrackState], track: usize, tier: usize) -> Outcome {
    let s = states[track];
    if s.best_pass.is_some_and(|p| p >= tier) {
        Outcome::Pass
    } else if s.best_missing.is_some_and(|m| m >= tier) {
        Outcome::Missing
    } else {
        Outcome::Fail
    }
}

fn eval(node: &Node, facts: &mut Facts<'_>, states: &[TrackState]) -> Outcome {
    match node {
        Node::All { items, .. } => {
            let mut missing = false;
            for item in items {
                match eval(item, facts, states) {
                    Outcome::Fail => return Outcome::Fail,
                    Outcome::Missing => missing = true,
                    Outcome::Pass => {}
                }
            }
            if missing {
                Outcome::Missing
            } else {
                Outcome::Pass
            }
        }
        Node::Any { items, .. } => {
            let mut missing = false;
            for item in items {
                match eval(item, facts, states) {
                    Outcome::Pass => return Outcome::Pass,
                    Outcome::Missing => missing = true,
                    Outcome::Fail => {}
                }
            }
            if missing {
                Outcome::Missing
            } else {
                Outcome::Fail
            }
        }
        Node::Not { item, .. } => match eval(item, facts, states) {
            Outcome::Pass => Outcome::Fail,
            Outcome::Fail => Outcome::Pass,
            Outcome::Missing => Outcome::Missing,
        },
        Node::Requires { track, tier, .. } => requires_outcome(states, *track, *tier),
        Node::Compare(c) => match facts.get(c.metric) {
            Err(_) => Outcome::Missing,
            Ok(value) => match holds(c, value) {
                Some(true) => Outcome::Pass,
                Some(false) => Outcome::Fail,
                None => Outcome::Missing,
            },
        },
    }
}

/// The tier held in every track, without an explanation; gives the same tiers as
/// [`evaluate`](super::evaluate). A deregistered firm holds no tier.
pub fn classify(rules: &RuleSet, dossier: &Dossier, ctx: &EvalContext<'_>) -> Tiers {
    let mut tiers = Tiers::none(rules.tracks.len());
    if dossier.firm.status == FirmStatus::Deregistered {
        return tiers;
    }
    let mut facts = Facts::new(rules, dossier, ctx);
    let mut states = [TrackState::default(); MAX_TRACKS];
    for &t in &rules.order {
        for (k, tier) in rules.tracks[t].tiers.iter().enumerate().rev() {
            match eval(&tier.rule, &mut facts, &states) {
                Outcome::Pass => {
                    states[t].best_pass = Some(k);
                    break;
                }
                Outcome::Missing if states[t].best_missing.is_none() => {
                    states[t].best_missing = Some(k);
                }
                _ => {}
            }
        }
        tiers.set(t, states[t].best_pass);
    }
    tiers
}
