//! Reading a rule file: size and syntax checks, then compilation into a [`RuleSet`]. Loading has
//! no side effects, so a server can keep its last good set when a new file is refused.

use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::check::{looser_tier_warnings, order_tracks};
use super::compare::parse_comparison;
use super::exact::{Ratio, parse_decimal};
use super::file::{RawNode, RawRuleSet};
use super::model::{MAX_TIERS, MAX_TRACKS, Node, Tier, Track};
use super::{Diagnostic, RuleErrors, RuleSet, Severity};
use toml::Spanned;

/// Reads and checks one rule file; the same as [`RuleSet::load_file`].
pub fn load_file(path: &Path) -> Result<RuleSet, RuleErrors> {
    RuleSet::load_file(path)
}

/// Largest accepted rule file: rule sets are a few kilobytes of text.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

impl RuleSet {
    /// Parses and checks rule-file text; `origin` names the file in messages.
    pub fn parse(text: &str, origin: &str) -> Result<RuleSet, RuleErrors> {
        // Editors on Windows often save a byte-order mark; it is not part of the TOML. The
        // hash still covers the file's bytes as read.
        let original = text;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let refuse = |offset: usize, message: String| {
            RuleErrors(vec![Diagnostic::at(
                origin,
                text,
                offset,
                Severity::Error,
                message,
            )])
        };
        if original.len() as u64 > MAX_FILE_BYTES {
            return Err(refuse(
                0,
                format!(
                    "the file is {} bytes, more than the 1 MiB limit; a rule set is a few kilobytes of text, so check that this is the right file",
                    original.len()
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(refuse(0, "the file is empty; a rule set needs id, version, effective_from and at least one [[track]]".into()));
        }
        let raw: RawRuleSet = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            refuse(offset, e.message().trim().replace('\n', " "))
        })?;
        Compiler {
            origin,
            text,
            errors: Vec::new(),
        }
        .compile(raw, original)
    }

    /// Reads and checks one file.
    pub fn load_file(path: &Path) -> Result<RuleSet, RuleErrors> {
        let origin = path.display().to_string();
        let refuse = |message: String| {
            RuleErrors(vec![Diagnostic {
                file: origin.clone(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message,
            }])
        };
        let size = std::fs::metadata(path)
            .map_err(|e| refuse(format!("cannot read the file: {e}")))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(refuse(format!(
                "the file is {size} bytes, more than the 1 MiB limit; a rule set is a few kilobytes of text, so check that this is the right file"
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| refuse(format!("cannot read the file: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| refuse("the file is not UTF-8 text; save it as UTF-8".into()))?;
        Self::parse(&text, &origin)
    }
}

struct Compiler<'a> {
    origin: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Compiler<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(Diagnostic::at(
            self.origin,
            self.text,
            offset,
            Severity::Error,
            message.into(),
        ));
    }

    fn compile(mut self, raw: RawRuleSet, text: &str) -> Result<RuleSet, RuleErrors> {
        let id = raw.id.get_ref().trim().to_owned();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            self.error(raw.id.span().start, format!("id {id:?} must be lower-case letters, digits, '-' or '_' (e.g. \"changzhou-default\")"));
        }
        let version = match u32::try_from(*raw.version.get_ref()) {
            Ok(v) if v >= 1 => v,
            _ => {
                self.error(
                    raw.version.span().start,
                    "version must be a whole number from 1 up",
                );
                1
            }
        };
        let effective_from = self.date(&raw.effective_from);
        let data_year_offset = match &raw.data_year_offset {
            None => 1,
            Some(o) if (0..=10).contains(o.get_ref()) => *o.get_ref() as i32,
            Some(o) => {
                self.error(o.span().start, "data_year_offset must be between 0 and 10 (normally 1: the data year is the year before the evaluation date)");
                1
            }
        };
        let usd_rate = raw.currency.as_ref().and_then(|c| c.usd.as_ref()).and_then(|rate| {
            match parse_decimal(rate.get_ref()) {
                Ok(r) if r.num > 0 => Some(r),
                Ok(_) => {
                    self.error(rate.span().start, "the USD rate must be more than zero yuan per dollar");
                    None
                }
                Err(e) => {
                    self.error(rate.span().start, format!("the USD rate must be a decimal number of yuan per dollar such as \"7.1\": {e}"));
                    None
                }
            }
        });
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
