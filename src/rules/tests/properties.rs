//! Properties over random dossiers: determinism, fast path = explained path, monotonicity.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::support::*;
use crate::domain::{
    AnnualFigures, Currency, Dossier, FinancingRound, FirmStatus, InvestorKind, Money,
    RegionCatalog, RegionCode,
};
use crate::rules::{EvalContext, RuleSet, classify, evaluate};

fn figure(max: i64) -> impl Strategy<Value = Option<i64>> {
    prop_oneof![1 => Just(None), 6 => (0..=max).prop_map(Some)]
}

fn year_strategy(fiscal_year: i32) -> impl Strategy<Value = AnnualFigures> {
    (
        figure(400_000_000),
        figure(30_000_000),
        figure(500),
        figure(3),
        figure(100),
    )
        .prop_map(move |(revenue, rd, employees, ip, score)| AnnualFigures {
            fiscal_year,
            revenue,
            rd_expense: rd,
            rd_expense_domestic: rd.map(|r| r * 9 / 10),
            high_tech_revenue: revenue.map(|r| r * 7 / 10),
            total_assets: revenue,
            employees,
            tech_staff: employees.map(|e| e / 5),
            ip_class1: ip,
            ip_class2: ip,
            innovation_score: score,
            ..AnnualFigures::default()
        })
}

fn round_strategy() -> impl Strategy<Value = FinancingRound> {
    (
        0_u64..3000,
        figure(20_000_000_000),
        any::<bool>(),
        0_usize..4,
    )
        .prop_map(|(days, valuation, in_usd, kind)| {
            let currency = if in_usd { Currency::USD } else { Currency::CNY };
            FinancingRound {
                id: None,
                closed_on: d("2017-01-01") + Days::new(days),
                round: "A".into(),
                amount: valuation.map(|v| Money {
                    value: v / 10,
                    currency,
                }),
                post_money_valuation: valuation.map(|v| Money { value: v, currency }),
                investor_kind: [
                    InvestorKind::ProfessionalInstitution,
                    InvestorKind::Strategic,
                    InvestorKind::GovernmentFund,
                    InvestorKind::Other,
                ][kind],
            }
        })
}

fn flag() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}

prop_compose! {
    fn dossier()(
        founded in 0_u64..7000,
        flags in (flag(), flag(), flag(), flag(), flag()),
        years in proptest::collection::vec(proptest::option::weighted(0.85, 0_i32..1), 7),
        figures in (2017..=2023).map(year_strategy).collect::<Vec<_>>(),
        financings in proptest::collection::vec(round_strategy(), 0..3),
        cert in proptest::option::of(0_u64..3000),
        listed in proptest::option::of(0_u64..3000),
        violation in proptest::option::of(0_u64..3000),
        deregistered in proptest::bool::weighted(0.05),
        outside in proptest::bool::weighted(0.1),
    ) -> Dossier {
        let mut f = firm("2005-01-01");
        f.firm.founded_on = d("2005-01-01") + Days::new(founded);
        (f.firm.credit_ok, f.firm.tech_firm, f.firm.key_tech_breakthrough, f.firm.in_gazelle_pool, f.firm.in_key_tech_field) = flags;
        f.years = figures.into_iter().zip(years).filter_map(|(y, keep)| keep.map(|_| y)).collect();
        f.financings = financings;
        if let Some(days) = cert {
            let issued = d("2017-01-01") + Days::new(days);
            f.certificates.push(certificate(&issued.to_string(), &crate::domain::three_years_less_a_day(issued).to_string()));
        }
        f.firm.listed_on = listed.map(|x| d("2017-01-01") + Days::new(x));
        f.firm.major_violation_on = violation.map(|x| d("2017-01-01") + Days::new(x));
        if deregistered {
            f.firm.status = FirmStatus::Deregistered;
        }
        if outside {
            f.firm.region_code = RegionCode::from_trusted("320106".into());
        }
        f
    }
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (0_u64..1800).prop_map(|x| d("2021-01-01") + Days::new(x))
}

fn alternative(relative: &str) -> RuleSet {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("config/rules")
        .join(relative);
    RuleSet::load_file(&path).expect("shipped rule file loads")
}

