//! Compiling a parsed rule file into a [`RuleSet`]: identifiers, dates and rates checked,
//! `requires` resolved, tracks ordered; every problem is collected with its position.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::check::{looser_tier_warnings, order_tracks};
use super::compare::parse_comparison;
use super::exact::{Ratio, parse_decimal};
use super::file::{RawNode, RawRuleSet};
use super::model::{MAX_TIERS, MAX_TRACKS, Node, Tier, Track};
use super::{Diagnostic, RuleErrors, RuleSet, Severity};

/// Collects the errors of one file while compiling it.
pub(super) struct Compiler<'a> {
    origin: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl<'a> Compiler<'a> {
    /// A compiler for `text`, read from `origin`.
    pub(super) fn new(origin: &'a str, text: &'a str) -> Self {
        Self {
            origin,
            text,
            errors: Vec::new(),
        }
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(Diagnostic::at(
            self.origin,
            self.text,
            offset,
            Severity::Error,
            message.into(),
        ));
    }

    /// Compiles `raw`; `text` is the file as read, whose hash the set records.
    pub(super) fn compile(mut self, raw: RawRuleSet, text: &str) -> Result<RuleSet, RuleErrors> {
        let id = self.rule_set_id(&raw.id);
        let version = self.version(&raw.version);
        let effective_from = self.date(&raw.effective_from);
        let data_year_offset = self.data_year_offset(raw.data_year_offset.as_ref());
        let usd_rate = self.usd_rate(&raw);
        let tracks = self.tracks(&raw, usd_rate);
        if !self.errors.is_empty() {
            return Err(RuleErrors(self.errors));
        }
        let (tracks, edges, tier_offsets) = tracks;
        let order = match order_tracks(&tracks, &edges) {
            Ok(order) => order,
            Err((offset, message)) => {
                self.error(offset, message);
                return Err(RuleErrors(self.errors));
            }
        };
        let warnings = looser_tier_warnings(&tracks)
            .into_iter()
            .map(|(track, tier, message)| {
                Diagnostic::at(
                    self.origin,
                    self.text,
                    tier_offsets[track][tier],
                    Severity::Warning,
                    message,
                )
            })
            .collect();
        Ok(RuleSet {
            id,
            version,
            effective_from: effective_from.unwrap_or_default(),
            description: raw.description.trim().to_owned(),
            data_year_offset,
            usd_rate,
            tracks,
            order,
            content_hash: Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            origin: self.origin.to_owned(),
            warnings,
        })
    }

    fn rule_set_id(&mut self, raw: &Spanned<String>) -> String {
        let id = raw.get_ref().trim().to_owned();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            self.error(raw.span().start, format!("id {id:?} must be lower-case letters, digits, '-' or '_' (e.g. \"changzhou-default\")"));
        }
        id
    }

    fn version(&mut self, raw: &Spanned<i64>) -> u32 {
        match u32::try_from(*raw.get_ref()) {
            Ok(v) if v >= 1 => v,
            _ => {
                self.error(raw.span().start, "version must be a whole number from 1 up");
                1
            }
        }
    }

    fn data_year_offset(&mut self, raw: Option<&Spanned<i64>>) -> i32 {
        match raw {
            None => 1,
            Some(o) if (0..=10).contains(o.get_ref()) => *o.get_ref() as i32,
            Some(o) => {
                self.error(o.span().start, "data_year_offset must be between 0 and 10 (normally 1: the data year is the year before the evaluation date)");
                1
            }
        }
    }

    fn usd_rate(&mut self, raw: &RawRuleSet) -> Option<Ratio> {
        let rate = raw.currency.as_ref().and_then(|c| c.usd.as_ref())?;
        match parse_decimal(rate.get_ref()) {
            Ok(r) if r.num > 0 => Some(r),
            Ok(_) => {
                self.error(
                    rate.span().start,
                    "the USD rate must be more than zero yuan per dollar",
                );
                None
            }
            Err(e) => {
                self.error(rate.span().start, format!("the USD rate must be a decimal number of yuan per dollar such as \"7.1\": {e}"));
                None
            }
        }
    }

    fn date(&mut self, raw: &Spanned<toml::value::Datetime>) -> Option<NaiveDate> {
        let dt = raw.get_ref();
        let date = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.error(
                raw.span().start,
                "effective_from must be a plain date such as 2024-01-01 (no time, no quotes)",
            );
        }
        date
    }

    /// Tracks and tiers with `requires` resolved; also the requirement edges (from track, to
    /// track, position) and each tier's position, for the cycle check and warnings.
    #[expect(
        clippy::type_complexity,
        reason = "a private hand-off between two steps"
    )]
    fn tracks(
        &mut self,
        raw: &RawRuleSet,
        usd_rate: Option<Ratio>,
    ) -> (Vec<Track>, Vec<(usize, usize, usize)>, Vec<Vec<usize>>) {
        let names = self.check_tracks(raw);
        let mut edges = Vec::new();
        let mut offsets = Vec::new();
        let mut tracks = Vec::new();
        for (ti, track) in raw.track.iter().enumerate() {
            let mut tiers = Vec::new();
            let mut tier_offsets = Vec::new();
            for tier in &track.tier {
                let rule = self.node(&tier.rule, usd_rate, &names, ti, &mut edges);
                tier_offsets.push(tier.id.span().start);
                tiers.push(Tier {
                    id: tier.id.get_ref().clone(),
                    label_zh: tier.label_zh.clone(),
                    label_en: tier.label_en.clone(),
                    source: tier.source.clone(),
                    note: tier.note.clone(),
                    rule,
                });
            }
            offsets.push(tier_offsets);
            tracks.push(Track {
                id: track.id.get_ref().clone(),
                label_zh: track.label_zh.clone(),
                label_en: track.label_en.clone(),
                description: track.description.clone(),
                tiers,
            });
        }
        (tracks, edges, offsets)
    }

    /// Checks the tracks' and tiers' ids and sizes; returns each track's id and its tiers'
    /// ids, by which `requires` names them.
    fn check_tracks(&mut self, raw: &RawRuleSet) -> Vec<(String, Vec<String>)> {
        if raw.track.is_empty() {
            self.error(
                0,
                "the rule set has no [[track]]; add at least one track with its tiers",
            );
        }
        if raw.track.len() > MAX_TRACKS {
            self.error(
                raw.track[MAX_TRACKS].id.span().start,
                format!("a rule set may have at most {MAX_TRACKS} tracks"),
            );
        }
        let names: Vec<(String, Vec<String>)> = raw
            .track
            .iter()
            .map(|t| {
                (
                    t.id.get_ref().clone(),
                    t.tier.iter().map(|x| x.id.get_ref().clone()).collect(),
                )
            })
            .collect();
        let mut seen_tiers: Vec<&str> = Vec::new();
        for (ti, track) in raw.track.iter().enumerate() {
            self.identifier("track", &track.id);
            if names[..ti].iter().any(|(n, _)| n == track.id.get_ref()) {
                self.error(
                    track.id.span().start,
                    format!(
                        "track id {:?} is used twice; give each track its own id",
                        track.id.get_ref()
                    ),
                );
            }
            if track.tier.is_empty() {
                self.error(
                    track.id.span().start,
                    format!("track {:?} has no [[track.tier]]", track.id.get_ref()),
                );
            }
            if track.tier.len() > MAX_TIERS {
                self.error(
                    track.id.span().start,
                    format!("a track may have at most {MAX_TIERS} tiers"),
                );
            }
            for tier in &track.tier {
                self.identifier("tier", &tier.id);
                if seen_tiers.contains(&tier.id.get_ref().as_str()) {
                    self.error(tier.id.span().start, format!("tier id {:?} is used twice; tier ids must be unique in the whole rule set", tier.id.get_ref()));
                }
                seen_tiers.push(tier.id.get_ref());
            }
        }
        names
    }

    fn identifier(&mut self, what: &str, id: &Spanned<String>) {
        let ok = id.get_ref().starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.error(id.span().start, format!("{what} id {:?} must start with a lower-case letter and use only a-z, 0-9 and _", id.get_ref()));
        }
    }

    fn node(
        &mut self,
        raw: &Spanned<RawNode>,
        usd_rate: Option<Ratio>,
        names: &[(String, Vec<String>)],
        track: usize,
        edges: &mut Vec<(usize, usize, usize)>,
    ) -> Node {
        let offset = raw.span().start;
        let mut list = |this: &mut Self, kind: &str, items: &[Spanned<RawNode>]| {
            if items.is_empty() {
                this.error(
                    offset,
                    format!("{kind} = [] is empty; list at least one condition"),
                );
            }
            items
                .iter()
                .map(|i| this.node(i, usd_rate, names, track, edges))
                .collect::<Vec<_>>()
        };
        match raw.get_ref() {
            RawNode::All(label, items) => Node::All {
                label: label.clone(),
                items: list(self, "all", items),
            },
            RawNode::Any(label, items) => Node::Any {
                label: label.clone(),
                items: list(self, "any", items),
            },
            RawNode::Not(label, item) => Node::Not {
                label: label.clone(),
                item: Box::new(self.node(item, usd_rate, names, track, edges)),
            },
            RawNode::Compare(text) => match parse_comparison(text, usd_rate) {
                Ok(c) => Node::Compare(c),
                Err(message) => {
                    self.error(offset, message);
                    Node::All {
                        label: None,
                        items: Vec::new(),
                    }
                }
            },
            RawNode::Requires(label, req) => {
                let Some(t) = names.iter().position(|(n, _)| n == req.track.get_ref()) else {
                    let known: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
                    self.error(req.track.span().start, format!("requires names track {:?}, which this rule set does not define; known tracks: {}", req.track.get_ref(), known.join(", ")));
                    return Node::All {
                        label: None,
                        items: Vec::new(),
                    };
                };
                let Some(k) = names[t].1.iter().position(|n| n == req.tier.get_ref()) else {
                    self.error(req.tier.span().start, format!("requires names tier {:?}, which track {:?} does not have; its tiers: {}", req.tier.get_ref(), names[t].0, names[t].1.join(", ")));
                    return Node::All {
                        label: None,
                        items: Vec::new(),
                    };
                };
                edges.push((track, t, req.track.span().start));
                Node::Requires {
                    label: label.clone(),
                    track: t,
                    tier: k,
                }
            }
        }
    }
}
