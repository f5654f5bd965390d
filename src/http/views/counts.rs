//! Views of tier counts, as JSON and as CSV.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::csv::{CsvTable, text};
use super::links::firms_link;
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
    /// The firm list behind `firms` (same filters); null for a past `as_of`.
    pub firms_url: Option<String>,
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
    /// The firm list behind `firms` (same filters; its `total` equals `firms`); null for a
    /// past `as_of`, whose firms the list of today's firms cannot show.
    pub firms_url: Option<String>,
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
    /// The firm list behind `firms` (same filters; its `total` equals `firms`); null for a
    /// past `as_of`, whose firms the list of today's firms cannot show.
    pub firms_url: Option<String>,
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

/// What a count's firm list is filtered by: the answer's filters, when it can be listed.
struct Cell<'a> {
    region: Option<&'a str>,
    industry: Option<&'a str>,
    /// Today's counts only: the firm list shows the firms of today.
    linked: bool,
}

impl Cell<'_> {
    /// The firm list of `tiers` (one `track`, if given), narrowed to `group` when grouped.
    fn url(
        &self,
        track: Option<&str>,
        tiers: &[String],
        group: Option<(GroupBy, &str)>,
    ) -> Option<String> {
        if !self.linked {
            return None;
        }
        let (mut region, mut industry) = (self.region, self.industry);
        match group {
            Some((GroupBy::Region, key)) => region = Some(key),
            // The answer's own industry filter lies inside its section, so it is the narrower.
            Some((GroupBy::Industry, key)) => industry = industry.or(Some(key)),
            None => {}
        }
        Some(firms_link(track, tiers, region, industry))
    }

    fn groups(
        &self,
        group_by: Option<GroupBy>,
        groups: &std::collections::BTreeMap<String, i64>,
        catalog: &RegionCatalog,
        track: Option<&str>,
        tiers: &[String],
    ) -> Vec<GroupCount> {
        let Some(g) = group_by else { return Vec::new() };
        groups
            .iter()
            .map(|(key, firms)| GroupCount {
                group: GroupLabel::new(g, key, catalog),
                firms: *firms,
                firms_url: self.url(track, tiers, Some((g, key.as_str()))),
            })
            .collect()
    }
}

impl TierCountsResponse {
    /// The view of computed counts; counts of `today` link each figure to its firm list.
    pub fn new(
        counts: &TierCounts,
        group_by: Option<GroupBy>,
        region: Option<String>,
        industry: Option<String>,
        catalog: &RegionCatalog,
        today: NaiveDate,
    ) -> Self {
        let cell = Cell {
            region: region.as_deref(),
            industry: industry.as_deref(),
            linked: counts.as_of == today,
        };
        let tiers = counts
            .tiers
            .iter()
            .map(|t| {
                let one = std::slice::from_ref(&t.tier);
                TierCountResponse {
                    track: t.track.clone(),
                    tier: t.tier.clone(),
                    label_zh: t.label_zh.clone(),
                    label_en: t.label_en.clone(),
                    firms: t.firms,
                    firms_url: cell.url(Some(&t.track), one, None),
                    groups: cell.groups(group_by, &t.groups, catalog, Some(&t.track), one),
                }
            })
            .collect();
        let tier_groups = counts
            .tier_groups
            .iter()
            .map(|g| TierGroupCountResponse {
                id: g.group.id.clone(),
                label_zh: g.group.label_zh.clone(),
                label_en: g.group.label_en.clone(),
                tiers: g.group.tiers.clone(),
                firms: g.firms,
                firms_url: cell.url(None, &g.group.tiers, None),
                groups: cell.groups(group_by, &g.groups, catalog, None, &g.group.tiers),
            })
            .collect();
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
            tiers,
            tier_groups,
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
