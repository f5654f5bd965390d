//! Views of tier counts, as JSON and as CSV.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::csv::{CsvTable, text};
use crate::domain::{IndustryCode, RegionCatalog};
use crate::service::{GroupBy, TierCounts};

/// The rule set whose tiers are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleSetVersion {
    /// Rule set id.
    pub id: String,
    /// Version.
    pub version: u32,
}

/// A group's name: a district, or an industry section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupLabel {
    /// District code or section letter.
    pub key: String,
    /// Chinese name, when known.
    pub label_zh: Option<String>,
    /// English name, when known.
    pub label_en: Option<String>,
}

impl GroupLabel {
    /// The label of a group key.
    pub fn new(group_by: GroupBy, key: &str, catalog: &RegionCatalog) -> Self {
        let (zh, en) = match group_by {
            GroupBy::Region => catalog
                .districts
                .iter()
                .find(|d| d.code == key)
                .map(|d| (Some(d.name.clone()), Some(d.name_en.clone())))
                .unwrap_or((None, None)),
            GroupBy::Industry => (IndustryCode::section_name(key).map(str::to_owned), None),
        };
        Self {
            key: key.to_owned(),
            label_zh: zh,
            label_en: en,
        }
    }
}

/// Firms in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupCount {
    /// Which group.
    #[serde(flatten)]
    pub group: GroupLabel,
    /// Firms.
    pub firms: i64,
}

/// Firms holding one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierCountResponse {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Firms.
    pub firms: i64,
    /// Per group when `group_by` is set; empty otherwise.
    pub groups: Vec<GroupCount>,
}

/// Firms holding any tier of a configured tier group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierGroupCountResponse {
    /// Group id (`unicorn_family`).
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// The tiers counted together.
    pub tiers: Vec<String>,
    /// Firms.
    pub firms: i64,
    /// Per group when `group_by` is set; empty otherwise.
    pub groups: Vec<GroupCount>,
}

/// `GET /tier-counts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierCountsResponse {
    /// The day counted.
    pub as_of: NaiveDate,
    /// `live` (maintained counts, no `as_of`) or `history` (per-day table).
    pub source: String,
    /// `region`, `industry` or null.
    pub group_by: Option<String>,
    /// The district filter.
    pub region: Option<String>,
    /// The industry prefix filter.
    pub industry: Option<String>,
    /// The rule set in force on `as_of`.
    pub rule_set: Option<RuleSetVersion>,
    /// Every tier of that rule set (0 when empty), then any other tier holding firms.
    pub tiers: Vec<TierCountResponse>,
    /// The configured tier groups.
    pub tier_groups: Vec<TierGroupCountResponse>,
}

fn group_counts(
    group_by: Option<GroupBy>,
    groups: &std::collections::BTreeMap<String, i64>,
    catalog: &RegionCatalog,
) -> Vec<GroupCount> {
    let Some(g) = group_by else { return Vec::new() };
    groups
        .iter()
        .map(|(key, firms)| GroupCount {
            group: GroupLabel::new(g, key, catalog),
            firms: *firms,
        })
        .collect()
}

impl TierCountsResponse {
    /// The view of computed counts.
    pub fn new(
        counts: &TierCounts,
        group_by: Option<GroupBy>,
        region: Option<String>,
        industry: Option<String>,
        catalog: &RegionCatalog,
    ) -> Self {
        Self {
            as_of: counts.as_of,
            source: counts.source.to_owned(),
            group_by: group_by.map(|g| g.as_str().to_owned()),
            region,
            industry,
            rule_set: counts
                .rule_set
                .as_ref()
                .map(|(id, version)| RuleSetVersion {
                    id: id.clone(),
                    version: *version,
                }),
            tiers: counts
                .tiers
                .iter()
                .map(|t| TierCountResponse {
                    track: t.track.clone(),
                    tier: t.tier.clone(),
                    label_zh: t.label_zh.clone(),
                    label_en: t.label_en.clone(),
                    firms: t.firms,
                    groups: group_counts(group_by, &t.groups, catalog),
                })
                .collect(),
            tier_groups: counts
                .tier_groups
                .iter()
                .map(|g| TierGroupCountResponse {
                    id: g.group.id.clone(),
                    label_zh: g.group.label_zh.clone(),
                    label_en: g.group.label_en.clone(),
                    tiers: g.group.tiers.clone(),
                    firms: g.firms,
                    groups: group_counts(group_by, &g.groups, catalog),
                })
                .collect(),
        }
    }

    /// One row per tier (and group key), then one per tier group.
    pub fn to_csv(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            "as_of", "kind", "track", "tier", "label_zh", "label_en", "group", "firms",
        ]);
        let day = self.as_of.to_string();
        for t in &self.tiers {
            let mut row = |group: &str, firms: i64| {
                table.push(vec![
                    text(&day),
                    text("tier"),
                    text(&t.track),
                    text(&t.tier),
                    text(&t.label_zh),
                    text(&t.label_en),
                    text(group),
                    firms.to_string(),
                ]);
            };
            if t.groups.is_empty() {
                row("", t.firms);
            }
            for g in &t.groups {
                row(&g.group.key, g.firms);
            }
        }
        for g in &self.tier_groups {
            let mut row = |group: &str, firms: i64| {
                table.push(vec![
                    text(&day),
                    text("tier_group"),
                    String::new(),
                    text(&g.id),
                    text(&g.label_zh),
                    text(&g.label_en),
                    text(group),
                    firms.to_string(),
                ]);
            };
            if g.groups.is_empty() {
                row("", g.firms);
            }
            for k in &g.groups {
                row(&k.group.key, k.firms);
            }
        }
        table
    }
}
