//! A realistic, deterministic population of Changzhou firms for demonstrations and benchmarks.
//!
//! Shares are chosen so that, under the default rules, 20,000 firms give a few thousand
//! high-tech enterprises, a few hundred gazelles and tens of unicorn-ladder firms: the order
//! of Changzhou's published figures (CRITERIA.md) scaled to a smaller base.

use chrono::{Datelike, NaiveDate};

use super::rng::SplitMix64;
use crate::domain::{
    AnnualFigures, Certificate, CertificateKind, Currency, FieldError, FinancingRound, FirmProfile,
    FirmStatus, IndustryCode, InvestorKind, Money, RegionCode, Uscc, three_years_less_a_day,
};

/// How many firms, from which seed, as of which day.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// Number of firms.
    pub firms: usize,
    /// The PRNG seed; the same seed gives the same population.
    pub seed: u64,
    /// The day the population is described on: no date after it, figures up to the year before.
    pub today: NaiveDate,
}

/// One generated firm with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFirm {
    /// The firm's facts.
    pub profile: FirmProfile,
    /// Up to five years of figures, oldest first.
    pub years: Vec<AnnualFigures>,
    /// Financing rounds, oldest first.
    pub financings: Vec<FinancingRound>,
    /// High-tech certificates.
    pub certificates: Vec<Certificate>,
}

/// Changzhou's six districts weighted roughly by their number of firms, then a few codes
/// outside the city (Nanjing, Wuxi, Suzhou) for firms registered elsewhere.
const REGIONS: &[(&str, u32)] = &[
    ("320402", 120),
    ("320404", 100),
    ("320411", 270),
    ("320412", 310),
    ("320413", 80),
    ("320481", 90),
    ("320100", 10),
    ("320200", 10),
    ("320500", 10),
];

/// GB/T 4754 divisions, weighted to manufacturing (C) and software and IT services (I).
/// The flag says whether firms there are usually technology firms.
const INDUSTRIES: &[(&str, u32, bool, &str)] = &[
    ("C26", 40, true, "化工新材料"),
    ("C27", 25, true, "生物医药"),
    ("C34", 70, false, "机械制造"),
    ("C35", 60, true, "智能装备"),
    ("C36", 40, false, "汽车零部件"),
    ("C38", 80, true, "新能源电气"),
    ("C39", 45, true, "电子科技"),
    ("C33", 40, false, "金属制品"),
    ("I63", 20, true, "通信技术"),
    ("I64", 35, true, "网络科技"),
    ("I65", 95, true, "软件科技"),
    ("M73", 25, true, "研发技术"),
    ("M75", 35, true, "科技服务"),
    ("F51", 90, false, "商贸"),
    ("F52", 50, false, "零售"),
    ("E48", 50, false, "建设工程"),
    ("G54", 35, false, "物流"),
    ("L72", 45, false, "企业管理咨询"),
    ("K70", 20, false, "置业"),
    ("A01", 15, false, "农业发展"),
];

const NAME_PARTS: &[&str] = &[
    "星河", "天宁", "龙城", "恒瑞", "中科", "华达", "新锐", "东方", "金诺", "瑞泰", "博润", "远航",
    "凯信", "立德", "宏图", "卓越", "正昌", "汇通", "明阳", "德晟", "聚能", "领航", "科创", "智联",
];

