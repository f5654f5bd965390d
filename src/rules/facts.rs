//! Metrics computed from a dossier as of a date, each at most once per evaluation (lazily, so
//! a tier that fails early never pays for the metrics it did not reach).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::exact::Ratio;
use super::metric::{METRIC_COUNT, Metric};
use super::score::tech_sme_points;
use super::{EvalContext, RuleSet};
use crate::domain::{AnnualFigures, CertificateKind, Currency, Dossier, InvestorKind, Money};

/// A metric's value; money is in yuan, shares as fractions of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value {
    Bool(bool),
    Number(Ratio),
    Money { yuan: Ratio, original: Money },
    Growth { now: i64, base: i64, years: u32 },
}

/// The fact a metric needed and did not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Missing {
    pub fact: &'static str,
    pub year: Option<i32>,
    pub why: &'static str,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{} for {year} {}", self.fact, self.why),
            None => write!(f, "{} {}", self.fact, self.why),
        }
    }
}

pub(crate) type MetricResult = Result<Value, Missing>;

const NOT_RECORDED: &str = "is not recorded";
const NOT_KNOWN: &str = "is not known";
const ZERO: &str = "is zero, so the ratio is undefined";

/// One firm's facts as of one date, with a cache slot per metric.
pub(crate) struct Facts<'a> {
    dossier: &'a Dossier,
    as_of: NaiveDate,
    data_year: i32,
    city_prefix: &'a str,
    usd_rate: Option<Ratio>,
    cache: [Option<MetricResult>; METRIC_COUNT],
}

impl<'a> Facts<'a> {
    pub fn new(rules: &RuleSet, dossier: &'a Dossier, ctx: &EvalContext<'a>) -> Self {
        Self {
            dossier,
            as_of: ctx.as_of,
            data_year: ctx.as_of.year() - rules.data_year_offset,
            city_prefix: ctx.catalog.city_prefix(),
            usd_rate: rules.usd_rate,
            cache: [None; METRIC_COUNT],
        }
    }

    pub fn data_year(&self) -> i32 {
        self.data_year
    }

    pub fn get(&mut self, metric: Metric) -> MetricResult {
        let slot = metric.index();
        if let Some(value) = self.cache[slot] {
            return value;
        }
        let value = self.compute(metric);
        self.cache[slot] = Some(value);
        value
    }

