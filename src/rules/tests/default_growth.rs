//! The default rule set at the growth and high-tech boundaries of CRITERIA.md.

use super::support::*;

#[test]
fn four_year_gazelle_growth_of_exactly_twenty_percent_fails() {
    run(vec![
        case(
            "1.2^4 = 2.0736: ¥20,736,000 is exactly 20% a year, not more",
            gazelle(20_736_000),
            "gazelle",
            None,
        ),
        case(
            "one yuan more is more than 20% a year",
            gazelle(20_736_001),
            "gazelle",
            Some("gazelle"),
        ),
        case(
            "a firm outside the pool is no gazelle",
            {
                let mut f = gazelle(30_000_000);
                f.firm.in_gazelle_pool = Some(false);
                f
            },
            "gazelle",
            None,
        ),
    ]);
}

#[test]
fn three_year_growth_of_exactly_twenty_percent_passes_at_least_twenty_percent() {
    let text = include_str!("../../../config/rules/default.toml")
        .replace("\"revenue_cagr_4y > 20%\"", "\"revenue_cagr_3y >= 20%\"");
    let rules = crate::rules::RuleSet::parse(&text, "huangpu-like.toml").expect("loads");
    let firm = |r2023| {
        let mut f = firm("2010-01-01");
        f.years = vec![
            year(2019, 10_000_000),
            year(2020, 10_000_000),
            year(2022, 17_000_000),
            year(2023, r2023),
        ];
        f
    };
    // In f64, (17,280,000 / 10,000,000)^(1/3) − 1 = 0.19999999999999996.
    assert_eq!(
        tier(&rules, &firm(17_280_000), AS_OF, "gazelle").as_deref(),
        Some("gazelle"),
        "exactly 20% passes"
    );
    assert_eq!(
        tier(&rules, &firm(17_279_999), AS_OF, "gazelle"),
        None,
        "one yuan less fails"
    );
}

#[test]
fn the_high_tech_rd_bracket_is_chosen_by_the_latest_years_revenue() {
    run(vec![
        case(
            "latest revenue exactly ¥50M needs 5%: 4.5% fails",
            high_tech("2015-01-01", [50 * M; 3], [2_250_000; 3]),
            "high_tech",
            None,
        ),
        case(
            "latest revenue exactly ¥50M: 5% passes",
            high_tech("2015-01-01", [50 * M; 3], [2_500_000; 3]),
            "high_tech",
            Some("high_tech_candidate"),
        ),
        case(
            "latest revenue ¥50,000,001 needs only 4% of three-year totals",
            high_tech(
                "2015-01-01",
                [40 * M, 40 * M, 50 * M + 1],
                [1_700_000, 1_700_000, 1_800_001],
            ),
            "high_tech",
            Some("high_tech_candidate"),
        ),
        case(
            "latest revenue exactly ¥200M still needs 4%: 3.5% fails",
            high_tech("2015-01-01", [200 * M; 3], [7 * M; 3]),
            "high_tech",
            None,
        ),
        case(
            "latest revenue exactly ¥200M: 4% passes",
            high_tech("2015-01-01", [200 * M; 3], [8 * M; 3]),
            "high_tech",
            Some("high_tech_candidate"),
        ),
        case(
            "latest revenue ¥200,000,001 needs 3%: 3.5% passes",
            high_tech("2015-01-01", [200 * M, 200 * M, 200 * M + 1], [7 * M; 3]),
            "high_tech",
            Some("high_tech_candidate"),
        ),
        case(
            "innovation score 70 is not above 70",
            {
                let mut f = high_tech("2015-01-01", [50 * M; 3], [2_500_000; 3]);
                f.years[2].innovation_score = Some(70);
                f
            },
            "high_tech",
            None,
        ),
        case(
            "technical staff exactly 10% passes",
            high_tech("2015-01-01", [50 * M; 3], [2_500_000; 3]),
            "high_tech",
            Some("high_tech_candidate"),
        ),
        case(
            "a serious violation 100 days ago rules a candidate out",
            {
                let mut f = high_tech("2015-01-01", [50 * M; 3], [2_500_000; 3]);
                f.firm.major_violation_on = Some(d("2024-03-22"));
                f
            },
            "high_tech",
            None,
        ),
        case(
            "a violation 365 days before is outside the year",
            {
                let mut f = high_tech("2015-01-01", [50 * M; 3], [2_500_000; 3]);
                f.firm.major_violation_on = Some(d("2023-07-01"));
                f
            },
            "high_tech",
            Some("high_tech_candidate"),
        ),
    ]);
}

#[test]
fn a_firm_must_be_registered_365_days_before_it_is_a_candidate() {
    let young = || {
        let mut f = high_tech("2023-03-01", [50 * M; 3], [2_500_000; 3]);
        f.years.retain(|y| y.fiscal_year == 2023);
        f
    };
    run(vec![
        Case {
            why: "364 days after founding is too early",
            dossier: young(),
            as_of: "2024-02-28",
            track: "high_tech",
            want: None,
        },
        Case {
            why: "365 days after founding is enough (R&D over the one year it operated)",
            dossier: young(),
            as_of: "2024-02-29",
            track: "high_tech",
            want: Some("high_tech_candidate"),
        },
    ]);
}

#[test]
fn a_certificate_counts_on_its_expiry_day_and_not_the_day_after() {
    let mut f = firm("2015-01-01");
    f.certificates.push(certificate("2021-12-08", "2024-12-07"));
    run(vec![
        Case {
            why: "valid on the expiry day",
            dossier: f.clone(),
            as_of: "2024-12-07",
            track: "high_tech",
            want: Some("high_tech"),
        },
        Case {
            why: "expired the day after",
            dossier: f.clone(),
            as_of: "2024-12-08",
            track: "high_tech",
            want: None,
        },
        Case {
            why: "valid on the issue day",
            dossier: f.clone(),
            as_of: "2021-12-08",
            track: "high_tech",
            want: Some("high_tech"),
        },
        Case {
            why: "not valid before issue",
            dossier: f,
            as_of: "2021-12-07",
            track: "high_tech",
            want: None,
        },
    ]);
}
