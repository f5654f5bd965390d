//! Views of tier flows, as JSON and as CSV.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::counts::{GroupLabel, RuleSetVersion};
use super::csv::{CsvTable, text};
use super::links::link;
use crate::domain::RegionCatalog;
use crate::service::{Flow, GroupBy, TierFlows};

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

/// The ledger events behind each movement figure: `GET /api/v1/tier-events` with the period,
/// the track, the kind, the tier on the matching side and the group. Paging through one gives
/// as many events as the figure. Moves have no link: a change of district or industry is not
/// a tier event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FlowLinks {
    /// Events behind `entered`.
    pub entered: String,
    /// Events behind `promoted_in`.
    pub promoted_in: String,
    /// Events behind `demoted_in`.
    pub demoted_in: String,
    /// Events behind `promoted_out`.
    pub promoted_out: String,
    /// Events behind `demoted_out`.
    pub demoted_out: String,
    /// Events behind `exited`.
    pub exited: String,
}

impl FlowLinks {
    /// The links of one tier's flows over `[from, to]`, in `group` when grouped.
    fn new(
        from: NaiveDate,
        to: NaiveDate,
        track: &str,
        tier: &str,
        group: Option<(GroupBy, &str)>,
    ) -> Self {
        let (from, to) = (from.to_string(), to.to_string());
        let (region, industry) = match group {
            Some((GroupBy::Region, key)) => (Some(key), None),
            Some((GroupBy::Industry, key)) => (None, Some(key)),
            None => (None, None),
        };
        let url = |kind: &str, side: &str| {
            link(
                "/api/v1/tier-events",
                &[
                    ("from", Some(from.as_str())),
                    ("to", Some(to.as_str())),
                    ("track", Some(track)),
                    ("kind", Some(kind)),
                    (side, Some(tier)),
                    ("region", region),
                    ("industry", industry),
                ],
            )
        };
        Self {
            entered: url("entered", "to_tier"),
            promoted_in: url("promoted", "to_tier"),
            demoted_in: url("demoted", "to_tier"),
            promoted_out: url("promoted", "from_tier"),
            demoted_out: url("demoted", "from_tier"),
            exited: url("exited", "from_tier"),
        }
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
    /// The events behind each movement.
    pub events_urls: FlowLinks,
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
    /// The events behind each movement.
    pub events_urls: FlowLinks,
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
                    events_urls: FlowLinks::new(flows.from, flows.to, &t.track, &t.tier, None),
                    groups: match group_by {
                        Some(g) => t
                            .groups
                            .iter()
                            .map(|(key, flow)| GroupFlow {
                                group: GroupLabel::new(g, key, catalog),
                                flow: flow.into(),
                                events_urls: FlowLinks::new(
                                    flows.from,
                                    flows.to,
                                    &t.track,
                                    &t.tier,
                                    Some((g, key.as_str())),
                                ),
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
