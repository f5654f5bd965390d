//! Building dossiers for tests.

use chrono::NaiveDate;

use crate::domain::{
    AnnualFigures, Certificate, CertificateKind, Currency, Dossier, FinancingRound, FirmProfile,
    FirmStatus, IndustryCode, InvestorKind, Money, RegionCatalog, RegionCode, Uscc,
};
use crate::rules::{EvalContext, RuleSet, Tiers, classify, evaluate};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

pub fn default_rules() -> RuleSet {
    let text = include_str!("../../../config/rules/default.toml");
    RuleSet::parse(text, "default.toml").expect("the default rule set loads")
}

/// An active Changzhou firm with every yes/no fact true and no figures.
pub fn firm(founded: &str) -> Dossier {
    Dossier {
        firm: FirmProfile {
            uscc: Uscc::parse("91350100M000100Y43").expect("valid USCC"),
            name: "测试科技有限公司".into(),
            name_en: None,
            region_code: RegionCode::from_trusted("320411".into()),
            industry_code: IndustryCode::from_trusted("I65".into()),
            founded_on: d(founded),
            listed_on: None,
            status: FirmStatus::Active,
            credit_ok: Some(true),
            tech_firm: Some(true),
            key_tech_breakthrough: Some(false),
            in_gazelle_pool: Some(true),
            in_key_tech_field: Some(true),
            major_violation_on: None,
        },
        years: Vec::new(),
        financings: Vec::new(),
        certificates: Vec::new(),
    }
}

pub fn round(
    closed: &str,
    valuation: i64,
    currency: Currency,
    kind: InvestorKind,
) -> FinancingRound {
    FinancingRound {
        id: None,
        closed_on: d(closed),
        round: "A轮".into(),
        amount: Some(Money {
            value: valuation / 10,
            currency,
        }),
        post_money_valuation: Some(Money {
            value: valuation,
            currency,
        }),
        investor_kind: kind,
    }
}

pub fn year(fiscal_year: i32, revenue: i64) -> AnnualFigures {
    AnnualFigures {
        fiscal_year,
        revenue: Some(revenue),
        ..AnnualFigures::default()
    }
}

pub fn certificate(issued: &str, expires: &str) -> Certificate {
    Certificate {
        id: None,
        kind: CertificateKind::HighTech,
        number: "GR202332001234".into(),
        issued_on: d(issued),
        expires_on: d(expires),
    }
}

/// The tier held in `track` on `as_of`, checked to agree between the fast and explained paths.
pub fn tier(rules: &RuleSet, dossier: &Dossier, as_of: &str, track: &str) -> Option<String> {
    let catalog = RegionCatalog::changzhou();
    let ctx = EvalContext::new(d(as_of), &catalog);
    let fast: Tiers = classify(rules, dossier, &ctx);
    let explained = evaluate(rules, dossier, &ctx);
    assert_eq!(fast, explained.tiers(), "fast and explained paths agree");
    fast.tier_of(rules, track).map(str::to_owned)
}
