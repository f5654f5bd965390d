//! The default rule set at every boundary CRITERIA.md names. Evaluation date 2024-06-30 unless
//! a case says otherwise, so the data year is 2023.

use super::support::*;
use crate::domain::{AnnualFigures, Currency, Dossier, FirmStatus, InvestorKind, RegionCatalog};
use crate::rules::{EvalContext, TierOutcome, evaluate};

const AS_OF: &str = "2024-06-30";

struct Case {
    why: &'static str,
    dossier: Dossier,
    as_of: &'static str,
    track: &'static str,
    want: Option<&'static str>,
}

fn run(cases: Vec<Case>) {
    let rules = default_rules();
    for case in cases {
        let got = tier(&rules, &case.dossier, case.as_of, case.track);
        assert_eq!(got.as_deref(), case.want, "{}", case.why);
    }
}

fn invested(founded: &str, valuation: i64, currency: Currency, kind: InvestorKind) -> Dossier {
    let mut firm = firm(founded);
    firm.financings
        .push(round("2023-05-01", valuation, currency, kind));
    firm
}

fn usd(founded: &str, valuation: i64) -> Dossier {
    invested(
        founded,
        valuation,
        Currency::USD,
        InvestorKind::ProfessionalInstitution,
    )
}

fn cny(founded: &str, valuation: i64) -> Dossier {
    invested(founded, valuation, Currency::CNY, InvestorKind::Strategic)
}

fn case(
    why: &'static str,
    dossier: Dossier,
    track: &'static str,
    want: Option<&'static str>,
) -> Case {
    Case {
        why,
        dossier,
        as_of: AS_OF,
        track,
        want,
    }
}

#[test]
fn the_default_rule_set_loads_without_warnings() {
    let rules = default_rules();
    assert_eq!(rules.id(), "changzhou-default");
    assert_eq!(rules.version(), 1);
    assert_eq!(rules.tier_count(), 6);
    assert!(rules.warnings().is_empty(), "{:?}", rules.warnings());
}

#[test]
fn unicorn_ladder_boundaries_follow_the_wording_of_the_notices() {
    run(vec![
        case(
            "超过10亿美元 rejects exactly US$1,000,000,000",
            usd("2015-03-01", 1_000_000_000),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "one dollar more than US$1B is a unicorn",
            usd("2015-03-01", 1_000_000_001),
            "unicorn",
            Some("unicorn"),
        ),
        case(
            "a breakthrough qualifies at exactly US$700M",
            {
                let mut f = usd("2015-03-01", 700_000_000);
                f.firm.key_tech_breakthrough = Some(true);
                f
            },
            "unicorn",
            Some("unicorn"),
        ),
        case(
            "without a professional investor there is no unicorn",
            invested(
                "2015-03-01",
                2_000_000_000,
                Currency::USD,
                InvestorKind::Strategic,
            ),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "founded 2007 is too early for a unicorn",
            usd("2007-12-31", 2_000_000_000),
            "unicorn",
            None,
        ),
        case(
            "不小于0.5亿美元 accepts exactly US$50,000,000",
            usd("2020-01-01", 50_000_000),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "US$49,999,999 is ¥354,999,992.9 at 7.1, which meets the ¥300M alternative",
            usd("2020-01-01", 49_999_999),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "US$42,253,521 is ¥299,999,999.1 at 7.1: below both",
            usd("2020-01-01", 42_253_521),
            "unicorn",
            Some("seed_unicorn"),
        ),
        case(
            "the fixed ¥300M alternative accepts exactly ¥300,000,000",
            cny("2020-01-01", 300_000_000),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "¥299,999,999 is not the ¥300M alternative",
            cny("2020-01-01", 299_999_999),
            "unicorn",
            Some("seed_unicorn"),
        ),
        case(
            "seed standard 1 accepts exactly ¥100,000,000 for the young cohort",
            cny("2020-01-01", 100_000_000),
            "unicorn",
            Some("seed_unicorn"),
        ),
        case(
            "seed standard 1 rejects ¥99,999,999",
            cny("2020-01-01", 99_999_999),
            "unicorn",
            None,
        ),
        case(
            "超过2亿元 rejects exactly ¥200,000,000 for the 5–9 cohort",
            cny("2016-01-01", 200_000_000),
            "unicorn",
            None,
        ),
        case(
            "¥200,000,001 passes for the 5–9 cohort",
            cny("2016-01-01", 200_000_001),
            "unicorn",
            Some("seed_unicorn"),
        ),
        case(
            "4 years since founding is the young cohort",
            usd("2019-12-31", 60_000_000),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "5 years since founding is the older cohort",
            usd("2018-01-01", 60_000_000),
            "unicorn",
            Some("seed_unicorn"),
        ),
        case(
            "9 years since founding is still the older cohort",
            usd("2014-01-01", 150_000_000),
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "10 years since founding is out of both cohorts",
            usd("2013-12-31", 150_000_000),
            "unicorn",
            None,
        ),
        case(
            "a listed firm is no potential unicorn",
            {
                let mut f = usd("2020-01-01", 80_000_000);
                f.firm.listed_on = Some(d("2024-01-02"));
                f
            },
            "unicorn",
            None,
        ),
        case(
            "a listing after the evaluation date does not count yet",
            {
                let mut f = usd("2020-01-01", 80_000_000);
                f.firm.listed_on = Some(d("2024-07-01"));
                f
            },
            "unicorn",
            Some("potential_unicorn"),
        ),
        case(
            "a firm registered outside the city holds no unicorn tier",
            {
                let mut f = usd("2020-01-01", 80_000_000);
                f.firm.region_code = crate::domain::RegionCode::from_trusted("320106".into());
                f
            },
            "unicorn",
            None,
        ),
        case(
            "a deregistered firm holds no tier",
            {
                let mut f = usd("2015-03-01", 2_000_000_000);
                f.firm.status = FirmStatus::Deregistered;
                f
            },
            "unicorn",
            None,
        ),
    ]);
}

