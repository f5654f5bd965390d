//! Explanations of the default rule set: missing data, several tiers at once, gaps in words.

use super::support::*;
use crate::domain::{Currency, InvestorKind, RegionCatalog};
use crate::rules::{EvalContext, TierOutcome, evaluate};

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
fn a_growth_shortfall_names_the_revenue_that_was_needed() {
    let rules = default_rules();
    let catalog = RegionCatalog::changzhou();
    let mut f = firm("2019-06-01");
    f.years = vec![
        year(2020, 10_000_000),
        year(2022, 12_000_000),
        year(2023, 13_310_000),
    ];
    let json = serde_json::to_string(&evaluate(&rules, &f, &EvalContext::new(d(AS_OF), &catalog)))
        .expect("serialises");
    let want = "revenue_cagr_3y ≈10.00% a year (revenue ¥10,000,000 in 2020 → ¥13,310,000 in 2023) < 30%: needs revenue of ¥21,970,000 in 2023, ¥8,660,000 short";
    assert!(json.contains(want), "{json}");
}

#[test]
fn a_value_equal_to_an_excluded_threshold_is_short_by_the_smallest_unit() {
    let rules = default_rules();
    let catalog = RegionCatalog::changzhou();
    let ctx = EvalContext::new(d(AS_OF), &catalog);
    let json = serde_json::to_string(&evaluate(&rules, &cny("2016-01-01", 200_000_000), &ctx))
        .expect("serialises");
    assert!(
        json.contains("valuation ¥200,000,000 ≤ ¥200,000,000: ¥1 short"),
        "{json}"
    );
    let json = serde_json::to_string(&evaluate(&rules, &standard_two(1_200_000), &ctx))
        .expect("serialises");
    assert!(
        json.contains("rd_ratio 3% ≤ 3%: equal to 3%, which must be passed"),
        "{json}"
    );
    let young = firm("2023-07-02");
    let json = serde_json::to_string(&evaluate(&rules, &young, &ctx)).expect("serialises");
    assert!(
        json.contains("days_since_founding 364 days < 365 days: 1 day short"),
        "{json}"
    );
}
