//! The default rule set at every boundary CRITERIA.md names: the unicorn ladder. Evaluation
//! date 2024-06-30 unless a case says otherwise, so the data year is 2023.

use super::support::*;
use crate::domain::{Currency, FirmStatus, InvestorKind};

#[test]
fn the_default_rule_set_loads_without_warnings() {
    let rules = default_rules();
    assert_eq!(rules.id(), "changzhou-default");
    assert_eq!(
        rules.version(),
        2,
        "version 2 added the tech-based SME track"
    );
    assert_eq!(rules.tier_count(), 7);
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
            "获得过私募股权投资 counts a strategic investor's round: a unicorn",
            invested(
                "2015-03-01",
                1_000_000_001,
                Currency::USD,
                InvestorKind::Strategic,
            ),
            "unicorn",
            Some("unicorn"),
        ),
        case(
            "a government fund's round counts as private-equity investment too",
            invested(
                "2015-03-01",
                1_000_000_001,
                Currency::USD,
                InvestorKind::GovernmentFund,
            ),
            "unicorn",
            Some("unicorn"),
        ),
        case(
            "a strategic round at exactly US$1B is still not a unicorn",
            invested(
                "2015-03-01",
                1_000_000_000,
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
