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

// Shared cases for the default rule set (evaluation date 2024-06-30, data year 2023).

pub const AS_OF: &str = "2024-06-30";

pub struct Case {
    pub why: &'static str,
    pub dossier: Dossier,
    pub as_of: &'static str,
    pub track: &'static str,
    pub want: Option<&'static str>,
}

pub fn run(cases: Vec<Case>) {
    let rules = default_rules();
    for case in cases {
        let got = tier(&rules, &case.dossier, case.as_of, case.track);
        assert_eq!(got.as_deref(), case.want, "{}", case.why);
    }
}

pub fn invested(founded: &str, valuation: i64, currency: Currency, kind: InvestorKind) -> Dossier {
    let mut firm = firm(founded);
    firm.financings
        .push(round("2023-05-01", valuation, currency, kind));
    firm
}

pub fn usd(founded: &str, valuation: i64) -> Dossier {
    invested(
        founded,
        valuation,
        Currency::USD,
        InvestorKind::ProfessionalInstitution,
    )
}

pub fn cny(founded: &str, valuation: i64) -> Dossier {
    invested(founded, valuation, Currency::CNY, InvestorKind::Strategic)
}

pub fn case(
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

pub fn standard_two(rd_2023: i64) -> Dossier {
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

pub fn gazelle(revenue_2023: i64) -> Dossier {
    let mut f = firm("2010-01-01");
    f.years = vec![
        year(2019, 10_000_000),
        year(2022, 20_000_000),
        year(2023, revenue_2023),
    ];
    f
}

/// A firm meeting every high-tech condition except, possibly, R&D intensity.
pub fn high_tech(founded: &str, revenues: [i64; 3], rd: [i64; 3]) -> Dossier {
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

pub const M: i64 = 1_000_000;