fn standard_two(rd_2023: i64) -> Dossier {
    let mut f = firm("2020-01-01");
    f.years = vec![
        year(2020, 18_000_000),
        year(2021, 25_000_000),
        year(2022, 35_000_000),
        year(2023, 40_000_000),
    ];
    f.years[3].rd_expense = Some(rd_2023);
    f
}

#[test]
fn seed_standard_two_needs_rd_strictly_above_three_percent() {
    run(vec![
        case(
            "R&D exactly 3% of revenue fails 研发费用占比超过3%",
            standard_two(1_200_000),
            "unicorn",
            None,
        ),
        case(
            "R&D one yuan above 3% passes",
            standard_two(1_200_001),
            "unicorn",
            Some("seed_unicorn"),
        ),
    ]);
}

fn gazelle(revenue_2023: i64) -> Dossier {
    let mut f = firm("2010-01-01");
    f.years = vec![
        year(2019, 10_000_000),
        year(2022, 20_000_000),
        year(2023, revenue_2023),
    ];
    f
}

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

/// A firm meeting every high-tech condition except, possibly, R&D intensity.
fn high_tech(founded: &str, revenues: [i64; 3], rd: [i64; 3]) -> Dossier {
    let mut f = firm(founded);
    f.years = (0..3)
        .map(|i| AnnualFigures {
            fiscal_year: 2021 + i as i32,
            revenue: Some(revenues[i]),
            rd_expense: Some(rd[i]),
            rd_expense_domestic: Some(rd[i]),
            high_tech_revenue: Some(revenues[i]),
            employees: Some(100),
            tech_staff: Some(10),
            ip_class1: Some(0),
            ip_class2: Some(1),
            innovation_score: Some(71),
            ..AnnualFigures::default()
        })
        .collect();
    f
}

const M: i64 = 1_000_000;

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