/// Requirements on undecided tiers: `b` and `c` depend on `a`, which waits on unknown facts.
fn chained() -> RuleSet {
    let text = r#"
id = "chained"
version = 1
effective_from = 2020-01-01
[[track]]
id = "c"
label_zh = "丙"
label_en = "C"
[[track.tier]]
id = "c1"
label_zh = "丙一"
label_en = "C1"
source = "test"
rule.not = { requires = { track = "b", tier = "b2" } }
[[track]]
id = "a"
label_zh = "甲"
label_en = "A"
[[track.tier]]
id = "a1"
label_zh = "甲一"
label_en = "A1"
source = "test"
rule.any = ["credit_ok = true", "revenue >= 50,000,000 CNY"]
[[track.tier]]
id = "a2"
label_zh = "甲二"
label_en = "A2"
source = "test"
rule.all = ["tech_firm = true", "in_key_tech_field = true", "rd_ratio_3y >= 3%"]
[[track]]
id = "b"
label_zh = "乙"
label_en = "B"
[[track.tier]]
id = "b1"
label_zh = "乙一"
label_en = "B1"
source = "test"
rule.all = [{ requires = { track = "a", tier = "a1" } }, "employees <= 300"]
[[track.tier]]
id = "b2"
label_zh = "乙二"
label_en = "B2"
source = "test"
rule.any = [{ requires = { track = "a", tier = "a2" } }, "in_gazelle_pool = true"]
"#;
    RuleSet::parse(text, "chained.toml").expect("loads")
}

fn ladder() -> RuleSet {
    let text = r#"
id = "valuation-ladder"
version = 1
effective_from = 2020-01-01
[currency]
USD = "7.1"
[[track]]
id = "v"
label_zh = "估值"
label_en = "Valuation"
[[track.tier]]
id = "v1"
label_zh = "一"
label_en = "One"
source = "test"
rule.all = ["valuation >= 100,000,000 CNY"]
[[track.tier]]
id = "v2"
label_zh = "二"
label_en = "Two"
source = "test"
rule.any = ["valuation > 50,000,000 USD", "valuation >= 400,000,000 CNY"]
[[track.tier]]
id = "v3"
label_zh = "三"
label_en = "Three"
source = "test"
rule.all = ["valuation > 1,000,000,000 USD"]
"#;
    RuleSet::parse(text, "ladder.toml").expect("loads")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn evaluation_is_deterministic(f in dossier(), day in as_of()) {
        let rules = default_rules();
        let catalog = RegionCatalog::changzhou();
        let ctx = EvalContext::new(day, &catalog);
        let first = serde_json::to_string(&evaluate(&rules, &f, &ctx)).expect("serialises");
        let second = serde_json::to_string(&evaluate(&rules, &f.clone(), &ctx)).expect("serialises");
        prop_assert_eq!(first, second);
        prop_assert_eq!(classify(&rules, &f, &ctx), classify(&rules, &f, &ctx));
    }

    #[test]
    fn the_fast_path_gives_the_same_tiers_as_the_explained_path(f in dossier(), day in as_of()) {
        let catalog = RegionCatalog::changzhou();
        let ctx = EvalContext::new(day, &catalog);
        for rules in [default_rules(), ladder(), chained(), alternative("alternatives/gazelle-huangpu.toml"), alternative("alternatives/gei-2025.toml"), alternative("examples/with-tech-sme.toml")] {
            prop_assert_eq!(classify(&rules, &f, &ctx), evaluate(&rules, &f, &ctx).tiers());
        }
    }

    #[test]
    fn raising_a_valuation_never_lowers_a_valuation_only_tier(low in 0_i64..20_000_000_000, raise in 0_i64..20_000_000_000, in_usd in any::<bool>()) {
        let rules = ladder();
        let catalog = RegionCatalog::changzhou();
        let ctx = EvalContext::new(d("2024-06-30"), &catalog);
        let currency = if in_usd { Currency::USD } else { Currency::CNY };
        let with = |v| {
            let mut f = firm("2020-01-01");
            f.financings.push(round("2024-01-01", v, currency, InvestorKind::Strategic));
            f
        };
        let before = classify(&rules, &with(low), &ctx).get(0);
        let after = classify(&rules, &with(low + raise), &ctx).get(0);
        prop_assert!(after >= before, "{:?} → {:?}", before, after);
    }
}
