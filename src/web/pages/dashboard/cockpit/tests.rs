use std::collections::BTreeMap;

use super::*;
use crate::service::{GroupTally, Interval, TierGroup, TierTally};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn tally(track: &str, tier: &str, firms: i64, groups: &[(&str, i64)]) -> TierTally {
    TierTally {
        track: track.into(),
        tier: tier.into(),
        label_zh: String::new(),
        label_en: String::new(),
        firms,
        groups: groups
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

fn counts(as_of: NaiveDate, tiers: Vec<TierTally>) -> TierCounts {
    let family = TierGroup {
        id: "family".into(),
        label_zh: "独角兽家族".into(),
        label_en: "Unicorn family".into(),
        tiers: vec!["unicorn".into()],
    };
    let firms = tiers
        .iter()
        .filter(|t| t.tier == "unicorn")
        .map(|t| t.firms)
        .sum();
    TierCounts {
        as_of,
        source: "history",
        rule_set: None,
        tier_groups: vec![GroupTally {
            group: family,
            firms,
            groups: BTreeMap::new(),
        }],
        tiers,
    }
}

fn fixture() -> (TierCounts, CockpitData) {
    let today = day(2026, 3, 15);
    let now = counts(
        today,
        vec![
            tally("ladder", "gazelle", 12, &[("320402", 8), ("320411", 4)]),
            tally("ladder", "unicorn", 2, &[("320411", 2)]),
        ],
    );
    let year_end = counts(
        day(2025, 12, 31),
        vec![
            tally("ladder", "gazelle", 9, &[("320402", 9)]),
            tally("ladder", "unicorn", 3, &[("320411", 3)]),
        ],
    );
    let year_ago = counts(
        day(2025, 3, 15),
        vec![
            tally("ladder", "gazelle", 12, &[]),
            tally("ladder", "unicorn", 1, &[]),
        ],
    );
    let industries = counts(
        today,
        vec![
            tally("ladder", "gazelle", 12, &[("C", 10), ("I", 2)]),
            tally("ladder", "unicorn", 2, &[("I", 2)]),
        ],
    );
    let point = |start, end, gazelle| SeriesPoint {
        start,
        end,
        opening: counts(start, Vec::new()),
        closing: counts(end, vec![tally("ladder", "gazelle", gazelle, &[])]),
    };
    let data = CockpitData {
        series: TierSeries {
            from: day(2026, 2, 1),
            to: today,
            interval: Interval::Month,
            points: vec![
                point(day(2026, 2, 1), day(2026, 2, 28), 10),
                point(day(2026, 3, 1), today, 12),
            ],
        },
        year_end,
        year_ago,
        industries,
        district_firms: vec![
            ("320402".into(), 8),
            ("320404".into(), 0),
            ("320411".into(), 5),
        ],
    };
    (now, data)
}

#[test]
fn headlines_compare_today_with_the_year_end_and_the_same_day_last_year() {
    let (now, data) = fixture();
    let view = cockpit_view(
        Lang::Zh,
        &Names::default(),
        &RegionCatalog::changzhou(),
        &now,
        &data,
    );
    assert_eq!(view.year_end, "2025-12-31");
    assert_eq!(view.year_ago, "2025-03-15");
    let gazelle = &view.headlines[0];
    assert_eq!(gazelle.today.firms, 12);
    assert_eq!(gazelle.today.href, "/firms?tier=gazelle");
    assert_eq!(
        (gazelle.this_year.value, gazelle.this_year.text.as_str()),
        (3, "▲ 3")
    );
    assert_eq!(
        gazelle.this_year.href,
        "/events?from=2026-01-01&to=2026-03-15&track=ladder&tier=gazelle"
    );
    assert_eq!(
        (
            gazelle.year_on_year.text.as_str(),
            gazelle.year_on_year.class
        ),
        ("– 0", "flat")
    );
    assert_eq!(
        gazelle.year_on_year.href,
        "/events?from=2025-03-16&to=2026-03-15&track=ladder&tier=gazelle"
    );
    let unicorn = &view.headlines[1];
    assert_eq!(
        (unicorn.this_year.text.as_str(), unicorn.this_year.class),
        ("▼ 1", "down")
    );
    assert_eq!(unicorn.year_on_year.text, "▲ 1");
    let family = &view.headlines[2];
    assert_eq!(family.name, "独角兽家族");
    assert_eq!(family.today.href, "/firms?tier=unicorn");
    assert_eq!(
        family.this_year.href,
        "/events?from=2026-01-01&to=2026-03-15&tier=unicorn"
    );
    let trend: Vec<(&str, i64)> = gazelle
        .trend
        .columns
        .iter()
        .map(|c| (c.title.as_str(), c.value))
        .collect();
    assert_eq!(trend, [("2026-02 · 10", 10), ("2026-03 · 12", 12)]);
    assert_eq!(
        gazelle.trend.columns[0].href,
        "/events?from=2026-02-01&to=2026-02-28&track=ladder&tier=gazelle"
    );
}

#[test]
fn districts_rank_by_firms_in_any_tier_and_industries_add_up_to_the_totals() {
    let (now, data) = fixture();
    let view = cockpit_view(
        Lang::Zh,
        &Names::default(),
        &RegionCatalog::changzhou(),
        &now,
        &data,
    );
    let ranking: Vec<(usize, &str, i64, i64)> = view
        .ranking
        .iter()
        .map(|r| (r.rank, r.name.as_str(), r.firms.firms, r.net.value))
        .collect();
    assert_eq!(
        ranking,
        [
            (1, "天宁区", 8, -1),
            (2, "新北区", 5, 3),
            (3, "钟楼区", 0, 0)
        ]
    );
    assert_eq!(
        view.ranking[0].firms.href,
        "/firms?tier=gazelle%2Cunicorn&region=320402"
    );
    assert_eq!(
        view.ranking[1].net.href,
        "/events?from=2026-01-01&to=2026-03-15&region=320411"
    );
    let rows: Vec<(&str, Vec<i64>)> = view
        .industry_rows
        .iter()
        .map(|r| (r.name.as_str(), r.cells.iter().map(|c| c.firms).collect()))
        .collect();
    assert_eq!(
        rows,
        [
            ("C 制造业", vec![10, 0]),
            ("I 信息传输、软件和信息技术服务业", vec![2, 2])
        ]
    );
    for (i, total) in view.industry_totals.iter().enumerate() {
        let sum: i64 = view.industry_rows.iter().map(|r| r.cells[i].firms).sum();
        assert_eq!(sum, total.firms, "column {i} adds up");
    }
    assert_eq!(
        view.industry_rows[1].cells[1].href,
        "/firms?tier=unicorn&industry=I"
    );
}

#[test]
fn the_same_day_last_year_of_a_leap_day_is_the_28th() {
    let days = Days::of(day(2028, 2, 29));
    assert_eq!(days.year_ago, day(2027, 2, 28));
    assert_eq!(days.year_end, day(2027, 12, 31));
    assert_eq!(days.trend_from, day(2026, 3, 1));
}

#[test]
fn a_ledger_younger_than_the_comparisons_says_so() {
    let (now, mut data) = fixture();
    let view = cockpit_view(
        Lang::Zh,
        &Names::default(),
        &RegionCatalog::changzhou(),
        &now,
        &data,
    );
    assert!(!view.no_baseline, "last year's end had firms");
    assert_eq!(view.ledger_from, None, "every month has firms");
    data.year_end = counts(day(2025, 12, 31), Vec::new());
    data.series.points[0].closing = counts(day(2026, 2, 28), Vec::new());
    let view = cockpit_view(
        Lang::Zh,
        &Names::default(),
        &RegionCatalog::changzhou(),
        &now,
        &data,
    );
    assert!(view.no_baseline);
    assert_eq!(view.ledger_from.as_deref(), Some("2026-03"));
}
