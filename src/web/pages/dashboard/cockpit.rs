//! The dashboard's cockpit: headline cards (count today, net new this year, change against the
//! same day last year) with a monthly trend per tier, the district ranking and the industry
//! breakdown. Pure, like `view`: the numbers and links are tested without a server.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::{IndustryCode, RegionCatalog};
use crate::service::{SeriesPoint, TierCounts, TierSeries};
use crate::web::context::url_encode;
use crate::web::i18n::Lang;
use crate::web::names::Names;
use crate::web::pages::shared::district_name;
use crate::web::trend::{Trend, TrendPoint};

/// Months of trend shown.
pub const TREND_MONTHS: u32 = 24;

/// What the cockpit adds to the dashboard's reads.
pub struct CockpitData {
    /// Monthly counts over the last [`TREND_MONTHS`] months.
    pub series: TierSeries,
    /// Counts at the end of last year, by district.
    pub year_end: TierCounts,
    /// Counts on the same day last year.
    pub year_ago: TierCounts,
    /// Today's counts by industry section.
    pub industries: TierCounts,
    /// Per district (catalogue order), the firms holding any tier now.
    pub district_firms: Vec<(String, i64)>,
}

/// The days the cockpit compares today with.
pub struct Days {
    /// 31 December of last year.
    pub year_end: NaiveDate,
    /// The same day last year (28 February for 29 February).
    pub year_ago: NaiveDate,
    /// The first day of the trend's first month.
    pub trend_from: NaiveDate,
}

impl Days {
    /// The days for `today`.
    pub fn of(today: NaiveDate) -> Self {
        let last_year = today.year() - 1;
        Self {
            year_end: NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or(today),
            year_ago: today.checked_sub_months(Months::new(12)).unwrap_or(today),
            trend_from: today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(Months::new(TREND_MONTHS - 1)))
                .unwrap_or(today),
        }
    }
}

/// A count and the list behind it.
pub struct CountLink {
    pub(super) firms: i64,
    pub(super) href: String,
}

/// A change with its arrow.
pub struct Delta {
    pub(super) value: i64,
    /// ▲, ▼ or – followed by the size of the change.
    pub(super) text: String,
    /// `up`, `down` or `flat`.
    pub(super) class: &'static str,
    /// The events (or flows) behind the change.
    pub(super) href: String,
}

fn delta(value: i64, href: String) -> Delta {
    let (arrow, class) = match value {
        v if v > 0 => ("▲", "up"),
        v if v < 0 => ("▼", "down"),
        _ => ("–", "flat"),
    };
    Delta {
        value,
        text: format!("{arrow} {}", value.abs()),
        class,
        href,
    }
}

/// A headline card: one tier or tier group.
pub struct Headline {
    pub(super) name: String,
    pub(super) today: CountLink,
    pub(super) this_year: Delta,
    pub(super) year_on_year: Delta,
    pub(super) trend: Trend,
}

/// A district in the ranking.
pub struct RankRow {
    pub(super) rank: usize,
    pub(super) name: String,
    pub(super) firms: CountLink,
    pub(super) net: Delta,
}

/// An industry section's counts per tier.
pub struct IndustryRow {
    pub(super) name: String,
    pub(super) cells: Vec<CountLink>,
}

/// The cockpit as the template places it.
pub struct CockpitView {
    /// The first month of the trend holding any firm, when months before it show none: the
    /// ledger starts there, so the empty months are no history rather than no firms.
    pub(super) ledger_from: Option<String>,
    /// Nothing was counted at the end of last year while firms are counted now: this year's
    /// net new and the year-on-year change include the first registrations.
    pub(super) no_baseline: bool,
    pub(super) year_end: String,
    pub(super) year_ago: String,
    pub(super) headlines: Vec<Headline>,
    pub(super) ranking: Vec<RankRow>,
    pub(super) tier_names: Vec<String>,
    pub(super) industry_rows: Vec<IndustryRow>,
    pub(super) industry_totals: Vec<CountLink>,
}

/// What a headline counts: one tier of a track, or a tier group's tiers.
struct Subject<'a> {
    track: Option<&'a str>,
    tiers: &'a [String],
    id: &'a str,
}

impl Subject<'_> {
    fn firms_in(&self, counts: &TierCounts) -> i64 {
        match self.track {
            Some(track) => counts
                .tiers
                .iter()
                .find(|t| t.track == track && t.tier == self.id)
                .map_or(0, |t| t.firms),
            None => counts
                .tier_groups
                .iter()
                .find(|g| g.group.id == self.id)
                .map_or(0, |g| g.firms),
        }
    }

    fn firm_list(&self) -> String {
        format!("/firms?tier={}", url_encode(&self.tiers.join(",")))
    }

    /// The ledger events of the tier (or the group's tiers) over a period.
    fn changes(&self, from: NaiveDate, to: NaiveDate) -> String {
        match self.track {
            Some(track) => format!(
                "/events?from={from}&to={to}&track={}&tier={}",
                url_encode(track),
                url_encode(self.id)
            ),
            None => format!(
                "/events?from={from}&to={to}&tier={}",
                url_encode(&self.tiers.join(","))
            ),
        }
    }

    fn headline(
        &self,
        name: String,
        today: &TierCounts,
        data: &CockpitData,
        days: &Days,
    ) -> Headline {
        let now = self.firms_in(today);
        let year_start = days.year_end.succ_opt().unwrap_or(days.year_end);
        let day_after = days.year_ago.succ_opt().unwrap_or(days.year_ago);
        let points: Vec<TrendPoint> = data
            .series
            .points
            .iter()
            .map(|p: &SeriesPoint| TrendPoint {
                label: p.end.format("%Y-%m").to_string(),
                value: self.firms_in(&p.closing),
                href: self.changes(p.start, p.end),
            })
            .collect();
        Headline {
            name,
            today: CountLink {
                firms: now,
                href: self.firm_list(),
            },
            this_year: delta(
                now - self.firms_in(&data.year_end),
                self.changes(year_start, today.as_of),
            ),
            year_on_year: delta(
                now - self.firms_in(&data.year_ago),
                self.changes(day_after, today.as_of),
            ),
            trend: Trend::new(&points),
        }
    }
}

