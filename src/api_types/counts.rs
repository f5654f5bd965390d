//! Views of tier counts and flows, as JSON and as CSV.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::csv::{CsvTable, text};
use crate::domain::{IndustryCode, RegionCatalog};
use crate::service::{Flow, GroupBy, TierCounts, TierFlows};

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

/// Movements of a tier over the period. `opening + entered + promoted_in + demoted_in +
/// moved_in − promoted_out − demoted_out − exited − moved_out = closing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FlowFigures {
    /// Count at the end of the day before `from`.
    pub opening: i64,
    /// Entered the track at this tier.
    pub entered: i64,
    /// Promoted here from a lower tier.
    pub promoted_in: i64,
    /// Demoted here from a higher tier.
    pub demoted_in: i64,
    /// Arrived by a change of district or industry (0 without group_by).
    pub moved_in: i64,
    /// Promoted to a higher tier.
    pub promoted_out: i64,
    /// Demoted to a lower tier.
    pub demoted_out: i64,
    /// Left the track.
    pub exited: i64,
    /// Left by a change of district or industry (0 without group_by).
    pub moved_out: i64,
    /// Count at the end of `to`.
    pub closing: i64,
    /// closing − opening.
    pub net: i64,
}

impl From<&Flow> for FlowFigures {
    fn from(f: &Flow) -> Self {
        Self {
            opening: f.opening,
            entered: f.entered,
            promoted_in: f.promoted_in,
            demoted_in: f.demoted_in,
            moved_in: f.moved_in,
            promoted_out: f.promoted_out,
            demoted_out: f.demoted_out,
            exited: f.exited,
            moved_out: f.moved_out,
            closing: f.closing,
            net: f.net(),
        }
    }
}

impl FlowFigures {
    fn cells(&self) -> Vec<String> {
        [
            self.opening,
            self.entered,
            self.promoted_in,
            self.demoted_in,
            self.moved_in,
            self.promoted_out,
            self.demoted_out,
            self.exited,
            self.moved_out,
            self.closing,
            self.net,
        ]
        .iter()
        .map(ToString::to_string)
        .collect()
    }
}

/// One group's flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupFlow {
    /// Which group.
    #[serde(flatten)]
    pub group: GroupLabel,
    /// Its movements.
    #[serde(flatten)]
    pub flow: FlowFigures,
}

/// One tier's flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierFlowResponse {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Over all firms.
    #[serde(flatten)]
    pub flow: FlowFigures,
    /// Per group when `group_by` is set; empty otherwise.
    pub groups: Vec<GroupFlow>,
}

/// `GET /tier-flows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierFlowsResponse {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// `region`, `industry` or null.
    pub group_by: Option<String>,
    /// The rule set in force on `to`.
    pub rule_set: Option<RuleSetVersion>,
    /// Every tier, in rule-set order.
    pub tiers: Vec<TierFlowResponse>,
}

impl TierFlowsResponse {
    /// The view of computed flows.
    pub fn new(flows: &TierFlows, group_by: Option<GroupBy>, catalog: &RegionCatalog) -> Self {
        Self {
            from: flows.from,
            to: flows.to,
            group_by: group_by.map(|g| g.as_str().to_owned()),
            rule_set: flows.rule_set.as_ref().map(|(id, version)| RuleSetVersion {
                id: id.clone(),
                version: *version,
            }),
            tiers: flows
                .tiers
                .iter()
                .map(|t| TierFlowResponse {
                    track: t.track.clone(),
                    tier: t.tier.clone(),
                    label_zh: t.label_zh.clone(),
                    label_en: t.label_en.clone(),
                    flow: (&t.total).into(),
                    groups: match group_by {
                        Some(g) => t
                            .groups
                            .iter()
                            .map(|(key, flow)| GroupFlow {
                                group: GroupLabel::new(g, key, catalog),
                                flow: flow.into(),
                            })
                            .collect(),
                        None => Vec::new(),
                    },
                })
                .collect(),
        }
    }

    /// One row per tier (and group key).
    pub fn to_csv(&self) -> CsvTable {
        let mut table = CsvTable::new(&[
            "from",
            "to",
            "track",
            "tier",
            "label_zh",
            "label_en",
            "group",
            "opening",
            "entered",
            "promoted_in",
            "demoted_in",
            "moved_in",
            "promoted_out",
            "demoted_out",
            "exited",
            "moved_out",
            "closing",
            "net",
        ]);
        let (from, to) = (self.from.to_string(), self.to.to_string());
        for t in &self.tiers {
            let head = |group: &str| {
                vec![
                    text(&from),
                    text(&to),
                    text(&t.track),
                    text(&t.tier),
                    text(&t.label_zh),
                    text(&t.label_en),
                    text(group),
                ]
            };
            if t.groups.is_empty() {
                table.push([head(""), t.flow.cells()].concat());
            }
            for g in &t.groups {
                table.push([head(&g.group.key), g.flow.cells()].concat());
            }
        }
        table
    }
}