const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Yuan per US dollar used to quote USD rounds (the default rule set's rate).
const CNY_PER_USD: f64 = 7.1;

/// Generates `options.firms` firms; firm `i` depends only on the seed and `i`. Fails only if
/// a generated USCC did not check, which would be a bug in the generator.
pub fn generate_population(options: DemoOptions) -> Result<Vec<DemoFirm>, FieldError> {
    (0..options.firms)
        .map(|i| {
            let mut rng =
                SplitMix64::new(options.seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
            generate_firm(&mut rng, i, options)
        })
        .collect()
}

/// A valid enterprise USCC: `91`, the region, `MA`, a seed tag and the firm's index in base 31,
/// then the GB 32100 check character.
fn demo_uscc(region: &str, seed: u64, index: usize) -> Result<Uscc, FieldError> {
    let mut body = format!("91{region}MA");
    body.push(USCC_ALPHABET[(seed % 31) as usize] as char);
    let mut digits = [0u8; 6];
    let mut n = index;
    for d in digits.iter_mut().rev() {
        *d = USCC_ALPHABET[n % 31];
        n /= 31;
    }
    body.extend(digits.iter().map(|&b| b as char));
    let sum: usize = body
        .bytes()
        .zip(USCC_WEIGHTS)
        .map(|(c, w)| USCC_ALPHABET.iter().position(|&a| a == c).unwrap_or(0) * w)
        .sum();
    body.push(USCC_ALPHABET[(31 - sum % 31) % 31] as char);
    Uscc::parse(&body)
}

fn date(year: i32, rng: &mut SplitMix64, not_after: NaiveDate) -> NaiveDate {
    let month = rng.range(1, 12) as u32;
    let day = rng.range(1, 28) as u32;
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap_or(not_after)
        .min(not_after)
}

fn generate_firm(
    rng: &mut SplitMix64,
    index: usize,
    options: DemoOptions,
) -> Result<DemoFirm, FieldError> {
    let today = options.today;
    let data_year = today.year() - 1;
    let region = REGIONS[rng.weighted(&REGIONS.iter().map(|r| r.1).collect::<Vec<_>>())].0;
    let (industry, _, tech_sector, word) =
        INDUSTRIES[rng.weighted(&INDUSTRIES.iter().map(|i| i.1).collect::<Vec<_>>())];
    // A quarter of the firms are young (the cohorts the unicorn ladder looks at).
    let age = if rng.chance(0.25) {
        rng.range(0, 4)
    } else {
        rng.range(5, 30)
    } as i32;
    let founded_on = date(data_year - age, rng, today);
    let tech_firm = if tech_sector {
        rng.chance(0.8)
    } else {
        rng.chance(0.1)
    };
    let fast = rng.chance(0.12);
    let profile = FirmProfile {
        uscc: demo_uscc(region, options.seed, index)?,
        name: format!(
            "常州{}{}{}有限公司",
            NAME_PARTS[rng.range(0, NAME_PARTS.len() as i64 - 1) as usize],
            NAME_PARTS[rng.range(0, NAME_PARTS.len() as i64 - 1) as usize],
            word
        ),
        name_en: None,
        region_code: RegionCode::from_trusted(region.to_owned()),
        industry_code: IndustryCode::from_trusted(industry.to_owned()),
        founded_on,
        listed_on: rng
            .chance(0.004)
            .then(|| date(data_year, rng, today).max(founded_on)),
        status: if rng.chance(0.02) {
            FirmStatus::Deregistered
        } else {
            FirmStatus::Active
        },
        credit_ok: Some(rng.chance(0.97)),
        tech_firm: Some(tech_firm),
        key_tech_breakthrough: Some(tech_firm && rng.chance(0.03)),
        in_gazelle_pool: Some(if fast {
            rng.chance(0.5)
        } else {
            rng.chance(0.02)
        }),
        in_key_tech_field: Some(tech_firm && rng.chance(0.7)),
        major_violation_on: rng
            .chance(0.005)
            .then(|| date(data_year, rng, today).max(founded_on)),
    };
    let years = figures(rng, founded_on.year(), data_year, tech_firm, fast);
    let financings = rounds(rng, index, founded_on, today, tech_firm, age);
    let certificates = certificate(rng, index, options.seed, tech_firm, founded_on, today);
    Ok(DemoFirm {
        profile,
        years,
        financings,
        certificates,
    })
}

/// Up to five years: revenue log-normal (median about ¥15M) growing by a yearly rate around
/// 8% (30% for fast growers), R&D, staff and IP in proportion.
fn figures(
    rng: &mut SplitMix64,
    founded_year: i32,
    data_year: i32,
    tech: bool,
    fast: bool,
) -> Vec<AnnualFigures> {
    let first = (data_year - 4).max(founded_year);
    let mut revenue = (15_000_000.0 * (1.5 * rng.normal()).exp()).max(200_000.0);
    let rd_ratio = if tech {
        (0.05 + 0.02 * rng.normal()).clamp(0.005, 0.2)
    } else {
        (0.01 + 0.005 * rng.normal()).clamp(0.0, 0.05)
    };
    let high_tech_share = if tech {
        0.45 + 0.5 * rng.unit()
    } else {
        0.1 * rng.unit()
    };
    let tech_staff_share = if tech {
        0.08 + 0.3 * rng.unit()
    } else {
        0.05 * rng.unit()
    };
    let score = if tech {
        rng.range(55, 95)
    } else {
        rng.range(30, 70)
    };
    let ip1 = if tech {
        rng.range(0, 6)
    } else {
        rng.range(0, 1)
    };
    let ip2 = if tech {
        rng.range(0, 20)
    } else {
        rng.range(0, 3)
    };
    let mut years = Vec::new();
    for year in first..=data_year {
        let growth = if fast {
            0.3 + 0.1 * rng.normal()
        } else {
            0.08 + 0.15 * rng.normal()
        };
        if year > first {
            revenue *= 1.0 + growth.max(-0.6);
        }
        let r = revenue.round() as i64;
        let rd = (revenue * rd_ratio).round() as i64;
        let employees = ((revenue / 600_000.0).round() as i64).max(5);
        years.push(AnnualFigures {
            fiscal_year: year,
            revenue: Some(r),
            rd_expense: Some(rd),
            rd_expense_domestic: Some((rd as f64 * (0.9 + 0.1 * rng.unit())).round() as i64),
            high_tech_revenue: Some((revenue * high_tech_share).round() as i64),
            total_assets: Some((revenue * (0.8 + rng.unit())).round() as i64),
            net_assets: Some((revenue * (0.5 * rng.unit() - 0.05)).round() as i64),
            employees: Some(employees),
            tech_staff: Some(((employees as f64) * tech_staff_share).round() as i64),
            ip_class1: Some(ip1),
            ip_class2: Some(ip2),
            innovation_score: Some(score),
        });
    }
    years
}

/// About 3% of firms (mostly young technology firms) raised money; the latest round's
/// post-money valuation is log-normal around ¥60M. One firm in 1,500 is a "star" valued
/// US$0.8–3B, so every few thousand firms include a unicorn candidate.
fn rounds(
    rng: &mut SplitMix64,
    index: usize,
    founded_on: NaiveDate,
    today: NaiveDate,
    tech: bool,
    age: i32,
) -> Vec<FinancingRound> {
    let star = index % 1_500 == 7;
    let p = if tech && age <= 9 { 0.05 } else { 0.003 };
    if !star && !rng.chance(p) {
        return Vec::new();
    }
    let final_yuan = if star {
        (800_000_000.0 + 2_200_000_000.0 * rng.unit()) * CNY_PER_USD
    } else {
        60_000_000.0 * (1.4 * rng.normal()).exp()
    };
    let count = rng.range(1, 3);
    let kinds = [
        InvestorKind::ProfessionalInstitution,
        InvestorKind::Strategic,
        InvestorKind::GovernmentFund,
        InvestorKind::Other,
    ];
    let labels = ["天使轮", "A轮", "B轮", "C轮"];
    let span = (today - founded_on).num_days().max(1);
    let mut out = Vec::new();
    for n in 0..count {
        let valuation = final_yuan / 2f64.powi((count - 1 - n) as i32);
        let usd = rng.chance(0.2);
        let money = |yuan: f64| {
            let (value, currency) = if usd {
                ((yuan / CNY_PER_USD).round() as i64, Currency::USD)
            } else {
                (yuan.round() as i64, Currency::CNY)
            };
            Money { value, currency }
        };
        let offset = span * (n + 1) / (count + 1);
        out.push(FinancingRound {
            id: None,
            closed_on: founded_on + chrono::Duration::days(offset),
            round: labels[n as usize % labels.len()].to_owned(),
            amount: Some(money(valuation * (0.1 + 0.15 * rng.unit()))),
            post_money_valuation: Some(money(valuation)),
            investor_kind: if star || n == count - 1 && rng.chance(0.7) {
                InvestorKind::ProfessionalInstitution
            } else {
                kinds[rng.weighted(&[60, 15, 15, 10])]
            },
        });
    }
    out
}

/// Over half the technology firms hold a high-tech certificate; a sixth of those have let it
/// lapse (issued more than three years ago).
fn certificate(
    rng: &mut SplitMix64,
    index: usize,
    seed: u64,
    tech: bool,
    founded_on: NaiveDate,
    today: NaiveDate,
) -> Vec<Certificate> {
    if !tech || !rng.chance(0.55) {
        return Vec::new();
    }
    let years_ago = if rng.chance(1.0 / 6.0) {
        rng.range(3, 5)
    } else {
        rng.range(0, 2)
    };
    let issued_on = date(today.year() - years_ago as i32, rng, today).max(founded_on);
    vec![Certificate {
        id: None,
        kind: CertificateKind::HighTech,
        number: format!("GR{}32{:03}{:07}", issued_on.year(), seed % 1000, index),
        issued_on,
        expires_on: three_years_less_a_day(issued_on),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RegionCatalog;
    use crate::inputs::{FirmInput, ParseContext};

    fn options(firms: usize, seed: u64) -> DemoOptions {
        let today = NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
        DemoOptions { firms, seed, today }
    }

    #[test]
    fn the_same_seed_gives_the_same_population_and_another_seed_another() {
        assert_eq!(
            generate_population(options(50, 1)),
            generate_population(options(50, 1))
        );
        assert_ne!(
            generate_population(options(50, 1)),
            generate_population(options(50, 2))
        );
    }

    #[test]
    fn every_generated_firm_passes_the_api_checks() {
        let catalog = RegionCatalog::changzhou();
        let today = options(0, 0).today;
        let ctx = ParseContext {
            catalog: &catalog,
            today,
        };
        for firm in generate_population(options(5_000, 9)).expect("generates") {
            let input = FirmInput::from_profile(&firm.profile);
            assert_eq!(input.parse(ctx).as_ref(), Ok(&firm.profile), "{input:?}");
            for year in &firm.years {
                assert!(year.check().is_empty(), "{year:?}");
            }
        }
    }
}
