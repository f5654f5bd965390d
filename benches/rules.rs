//! Rules evaluation throughput: the default rule set over a synthetic population of 10,000
//! dossiers, with (`evaluate`) and without (`classify`) explanations.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tier_registry::domain::{
    AnnualFigures, Certificate, CertificateKind, Currency, Dossier, FinancingRound, FirmProfile,
    FirmStatus, IndustryCode, InvestorKind, Money, RegionCatalog, RegionCode, Uscc,
};
use tier_registry::rules::{EvalContext, RuleSet, classify, evaluate};

const POPULATION: usize = 10_000;

/// A small deterministic generator, so every run measures the same population.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
    fn flag(&mut self) -> Option<bool> {
        match self.next(10) {
            0 => None,
            1..=3 => Some(false),
            _ => Some(true),
        }
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("bench date")
}

fn population() -> Vec<Dossier> {
    let mut rng = Lcg(42);
    let uscc = Uscc::parse("91350100M000100Y43").expect("valid USCC");
    let districts = [
        "320402", "320404", "320411", "320412", "320413", "320481", "320106",
    ];
    (0..POPULATION)
        .map(|_| {
            let founded = day("2004-01-01") + Days::new(rng.next(7300));
            let mut revenue = 5_000_000 + rng.next(300_000_000) as i64;
            let years = (2018..=2023)
                .map(|fiscal_year| {
                    revenue = revenue * (90 + rng.next(50) as i64) / 100;
                    let rd = revenue * rng.next(80) as i64 / 1000;
                    let employees = 20 + rng.next(800) as i64;
                    AnnualFigures {
                        fiscal_year,
                        revenue: Some(revenue),
                        rd_expense: Some(rd),
                        rd_expense_domestic: Some(rd * 9 / 10),
                        high_tech_revenue: Some(revenue * rng.next(100) as i64 / 100),
                        total_assets: Some(revenue * 2),
                        net_assets: Some(revenue),
                        employees: Some(employees),
                        tech_staff: Some(employees * rng.next(40) as i64 / 100),
                        ip_class1: Some(rng.next(5) as i64),
                        ip_class2: Some(rng.next(10) as i64),
                        innovation_score: Some(40 + rng.next(60) as i64),
                    }
                })
                .collect();
            let financings = (0..rng.next(4))
                .map(|_| {
                    let currency = if rng.next(3) == 0 {
                        Currency::USD
                    } else {
                        Currency::CNY
                    };
                    let valuation = 10_000_000 + rng.next(3_000_000_000) as i64;
                    FinancingRound {
                        id: None,
                        closed_on: day("2018-01-01") + Days::new(rng.next(2300)),
                        round: "A轮".into(),
                        amount: Some(Money {
                            value: valuation / 10,
                            currency,
                        }),
                        post_money_valuation: Some(Money {
                            value: valuation,
                            currency,
                        }),
                        investor_kind: if rng.next(2) == 0 {
                            InvestorKind::ProfessionalInstitution
                        } else {
                            InvestorKind::Strategic
                        },
                    }
                })
                .collect();
            let certificates = if rng.next(3) == 0 {
                let issued = day("2021-01-01") + Days::new(rng.next(1200));
                vec![Certificate {
                    id: None,
                    kind: CertificateKind::HighTech,
                    number: "GR202332001234".into(),
                    issued_on: issued,
                    expires_on: tier_registry::domain::three_years_less_a_day(issued),
                }]
            } else {
                Vec::new()
            };
            Dossier {
                firm: FirmProfile {
                    uscc: uscc.clone(),
                    name: "基准测试有限公司".into(),
                    name_en: None,
                    region_code: RegionCode::from_trusted(districts[rng.next(7) as usize].into()),
                    industry_code: IndustryCode::from_trusted("C38".into()),
                    founded_on: founded,
                    listed_on: None,
                    status: FirmStatus::Active,
                    credit_ok: rng.flag(),
                    tech_firm: rng.flag(),
                    key_tech_breakthrough: rng.flag(),
                    in_gazelle_pool: rng.flag(),
                    in_key_tech_field: rng.flag(),
                    major_violation_on: None,
                },
                years,
                financings,
                certificates,
            }
        })
        .collect()
}

fn rules_evaluation(c: &mut Criterion) {
    let text = include_str!("../config/rules/default.toml");
    let rules = RuleSet::parse(text, "default.toml").expect("default rules load");
    let catalog = RegionCatalog::changzhou();
    let ctx = EvalContext::new(day("2024-06-30"), &catalog);
    let firms = population();
    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Elements(POPULATION as u64));
    group.bench_function("classify_10k_without_explanation", |b| {
        b.iter(|| {
            for firm in &firms {
                black_box(classify(&rules, black_box(firm), &ctx));
            }
        })
    });
    group.bench_function("evaluate_10k_with_explanation", |b| {
        b.iter(|| {
            for firm in &firms {
                black_box(evaluate(&rules, black_box(firm), &ctx));
            }
        })
    });
    group.finish();

    // The same work on a population small enough to stay in cache: the cost of evaluation
    // itself, without the memory latency of touching 10,000 dossiers.
    let few: Vec<Dossier> = firms.iter().take(POPULATION / 10).cloned().collect();
    let mut group = c.benchmark_group("rules_in_cache");
    group.throughput(Throughput::Elements(few.len() as u64));
    group.bench_function("classify_1k_without_explanation", |b| {
        b.iter(|| {
            for firm in &few {
                black_box(classify(&rules, black_box(firm), &ctx));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, rules_evaluation);
criterion_main!(benches);