#[test]
fn a_missing_year_gives_insufficient_data_naming_the_metric() {
    let mut f = gazelle(30_000_000);
    f.years.retain(|y| y.fiscal_year != 2019);
    let rules = default_rules();
    let catalog = RegionCatalog::changzhou();
    let assessment = evaluate(&rules, &f, &EvalContext::new(d(AS_OF), &catalog));
    let track = assessment
        .tracks
        .iter()
        .find(|t| t.track == "gazelle")
        .expect("gazelle track");
    assert_eq!(track.tier, None);
    assert_eq!(track.undecided, vec!["gazelle".to_owned()]);
    let tier = &track.tiers[0];
    assert_eq!(tier.outcome, TierOutcome::InsufficientData);
    assert!(
        tier.missing.iter().any(
            |m| m.contains("revenue_base_4y") && m.contains("revenue for 2019 is not recorded")
        ),
        "{:?}",
        tier.missing
    );
    assert!(
        tier.missing
            .iter()
            .any(|m| m.starts_with("revenue_cagr_4y")),
        "{:?}",
        tier.missing
    );
}

#[test]
fn an_unknown_yes_no_fact_is_missing_not_false() {
    let mut f = usd("2020-01-01", 80_000_000);
    f.firm.credit_ok = None;
    let rules = default_rules();
    let catalog = RegionCatalog::changzhou();
    let assessment = evaluate(&rules, &f, &EvalContext::new(d(AS_OF), &catalog));
    let unicorn = &assessment.tracks[0];
    assert_eq!(unicorn.tier, None);
    assert_eq!(
        unicorn.undecided,
        vec!["seed_unicorn".to_owned(), "potential_unicorn".to_owned()]
    );
    assert!(
        unicorn.tiers[1]
            .missing
            .iter()
            .any(|m| m.contains("credit_ok is not known")),
        "{:?}",
        unicorn.tiers[1].missing
    );
}

#[test]
fn a_firm_can_be_high_tech_gazelle_and_potential_unicorn_at_once() {
    let mut f = gazelle(30_000_000);
    f.firm.founded_on = d("2015-06-01");
    f.financings.push(round(
        "2023-05-01",
        150_000_000,
        Currency::USD,
        InvestorKind::ProfessionalInstitution,
    ));
    f.certificates.push(certificate("2022-12-01", "2025-11-30"));
    let rules = default_rules();
    assert_eq!(
        tier(&rules, &f, AS_OF, "unicorn").as_deref(),
        Some("potential_unicorn")
    );
    assert_eq!(
        tier(&rules, &f, AS_OF, "gazelle").as_deref(),
        Some("gazelle")
    );
    assert_eq!(
        tier(&rules, &f, AS_OF, "high_tech").as_deref(),
        Some("high_tech")
    );
}

#[test]
fn failed_comparisons_say_how_far_off_they_are() {
    let rules = default_rules();
    let catalog = RegionCatalog::changzhou();
    let f = cny("2016-01-01", 180_000_000);
    let json = serde_json::to_string(&evaluate(&rules, &f, &EvalContext::new(d(AS_OF), &catalog)))
        .expect("serialises");
    assert!(
        json.contains("valuation ¥180,000,000 ≤ ¥200,000,000: ¥20,000,001 short"),
        "{json}"
    );
    let g = high_tech("2015-01-01", [300 * M; 3], [6_300_000; 3]);
    let json = serde_json::to_string(&evaluate(&rules, &g, &EvalContext::new(d(AS_OF), &catalog)))
        .expect("serialises");
    assert!(
        json.contains("rd_ratio_3y 2.1% < 3%: 0.9 points short"),
        "{json}"
    );
}

#[test]
fn a_usd_threshold_is_exact_at_the_dollar() {
    let text = r#"
id = "usd-only"
version = 1
effective_from = 2024-01-01
[currency]
USD = "7.1"
[[track]]
id = "t"
label_zh = "测试"
label_en = "Test"
[[track.tier]]
id = "half"
label_zh = "半亿"
label_en = "Half"
source = "不小于0.5亿美元"
rule.all = ["valuation >= 50,000,000 USD"]
"#;
    let rules = crate::rules::RuleSet::parse(text, "usd-only.toml").expect("loads");
    assert_eq!(
        tier(&rules, &usd("2020-01-01", 50_000_000), AS_OF, "t").as_deref(),
        Some("half"),
        "exactly US$50M passes"
    );
    assert_eq!(
        tier(&rules, &usd("2020-01-01", 49_999_999), AS_OF, "t"),
        None,
        "one dollar less fails"
    );
}
