//! Metric definitions on small dossiers, through one-comparison rule sets.

use super::support::*;
use crate::domain::{AnnualFigures, Currency, InvestorKind, Money};
use crate::rules::RuleSet;

/// A rule set with one track `m` whose single tier `yes` is the given comparison.
fn one(comparison: &str) -> RuleSet {
    let text = format!(
        "id = \"m\"\nversion = 1\neffective_from = 2020-01-01\n[currency]\nUSD = \"7\"\n[[track]]\nid = \"m\"\nlabel_zh = \"测\"\nlabel_en = \"M\"\n[[track.tier]]\nid = \"yes\"\nlabel_zh = \"是\"\nlabel_en = \"Yes\"\nsource = \"test\"\nrule.all = [\"{comparison}\"]\n"
    );
    RuleSet::parse(&text, "one.toml").expect("loads")
}

fn holds(comparison: &str, dossier: &crate::domain::Dossier, as_of: &str) -> bool {
    tier(&one(comparison), dossier, as_of, "m").is_some()
}

#[test]
fn the_valuation_is_the_latest_disclosed_one_on_or_before_the_date() {
    let mut f = firm("2018-01-01");
    f.financings = vec![
        round(
            "2022-01-01",
            500_000_000,
            Currency::CNY,
            InvestorKind::Strategic,
        ),
        round(
            "2023-01-01",
            20_000_000,
            Currency::USD,
            InvestorKind::Strategic,
        ),
        round(
            "2024-09-01",
            900_000_000,
            Currency::CNY,
            InvestorKind::Strategic,
        ),
    ];
    f.financings.push(crate::domain::FinancingRound {
        post_money_valuation: None,
        ..round("2023-06-01", 1, Currency::CNY, InvestorKind::Other)
    });
    assert!(
        holds("valuation = 140,000,000 CNY", &f, "2024-06-30"),
        "US$20M at 7, later undisclosed round skipped, future round ignored"
    );
    assert!(
        holds("valuation = 500,000,000 CNY", &f, "2022-12-31"),
        "as of an earlier date"
    );
}

#[test]
fn cumulative_financing_is_missing_when_an_amount_is_undisclosed() {
    let mut f = firm("2018-01-01");
    f.financings = vec![
        round(
            "2022-01-01",
            100_000_000,
            Currency::CNY,
            InvestorKind::Strategic,
        ),
        round(
            "2023-01-01",
            10_000_000,
            Currency::USD,
            InvestorKind::Strategic,
        ),
    ];
    assert!(
        holds("cumulative_financing = 17,000,000 CNY", &f, "2024-06-30"),
        "¥10M + US$1M at 7"
    );
    f.financings[1].amount = None;
    assert!(
        !holds("cumulative_financing >= 0 CNY", &f, "2024-06-30"),
        "undisclosed is not zero"
    );
}

#[test]
fn rd_ratio_3y_uses_the_years_since_founding_when_fewer_than_three() {
    let mut f = firm("2022-03-01");
    let y = |fiscal_year, revenue, rd| AnnualFigures {
        fiscal_year,
        revenue: Some(revenue),
        rd_expense: Some(rd),
        ..AnnualFigures::default()
    };
    f.years = vec![
        y(2021, 1, 1),
        y(2022, 1_000_000, 10_000),
        y(2023, 3_000_000, 110_000),
    ];
    assert!(
        holds("rd_ratio_3y = 3%", &f, "2024-06-30"),
        "120,000 / 4,000,000 over 2022–2023 only"
    );
    f.years.retain(|x| x.fiscal_year != 2022);
    assert!(
        !holds("rd_ratio_3y >= 0%", &f, "2024-06-30"),
        "a missing year in the window is missing"
    );
}

#[test]
fn a_zero_revenue_makes_ratios_and_growth_missing_not_zero() {
    let mut f = firm("2015-01-01");
    f.years = vec![
        year(2022, 0),
        AnnualFigures {
            rd_expense: Some(0),
            ..year(2023, 0)
        },
    ];
    assert!(!holds("rd_ratio >= 0%", &f, "2024-06-30"));
    assert!(!holds("revenue_growth >= -50%", &f, "2024-06-30"));
    let assessment = crate::rules::evaluate(
        &one("rd_ratio >= 0%"),
        &f,
        &crate::rules::EvalContext::new(
            d("2024-06-30"),
            &crate::domain::RegionCatalog::changzhou(),
        ),
    );
    assert_eq!(
        assessment.tracks[0].tiers[0].outcome,
        crate::rules::TierOutcome::InsufficientData
    );
}

#[test]
fn ages_count_from_the_data_year_and_days_from_the_evaluation_date() {
    let f = firm("2019-12-31");
    assert!(
        holds("years_since_founding = 4 years", &f, "2024-01-01"),
        "data year 2023 − 2019"
    );
    assert!(holds("days_since_founding = 1 days", &f, "2020-01-01"));
    assert!(holds("founded_year = 2019", &f, "2024-01-01"));
}

#[test]
fn professional_investment_needs_a_professional_institution_round() {
    let mut f = firm("2018-01-01");
    f.financings = vec![round(
        "2022-01-01",
        1,
        Currency::CNY,
        InvestorKind::GovernmentFund,
    )];
    assert!(holds("has_investment = true", &f, "2024-06-30"));
    assert!(!holds(
        "has_professional_investment = true",
        &f,
        "2024-06-30"
    ));
    f.financings[0].investor_kind = InvestorKind::ProfessionalInstitution;
    assert!(holds(
        "has_professional_investment = true",
        &f,
        "2024-06-30"
    ));
    assert!(
        !holds("has_investment = true", &f, "2021-12-31"),
        "a round after the date does not count"
    );
}

#[test]
fn ip_total_adds_both_classes_and_needs_both() {
    let mut f = firm("2018-01-01");
    f.years = vec![AnnualFigures {
        fiscal_year: 2023,
        ip_class1: Some(2),
        ip_class2: Some(3),
        ..AnnualFigures::default()
    }];
    assert!(holds("ip_total = 5", &f, "2024-06-30"));
    f.years[0].ip_class2 = None;
    assert!(!holds("ip_total >= 0", &f, "2024-06-30"));
}

#[test]
fn money_in_usd_without_a_rate_is_missing() {
    let text = "id = \"m\"\nversion = 1\neffective_from = 2020-01-01\n[[track]]\nid = \"m\"\nlabel_zh = \"测\"\nlabel_en = \"M\"\n[[track.tier]]\nid = \"yes\"\nlabel_zh = \"是\"\nlabel_en = \"Yes\"\nsource = \"test\"\nrule.all = [\"valuation >= 0 CNY\"]\n";
    let rules = RuleSet::parse(text, "norate.toml").expect("loads");
    let mut f = firm("2018-01-01");
    f.financings = vec![round(
        "2022-01-01",
        1,
        Currency::USD,
        InvestorKind::Strategic,
    )];
    f.financings[0].post_money_valuation = Some(Money {
        value: 5,
        currency: Currency::USD,
    });
    assert_eq!(tier(&rules, &f, "2024-06-30", "m"), None);
}