    fn compute(&self, metric: Metric) -> MetricResult {
        let firm = &self.dossier.firm;
        let y = self.data_year;
        let boolean = |fact: &'static str, v: Option<bool>| {
            v.map(Value::Bool).ok_or(Missing {
                fact,
                year: None,
                why: NOT_KNOWN,
            })
        };
        match metric {
            Metric::FoundedYear => Ok(int(i64::from(firm.founded_on.year()))),
            Metric::YearsSinceFounding => Ok(int(i64::from(y - firm.founded_on.year()))),
            Metric::DaysSinceFounding => Ok(int((self.as_of - firm.founded_on).num_days())),
            Metric::Listed => Ok(Value::Bool(firm.listed_on.is_some_and(|d| d <= self.as_of))),
            Metric::HasInvestment => Ok(Value::Bool(self.rounds().next().is_some())),
            Metric::HasProfessionalInvestment => Ok(Value::Bool(self.has_professional_round())),
            Metric::Valuation => self.valuation(),
            Metric::CumulativeFinancing => self.cumulative_financing(),
            Metric::Revenue => self.money(y, "revenue", |f| f.revenue),
            Metric::RevenueGrowth => self.growth(1),
            Metric::RevenueCagr3y => self.growth(3),
            Metric::RevenueCagr4y => self.growth(4),
            Metric::RevenueBase3y => self.money(y - 3, "revenue", |f| f.revenue),
            Metric::RevenueBase4y => self.money(y - 4, "revenue", |f| f.revenue),
            Metric::RdRatio => self.share(
                y,
                ("rd_expense", |f| f.rd_expense),
                ("revenue", |f| f.revenue),
            ),
            Metric::RdRatio3y => {
                self.share_3y(("rd_expense", |f| f.rd_expense), ("revenue", |f| f.revenue))
            }
            Metric::RdDomesticShare3y => self.share_3y(
                ("rd_expense_domestic", |f| f.rd_expense_domestic),
                ("rd_expense", |f| f.rd_expense),
            ),
            Metric::HighTechRevenueShare => self.share(
                y,
                ("high_tech_revenue", |f| f.high_tech_revenue),
                ("revenue", |f| f.revenue),
            ),
            Metric::TechStaffRatio => self.share(
                y,
                ("tech_staff", |f| f.tech_staff),
                ("employees", |f| f.employees),
            ),
            Metric::Employees => self.figure(y, "employees", |f| f.employees).map(int),
            Metric::TotalAssets => self.money(y, "total_assets", |f| f.total_assets),
            Metric::InnovationScore => self
                .figure(y, "innovation_score", |f| f.innovation_score)
                .map(int),
            Metric::IpClass1 => self.figure(y, "ip_class1", |f| f.ip_class1).map(int),
            Metric::IpClass2 => self.figure(y, "ip_class2", |f| f.ip_class2).map(int),
            Metric::IpTotal => self.ip_total(y),
            Metric::TechSmeScore => self.tech_sme_score(y),
            Metric::HighTechCertificateValid => Ok(Value::Bool(self.high_tech_certificate_valid())),
            Metric::CreditOk => boolean("credit_ok", firm.credit_ok),
            Metric::TechFirm => boolean("tech_firm", firm.tech_firm),
            Metric::KeyTechBreakthrough => {
                boolean("key_tech_breakthrough", firm.key_tech_breakthrough)
            }
            Metric::InGazellePool => boolean("in_gazelle_pool", firm.in_gazelle_pool),
            Metric::InKeyTechField => boolean("in_key_tech_field", firm.in_key_tech_field),
            Metric::NoMajorViolationInYear => Ok(Value::Bool(!self.violation_within_a_year())),
            Metric::RegisteredInCity => Ok(Value::Bool(
                firm.region_code.as_str().starts_with(self.city_prefix),
            )),
        }
    }

    fn has_professional_round(&self) -> bool {
        self.rounds()
            .any(|r| r.investor_kind == InvestorKind::ProfessionalInstitution)
    }

    fn ip_total(&self, year: i32) -> MetricResult {
        let one = self.figure(year, "ip_class1", |f| f.ip_class1)?;
        let two = self.figure(year, "ip_class2", |f| f.ip_class2)?;
        Ok(int(one.saturating_add(two)))
    }

    /// The tech-based SME evaluation score from the data year's figures (see `score`); the
    /// ratios are undefined, so the score missing, with no employees or no revenue.
    fn tech_sme_score(&self, year: i32) -> MetricResult {
        let tech = self.figure(year, "tech_staff", |f| f.tech_staff)?;
        let employees = self.figure(year, "employees", |f| f.employees)?;
        if employees <= 0 {
            return Err(Missing {
                fact: "employees",
                year: Some(year),
                why: ZERO,
            });
        }
        let rd = self.figure(year, "rd_expense", |f| f.rd_expense)?;
        let revenue = self.figure(year, "revenue", |f| f.revenue)?;
        if revenue <= 0 {
            return Err(Missing {
                fact: "revenue",
                year: Some(year),
                why: ZERO,
            });
        }
        let class1 = self.figure(year, "ip_class1", |f| f.ip_class1)?;
        let class2 = self.figure(year, "ip_class2", |f| f.ip_class2)?;
        Ok(int(tech_sme_points(
            tech, employees, rd, revenue, class1, class2,
        )))
    }

    fn high_tech_certificate_valid(&self) -> bool {
        self.dossier
            .certificates
            .iter()
            .any(|c| c.kind == CertificateKind::HighTech && c.is_valid_on(self.as_of))
    }

    /// Whether a serious violation happened in the 365 days up to the evaluation date; one
    /// dated after it has not happened yet as of that date.
    fn violation_within_a_year(&self) -> bool {
        self.dossier.firm.major_violation_on.is_some_and(|v| {
            let age = (self.as_of - v).num_days();
            (0..365).contains(&age)
        })
    }

    fn rounds(&self) -> impl Iterator<Item = &'a crate::domain::FinancingRound> + '_ {
        let as_of = self.as_of;
        self.dossier
            .financings
            .iter()
            .filter(move |r| r.closed_on <= as_of)
    }

    fn year(&self, year: i32) -> Option<&'a AnnualFigures> {
        self.dossier.years.iter().find(|f| f.fiscal_year == year)
    }

    fn figure(
        &self,
        year: i32,
        fact: &'static str,
        pick: fn(&AnnualFigures) -> Option<i64>,
    ) -> Result<i64, Missing> {
        self.year(year).and_then(pick).ok_or(Missing {
            fact,
            year: Some(year),
            why: NOT_RECORDED,
        })
    }

    fn money(
        &self,
        year: i32,
        fact: &'static str,
        pick: fn(&AnnualFigures) -> Option<i64>,
    ) -> MetricResult {
        let v = self.figure(year, fact, pick)?;
        Ok(Value::Money {
            yuan: Ratio::int(v),
            original: Money {
                value: v,
                currency: Currency::CNY,
            },
        })
    }

    fn yuan(&self, money: Money) -> Result<Ratio, Missing> {
        match money.currency {
            Currency::CNY => Ok(Ratio::int(money.value)),
            Currency::USD => self
                .usd_rate
                .and_then(|rate| Ratio::int(money.value).mul(rate))
                .ok_or(Missing {
                    fact: "the USD rate",
                    year: None,
                    why: "is not set in the rule set",
                }),
        }
    }

    fn valuation(&self) -> MetricResult {
        // Latest disclosed valuation; on the same day the larger one, so the input order of
        // rounds never changes the result.
        let mut best: Option<(NaiveDate, Ratio, Money)> = None;
        for round in self.rounds() {
            let Some(valuation) = round.post_money_valuation else {
                continue;
            };
            let yuan = self.yuan(valuation)?;
            let later = match best {
                None => true,
                Some((day, current, _)) => {
                    round.closed_on > day
                        || (round.closed_on == day
                            && yuan.cmp_exact(current) == Some(std::cmp::Ordering::Greater))
                }
            };
            if later {
                best = Some((round.closed_on, yuan, valuation));
            }
        }
        best.map(|(_, yuan, original)| Value::Money { yuan, original })
            .ok_or(Missing {
                fact: "valuation",
                year: None,
                why: "is not disclosed for any round closed by the evaluation date",
            })
    }

    fn cumulative_financing(&self) -> MetricResult {
        let mut total = Ratio::int(0);
        for round in self.rounds() {
            let amount = round.amount.ok_or(Missing {
                fact: "a round's amount",
                year: None,
                why: "is undisclosed",
            })?;
            let yuan = self.yuan(amount)?;
            total = add(total, yuan).ok_or(Missing {
                fact: "cumulative_financing",
                year: None,
                why: "is too large",
            })?;
        }
        Ok(Value::Money {
            yuan: total,
            original: Money {
                value: total.floor().try_into().unwrap_or(i64::MAX),
                currency: Currency::CNY,
            },
        })
    }

    fn growth(&self, years: u32) -> MetricResult {
        let y = self.data_year;
        let now = self.figure(y, "revenue", |f| f.revenue)?;
        let base_year = y - years as i32;
        let base = self.figure(base_year, "revenue", |f| f.revenue)?;
        if base <= 0 {
            return Err(Missing {
                fact: "revenue",
                year: Some(base_year),
                why: "is zero, so growth from it is undefined",
            });
        }
        Ok(Value::Growth { now, base, years })
    }

    fn share(
        &self,
        year: i32,
        (part_name, part): (&'static str, fn(&AnnualFigures) -> Option<i64>),
        (whole_name, whole): (&'static str, fn(&AnnualFigures) -> Option<i64>),
    ) -> MetricResult {
        let p = self.figure(year, part_name, part)?;
        let w = self.figure(year, whole_name, whole)?;
        Ratio::new(i128::from(p), i128::from(w))
            .map(Value::Number)
            .ok_or(Missing {
                fact: whole_name,
                year: Some(year),
                why: ZERO,
            })
    }

    /// Totals over Y−2..Y, or from the founding year if the firm is younger.
    fn share_3y(
        &self,
        (part_name, part): (&'static str, fn(&AnnualFigures) -> Option<i64>),
        (whole_name, whole): (&'static str, fn(&AnnualFigures) -> Option<i64>),
    ) -> MetricResult {
        let y = self.data_year;
        let first = (y - 2).max(self.dossier.firm.founded_on.year());
        if first > y {
            return Err(Missing {
                fact: whole_name,
                year: Some(y),
                why: "does not exist: the firm was founded later",
            });
        }
        let (mut p, mut w) = (0_i128, 0_i128);
        for year in first..=y {
            p += i128::from(self.figure(year, part_name, part)?);
            w += i128::from(self.figure(year, whole_name, whole)?);
        }
        Ratio::new(p, w).map(Value::Number).ok_or(Missing {
            fact: whole_name,
            year: None,
            why: "summed over the three years is zero, so the ratio is undefined",
        })
    }
}

fn int(v: i64) -> Value {
    Value::Number(Ratio::int(v))
}

fn add(a: Ratio, b: Ratio) -> Option<Ratio> {
    let num = a
        .num
        .checked_mul(b.den)?
        .checked_add(b.num.checked_mul(a.den)?)?;
    Ratio::new(num, a.den.checked_mul(b.den)?).map(Ratio::reduced)
}
