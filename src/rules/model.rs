//! A checked, precompiled rule set: what evaluation runs on. Built only by `RuleSet::parse`.

use chrono::NaiveDate;
use serde::Serialize;

use super::exact::Ratio;
use super::{Diagnostic, Metric};

/// Most tracks in one rule set; lets evaluation keep its state on the stack.
pub const MAX_TRACKS: usize = 16;
/// Most tiers in one track.
pub const MAX_TIERS: usize = 32;

/// A loaded and checked rule set: tracks of ordered tiers, with its identity and content hash.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) id: String,
    pub(crate) version: u32,
    pub(crate) effective_from: NaiveDate,
    pub(crate) description: String,
    pub(crate) data_year_offset: i32,
    pub(crate) usd_rate: Option<Ratio>,
    pub(crate) tracks: Vec<Track>,
    /// Track indices in an order where every required track comes first.
    pub(crate) order: Vec<usize>,
    pub(crate) content_hash: String,
    pub(crate) origin: String,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl RuleSet {
    /// The rule set's id (`changzhou-default`).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its version number; a new version of the same id supersedes from its effective date.
    pub fn version(&self) -> u32 {
        self.version
    }
    /// The first day it is in force.
    pub fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }
    /// Free text from the file.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Data year = year(D) − this (normally 1).
    pub fn data_year_offset(&self) -> i32 {
        self.data_year_offset
    }
    /// SHA-256 of the file's bytes, lower-case hex.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }
    /// The file name it was read from.
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// Tracks in file order.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }
    /// Non-fatal findings, such as a higher tier that is looser than a lower one.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
    /// Index of a track by id.
    pub fn track_index(&self, id: &str) -> Option<usize> {
        self.tracks.iter().position(|t| t.id == id)
    }
    /// Number of tiers over all tracks.
    pub fn tier_count(&self) -> usize {
        self.tracks.iter().map(|t| t.tiers.len()).sum()
    }
    /// `money` in yuan as an exact fraction `(numerator, denominator)`; `None` for dollars
    /// when the set has no USD rate.
    pub fn in_yuan(&self, money: crate::domain::Money) -> Option<(i128, i128)> {
        match money.currency {
            crate::domain::Currency::CNY => Some((i128::from(money.value), 1)),
            crate::domain::Currency::USD => self
                .usd_rate
                .and_then(|rate| Ratio::int(money.value).mul(rate))
                .map(|r| (r.num, r.den)),
        }
    }
}

/// An independent programme with its ladder of tiers, lowest first.
#[derive(Debug, Clone)]
pub struct Track {
    /// Stable id (`unicorn`).
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Free text from the file.
    pub description: String,
    /// Tiers, lowest first; a firm holds the highest that passes.
    pub tiers: Vec<Tier>,
}

/// One rung of a track.
#[derive(Debug, Clone)]
pub struct Tier {
    /// Stable id, unique in the rule set (`potential_unicorn`).
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// The document the criteria come from (`苏生力〔2025〕41号`).
    pub source: String,
    /// Free text from the file (how a choice was made).
    pub note: String,
    pub(crate) rule: Node,
}

/// A comparison operator; the wording table in docs/RULES.md maps notice wording to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// ≥ (以上, 不低于, 不少于, 不小于).
    #[serde(rename = ">=")]
    Ge,
    /// > (超过, 高于, 大于).
    #[serde(rename = ">")]
    Gt,
    /// ≤ (以下, 以内, 不超过).
    #[serde(rename = "<=")]
    Le,
    /// < (低于, 不满).
    #[serde(rename = "<")]
    Lt,
    /// =.
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    /// As written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// The symbol that holds when this operator fails (for "2.1% < 3%").
    pub fn negated_symbol(self) -> &'static str {
        match self {
            Op::Ge => "<",
            Op::Gt => "≤",
            Op::Le => ">",
            Op::Lt => "≥",
            Op::Eq => "≠",
        }
    }

    /// The symbol for a passing comparison.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Whether `actual` ordered against the threshold satisfies the operator.
    pub fn holds(self, actual_vs_threshold: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Op::Ge => actual_vs_threshold != Less,
            Op::Gt => actual_vs_threshold == Greater,
            Op::Le => actual_vs_threshold != Greater,
            Op::Lt => actual_vs_threshold == Less,
            Op::Eq => actual_vs_threshold == Equal,
        }
    }
}

/// A precompiled rule tree.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    All {
        label: Option<String>,
        items: Vec<Node>,
    },
    Any {
        label: Option<String>,
        items: Vec<Node>,
    },
    Not {
        label: Option<String>,
        item: Box<Node>,
    },
    Requires {
        label: Option<String>,
        track: usize,
        tier: usize,
    },
    Compare(Comparison),
}

/// `metric op threshold`, with the threshold already in the metric's base unit.
#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub metric: Metric,
    pub op: Op,
    pub threshold: Threshold,
    /// The threshold as people read it (`US$50,000,000`, `3%`).
    pub shown: String,
}

/// A threshold in the metric's base unit: yuan, a fraction of one, days, years, a count.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Threshold {
    Bool(bool),
    Number(Ratio),
    /// Growth `g = num/den` over `years`: compare `now·den^n` with `base·(den+num)^n`.
    Growth {
        rate: Ratio,
        den_pow: i128,
        factor_pow: i128,
    },
}
