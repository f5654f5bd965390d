//! The view of a tier-count series: per interval, the counts at its end and the net change
//! over it, each net change linked to the ledger events behind it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::counts::GroupLabel;
use super::links::link;
use crate::domain::RegionCatalog;
use crate::service::{GroupBy, SeriesPoint, TierSeries};

/// One tier's (or tier group's) count in one group at the end of an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SeriesGroupValue {
    /// Which group.
    #[serde(flatten)]
    pub group: GroupLabel,
    /// Firms at the end of the interval.
    pub firms: i64,
    /// `firms` minus the count at the end of the day before the interval.
    pub net: i64,
}

/// One tier's (or tier group's) count at the end of an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SeriesValue {
    /// Track id (null for a tier group).
    pub track: Option<String>,
    /// Tier id, or tier group id.
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Firms at the end of the interval (equal to `GET /tier-counts?as_of=<end>`).
    pub firms: i64,
    /// `firms` minus the count at the end of the day before the interval.
    pub net: i64,
    /// The tier events of the interval behind `net` (entries, promotions, demotions and
    /// exits touching the tier; a change of district or industry moves a firm between
    /// groups without an event). Null for a tier group of several tiers, whose tiers' own
    /// links list its events (the event list filters by one tier).
    pub events_url: Option<String>,
    /// Per group when `group_by` is set; empty otherwise.
    pub groups: Vec<SeriesGroupValue>,
}

/// One interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SeriesPointResponse {
    /// First day (the interval's first day, or `from`).
    pub start: NaiveDate,
    /// Last day (the interval's last day, or `to`): the day counted.
    pub end: NaiveDate,
    /// Every tier of the rule set in force on `end`, then any other tier holding firms.
    pub tiers: Vec<SeriesValue>,
    /// The configured tier groups.
    pub tier_groups: Vec<SeriesValue>,
}

/// `GET /tier-counts/series`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierSeriesResponse {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// `month`, `quarter` or `year`.
    pub interval: String,
    /// `region`, `industry` or null.
    pub group_by: Option<String>,
    /// The district filter.
    pub region: Option<String>,
    /// The industry prefix filter.
    pub industry: Option<String>,
    /// Oldest first.
    pub points: Vec<SeriesPointResponse>,
}

/// What one value is made of: its identity, its counts at both ends, per group.
struct Raw<'a> {
    track: Option<&'a str>,
    id: &'a str,
    tiers: &'a [String],
    label_zh: &'a str,
    label_en: &'a str,
    closing: (i64, &'a BTreeMap<String, i64>),
    opening: (i64, Option<&'a BTreeMap<String, i64>>),
}

struct Context<'a> {
    group_by: Option<GroupBy>,
    region: Option<&'a str>,
    industry: Option<&'a str>,
    catalog: &'a RegionCatalog,
}

impl Context<'_> {
    fn value(&self, point: &SeriesPoint, raw: Raw<'_>) -> SeriesValue {
        let (start, end) = (point.start.to_string(), point.end.to_string());
        let events_url = (raw.tiers.len() == 1).then(|| {
            link(
                "/api/v1/tier-events",
                &[
                    ("from", Some(start.as_str())),
                    ("to", Some(end.as_str())),
                    ("track", raw.track),
                    ("tier", Some(raw.tiers[0].as_str())),
                    ("region", self.region),
                    ("industry", self.industry),
                ],
            )
        });
        let groups = match self.group_by {
            None => Vec::new(),
            Some(g) => {
                // Every group present at either end, so a group emptied in the interval
                // shows its loss.
                let mut keys: Vec<&String> = raw.closing.1.keys().collect();
                keys.extend(raw.opening.1.into_iter().flat_map(BTreeMap::keys));
                keys.sort();
                keys.dedup();
                keys.into_iter()
                    .map(|key| {
                        let firms = raw.closing.1.get(key).copied().unwrap_or(0);
                        let before = raw.opening.1.and_then(|o| o.get(key)).copied();
                        SeriesGroupValue {
                            group: GroupLabel::new(g, key, self.catalog),
                            firms,
                            net: firms - before.unwrap_or(0),
                        }
                    })
                    .collect()
            }
        };
        SeriesValue {
            track: raw.track.map(str::to_owned),
            id: raw.id.to_owned(),
            label_zh: raw.label_zh.to_owned(),
            label_en: raw.label_en.to_owned(),
            firms: raw.closing.0,
            net: raw.closing.0 - raw.opening.0,
            events_url,
            groups,
        }
    }

    fn point(&self, point: &SeriesPoint) -> SeriesPointResponse {
        let (closing, opening) = (&point.closing, &point.opening);
        let tiers = closing
            .tiers
            .iter()
            .map(|t| {
                let before = opening
                    .tiers
                    .iter()
                    .find(|o| o.track == t.track && o.tier == t.tier);
                self.value(
                    point,
                    Raw {
                        track: Some(&t.track),
                        id: &t.tier,
                        tiers: std::slice::from_ref(&t.tier),
                        label_zh: &t.label_zh,
                        label_en: &t.label_en,
                        closing: (t.firms, &t.groups),
                        opening: (before.map_or(0, |o| o.firms), before.map(|o| &o.groups)),
                    },
                )
            })
            .collect();
        let tier_groups = closing
            .tier_groups
            .iter()
            .map(|g| {
                let before = opening
                    .tier_groups
                    .iter()
                    .find(|o| o.group.id == g.group.id);
                self.value(
                    point,
                    Raw {
                        track: None,
                        id: &g.group.id,
                        tiers: &g.group.tiers,
                        label_zh: &g.group.label_zh,
                        label_en: &g.group.label_en,
                        closing: (g.firms, &g.groups),
                        opening: (before.map_or(0, |o| o.firms), before.map(|o| &o.groups)),
                    },
                )
            })
            .collect();
        SeriesPointResponse {
            start: point.start,
            end: point.end,
            tiers,
            tier_groups,
        }
    }
}

impl TierSeriesResponse {
    /// The view of a computed series.
    pub fn new(
        series: &TierSeries,
        group_by: Option<GroupBy>,
        region: Option<String>,
        industry: Option<String>,
        catalog: &RegionCatalog,
    ) -> Self {
        let context = Context {
            group_by,
            region: region.as_deref(),
            industry: industry.as_deref(),
            catalog,
        };
        let points = series.points.iter().map(|p| context.point(p)).collect();
        Self {
            from: series.from,
            to: series.to,
            interval: series.interval.as_str().to_owned(),
            group_by: group_by.map(|g| g.as_str().to_owned()),
            region,
            industry,
            points,
        }
    }
}
