//! A tier's rule as a readable tree, for pages that show the rule set in force.

use super::model::{Node, Op, RuleSet};

/// One node of a tier's rule as written: no facts, no verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Every item must hold.
    All {
        /// Optional name from the rule file.
        label: Option<String>,
        /// The items.
        items: Vec<Condition>,
    },
    /// At least one item must hold.
    Any {
        /// Optional name from the rule file.
        label: Option<String>,
        /// The items.
        items: Vec<Condition>,
    },
    /// The item must not hold.
    Not {
        /// Optional name from the rule file.
        label: Option<String>,
        /// The negated item.
        item: Box<Condition>,
    },
    /// Another track's tier (or higher) is needed.
    Requires {
        /// Optional name from the rule file.
        label: Option<String>,
        /// Track id.
        track: String,
        /// Tier id.
        tier: String,
    },
    /// `metric op threshold`.
    Compare {
        /// Metric name.
        metric: String,
        /// Operator.
        op: Op,
        /// Threshold as written for people.
        threshold: String,
    },
}

impl RuleSet {
    /// The rule of tier `tier` of track `track` (indices into [`RuleSet::tracks`]).
    pub fn conditions(&self, track: usize, tier: usize) -> Option<Condition> {
        let node = &self.tracks.get(track)?.tiers.get(tier)?.rule;
        Some(self.condition(node))
    }

    fn condition(&self, node: &Node) -> Condition {
        match node {
            Node::All { label, items } => Condition::All {
                label: label.clone(),
                items: items.iter().map(|n| self.condition(n)).collect(),
            },
            Node::Any { label, items } => Condition::Any {
                label: label.clone(),
                items: items.iter().map(|n| self.condition(n)).collect(),
            },
            Node::Not { label, item } => Condition::Not {
                label: label.clone(),
                item: Box::new(self.condition(item)),
            },
            Node::Requires { label, track, tier } => {
                let t = self.tracks.get(*track);
                Condition::Requires {
                    label: label.clone(),
                    track: t.map(|t| t.id.clone()).unwrap_or_default(),
                    tier: t
                        .and_then(|t| t.tiers.get(*tier))
                        .map(|x| x.id.clone())
                        .unwrap_or_default(),
                }
            }
            Node::Compare(c) => Condition::Compare {
                metric: c.metric.name().to_owned(),
                op: c.op,
                threshold: c.shown.clone(),
            },
        }
    }
}
