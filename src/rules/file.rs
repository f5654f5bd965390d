//! The rule file as written: plain serde data with positions, refused on unknown keys.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;
use toml::value::Datetime;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleSet {
    pub id: Spanned<String>,
    pub version: Spanned<i64>,
    pub effective_from: Spanned<Datetime>,
    #[serde(default)]
    pub description: String,
    /// The description in English, for readers of the file (pages show `description`).
    #[serde(default)]
    #[expect(dead_code, reason = "documentation in the file; checked to be text")]
    pub description_en: String,
    #[serde(default)]
    pub data_year_offset: Option<Spanned<i64>>,
    #[serde(default)]
    pub currency: Option<RawCurrency>,
    #[serde(default)]
    pub track: Vec<RawTrack>,
}

/// `[currency]`: yuan per unit of each foreign currency, as exact decimal strings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCurrency {
    #[serde(rename = "USD")]
    pub usd: Option<Spanned<String>>,
}

/// `[[track]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrack {
    pub id: Spanned<String>,
    pub label_zh: String,
    pub label_en: String,
    #[serde(default)]
    pub description: String,
    /// In English, for readers of the file (pages show `description`).
    #[serde(default)]
    #[expect(dead_code, reason = "documentation in the file; checked to be text")]
    pub description_en: String,
    #[serde(default)]
    pub tier: Vec<RawTier>,
}

/// `[[track.tier]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTier {
    pub id: Spanned<String>,
    pub label_zh: String,
    pub label_en: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
    /// In English, for readers of the file (pages show `note`).
    #[serde(default)]
    #[expect(dead_code, reason = "documentation in the file; checked to be text")]
    pub note_en: String,
    pub rule: Spanned<RawNode>,
}

/// `{ track = "high_tech", tier = "high_tech" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequires {
    pub track: Spanned<String>,
    pub tier: Spanned<String>,
}

/// A rule node: a comparison string, or a table with exactly one of all / any / not / requires.
#[derive(Debug)]
pub(crate) enum RawNode {
    Compare(String),
    All(Option<String>, Vec<Spanned<RawNode>>),
    Any(Option<String>, Vec<Spanned<RawNode>>),
    Not(Option<String>, Box<Spanned<RawNode>>),
    Requires(Option<String>, RawRequires),
}

const NODE_KEYS: &[&str] = &["all", "any", "not", "requires", "label", "label_en"];

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a comparison such as \"rd_ratio > 3%\" or a table with one of all, any, not, requires",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Compare(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut label = None;
        let mut found: Option<RawNode> = None;
        while let Some(key) = map.next_key::<String>()? {
            let node = match key.as_str() {
                "label" => {
                    label = Some(map.next_value::<String>()?);
                    continue;
                }
                // The label in English, for readers of the file: pages and explanations show
                // `label`, the registry's working language.
                "label_en" => {
                    map.next_value::<String>()?;
                    continue;
                }
                "all" => RawNode::All(None, map.next_value()?),
                "any" => RawNode::Any(None, map.next_value()?),
                "not" => RawNode::Not(None, Box::new(map.next_value()?)),
                "requires" => RawNode::Requires(None, map.next_value()?),
                other => return Err(de::Error::unknown_field(other, NODE_KEYS)),
            };
            if found.is_some() {
                return Err(de::Error::custom(
                    "a rule table takes exactly one of all, any, not, requires; nest tables to combine them",
                ));
            }
            found = Some(node);
        }
        let node = found.ok_or_else(|| {
            de::Error::custom("a rule table needs one of all, any, not, requires")
        })?;
        Ok(match node {
            RawNode::All(_, items) => RawNode::All(label, items),
            RawNode::Any(_, items) => RawNode::Any(label, items),
            RawNode::Not(_, item) => RawNode::Not(label, item),
            RawNode::Requires(_, req) => RawNode::Requires(label, req),
            other => other,
        })
    }
}