/// The cockpit of `today`'s counts (grouped by district) and the cockpit's own reads.
pub fn cockpit_view(
    lang: Lang,
    names: &Names,
    catalog: &RegionCatalog,
    today: &TierCounts,
    data: &CockpitData,
) -> CockpitView {
    let days = Days::of(today.as_of);
    let mut headlines: Vec<Headline> = today
        .tiers
        .iter()
        .map(|t| {
            let subject = Subject {
                track: Some(&t.track),
                tiers: std::slice::from_ref(&t.tier),
                id: &t.tier,
            };
            subject.headline(names.tier(lang, &t.tier), today, data, &days)
        })
        .collect();
    headlines.extend(today.tier_groups.iter().map(|g| {
        let subject = Subject {
            track: None,
            tiers: &g.group.tiers,
            id: &g.group.id,
        };
        let name = match lang {
            Lang::Zh => g.group.label_zh.clone(),
            Lang::En => g.group.label_en.clone(),
        };
        subject.headline(name, today, data, &days)
    }));
    let total = |counts: &TierCounts| counts.tiers.iter().map(|t| t.firms).sum::<i64>();
    let first_held = data
        .series
        .points
        .iter()
        .position(|p| total(&p.closing) > 0);
    CockpitView {
        ledger_from: first_held
            .filter(|i| *i > 0)
            .and_then(|i| data.series.points.get(i))
            .map(|p| p.end.format("%Y-%m").to_string()),
        no_baseline: total(&data.year_end) == 0 && total(today) > 0,
        year_end: days.year_end.to_string(),
        year_ago: days.year_ago.to_string(),
        headlines,
        ranking: ranking(lang, catalog, today, data, &days),
        tier_names: today
            .tiers
            .iter()
            .map(|t| names.tier(lang, &t.tier))
            .collect(),
        industry_rows: industry_rows(&data.industries, today),
        industry_totals: today
            .tiers
            .iter()
            .map(|t| CountLink {
                firms: t.firms,
                href: format!("/firms?tier={}", url_encode(&t.tier)),
            })
            .collect(),
    }
}

/// Districts by firms holding any tier (most first), with the net change of tier holdings
/// since 31 December.
fn ranking(
    lang: Lang,
    catalog: &RegionCatalog,
    today: &TierCounts,
    data: &CockpitData,
    days: &Days,
) -> Vec<RankRow> {
    let all_tiers: Vec<String> = today.tiers.iter().map(|t| t.tier.clone()).collect();
    let held = |counts: &TierCounts, district: &str| -> i64 {
        counts
            .tiers
            .iter()
            .filter_map(|t| t.groups.get(district))
            .sum()
    };
    let year_start = days.year_end.succ_opt().unwrap_or(days.year_end);
    let mut rows: Vec<RankRow> = data
        .district_firms
        .iter()
        .map(|(code, firms)| RankRow {
            rank: 0,
            name: district_name(catalog, lang, code),
            firms: CountLink {
                firms: *firms,
                href: format!(
                    "/firms?tier={}&region={}",
                    url_encode(&all_tiers.join(",")),
                    url_encode(code)
                ),
            },
            net: delta(
                held(today, code) - held(&data.year_end, code),
                format!(
                    "/events?from={year_start}&to={}&region={}",
                    today.as_of,
                    url_encode(code)
                ),
            ),
        })
        .collect();
    // Stable: equal districts keep the catalogue's order.
    rows.sort_by(|a, b| {
        b.firms
            .firms
            .cmp(&a.firms.firms)
            .then(b.net.value.cmp(&a.net.value))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

/// One row per industry section holding any tier, columns in `today`'s tier order; the
/// columns add up to the tier totals because every firm has an industry code.
fn industry_rows(industries: &TierCounts, today: &TierCounts) -> Vec<IndustryRow> {
    let mut sections: Vec<&String> = industries
        .tiers
        .iter()
        .flat_map(|t| t.groups.iter().filter(|(_, n)| **n != 0).map(|(k, _)| k))
        .collect();
    sections.sort();
    sections.dedup();
    sections
        .into_iter()
        .map(|section| IndustryRow {
            name: IndustryCode::section_name(section)
                .map_or_else(|| section.clone(), |n| format!("{section} {n}")),
            cells: today
                .tiers
                .iter()
                .map(|t| CountLink {
                    firms: industries
                        .tiers
                        .iter()
                        .find(|i| i.track == t.track && i.tier == t.tier)
                        .and_then(|i| i.groups.get(section))
                        .copied()
                        .unwrap_or(0),
                    href: format!(
                        "/firms?tier={}&industry={}",
                        url_encode(&t.tier),
                        url_encode(section)
                    ),
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
impl CockpitData {
    /// Nothing counted on any day around `today`.
    pub(super) fn empty(today: NaiveDate) -> Self {
        let counts = |as_of| TierCounts {
            as_of,
            source: "history",
            rule_set: None,
            tiers: Vec::new(),
            tier_groups: Vec::new(),
        };
        Self {
            series: TierSeries {
                from: today,
                to: today,
                interval: crate::service::Interval::Month,
                points: Vec::new(),
            },
            year_end: counts(today),
            year_ago: counts(today),
            industries: counts(today),
            district_firms: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
