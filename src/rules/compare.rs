//! One comparison `metric op threshold`: parsing its compact text form, checking the unit
//! against the metric, and deciding it exactly.

use super::exact::{Ratio, decimal_string, parse_decimal};
use super::facts::Value;
use super::metric::{Kind, Metric};
use super::model::{Comparison, Op, Threshold};

/// Largest `(1+g)^n` numerator or denominator accepted, so that revenue × power fits in `i128`.
const MAX_POWER: i128 = 1_000_000_000_000_000_000_000_000;

const OPS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("≥", Op::Ge),
    ("<=", Op::Le),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("==", Op::Eq),
    ("=", Op::Eq),
];

/// Parses `"valuation >= 100,000,000 CNY"`, `"rd_ratio > 3%"`, `"listed = false"`.
pub(crate) fn parse_comparison(text: &str, usd_rate: Option<Ratio>) -> Result<Comparison, String> {
    let s = text.trim();
    let name_end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let name = &s[..name_end];
    if name.is_empty() {
        return Err(format!(
            "{text:?} must start with a metric name, as in \"rd_ratio > 3%\""
        ));
    }
    let metric = Metric::parse(name).ok_or_else(|| {
        format!("unknown metric {name:?}; the metrics are listed in docs/RULES.md (e.g. revenue, rd_ratio_3y, valuation)")
    })?;
    let rest = s[name_end..].trim_start();
    let (token, op) = OPS
        .iter()
        .find(|(tok, _)| rest.starts_with(tok))
        .copied()
        .ok_or_else(|| {
            format!("after {name} write an operator: >=, >, <=, < or = (in {text:?})")
        })?;
    let value = rest[token.len()..].trim();
    if value.is_empty() {
        return Err(format!(
            "write a threshold after {name} {token} (in {text:?})"
        ));
    }
    let kind = metric.kind();
    if let Some(want) = match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    } {
        if kind != Kind::Bool {
            return Err(format!(
                "{name} is a number, not yes/no: compare it with a number and unit"
            ));
        }
        if op != Op::Eq {
            return Err(format!(
                "{name} is yes/no: write \"{name} = true\" or \"{name} = false\""
            ));
        }
        return Ok(Comparison {
            metric,
            op,
            threshold: Threshold::Bool(want),
            shown: value.to_owned(),
        });
    }
    if kind == Kind::Bool {
        return Err(format!(
            "{name} is yes/no: write \"{name} = true\" or \"{name} = false\""
        ));
    }
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_' | '-')))
        .unwrap_or(value.len());
    let number = parse_decimal(&value[..number_end]).map_err(|e| format!("{e} (in {text:?})"))?;
    let unit = value[number_end..].trim();
    let (threshold, shown) = threshold_in_base_unit(metric, number, unit, usd_rate)?;
    Ok(Comparison {
        metric,
        op,
        threshold,
        shown,
    })
}

fn threshold_in_base_unit(
    metric: Metric,
    number: Ratio,
    unit: &str,
    usd_rate: Option<Ratio>,
) -> Result<(Threshold, String), String> {
    let name = metric.name();
    let wrong = |expected: &str| {
        let found = if unit.is_empty() {
            "no unit".to_owned()
        } else {
            format!("{unit:?}")
        };
        let (what, hint) = expected.split_once(": ").unwrap_or((expected, ""));
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; {hint}")
        };
        format!("{name} is measured in {what}, but the threshold has {found}{hint}")
    };
    let plain = decimal_string(number, 6);
    match metric.kind() {
        Kind::Money => match unit {
            "CNY" => Ok((Threshold::Number(number), format!("¥{plain}"))),
            "USD" => {
                let rate = usd_rate.ok_or_else(|| {
                    "the threshold is in USD but the rule set has no rate: add [currency] with USD = \"7.1\" (yuan per dollar)".to_owned()
                })?;
                let yuan = number
                    .mul(rate)
                    .ok_or("the threshold is too large")?
                    .reduced();
                Ok((Threshold::Number(yuan), format!("US${plain}")))
            }
            _ => Err(wrong(
                "money: write CNY or USD after the number, e.g. \"valuation >= 100,000,000 CNY\"",
            )),
        },
        Kind::Percent | Kind::Growth if unit != "%" => Err(wrong(
            "percent: write % after the number, e.g. \"rd_ratio > 3%\"",
        )),
        Kind::Percent => Ok((
            Threshold::Number(
                Ratio::new(number.num, number.den * 100)
                    .ok_or("bad number")?
                    .reduced(),
            ),
            format!("{plain}%"),
        )),
        Kind::Growth => growth_threshold(metric, number).map(|t| (t, format!("{plain}%"))),
        Kind::Years if matches!(unit, "years" | "year") => {
            Ok((Threshold::Number(number), format!("{plain} years")))
        }
        Kind::Years => Err(wrong(
            "years: write years after the number, e.g. \"years_since_founding <= 4 years\"",
        )),
        Kind::Days if matches!(unit, "days" | "day") => {
            Ok((Threshold::Number(number), format!("{plain} days")))
        }
        Kind::Days => Err(wrong(
            "days: write days after the number, e.g. \"days_since_founding >= 365 days\"",
        )),
        Kind::Count if matches!(unit, "" | "count" | "points") => {
            Ok((Threshold::Number(number), plain))
        }
        Kind::Count => Err(wrong("a plain count (no unit, or \"count\")")),
        Kind::CalendarYear if unit.is_empty() => {
            Ok((Threshold::Number(number), group_free(number)))
        }
        Kind::CalendarYear => Err(wrong(
            "a calendar year with no unit, e.g. \"founded_year >= 2008\"",
        )),
        Kind::Bool => Err(wrong("yes/no")),
    }
}

fn group_free(number: Ratio) -> String {
    decimal_string(number, 6).replace(',', "")
}

fn growth_threshold(metric: Metric, percent: Ratio) -> Result<Threshold, String> {
    let years = growth_years(metric);
    let rate = Ratio::new(percent.num, percent.den * 100)
        .ok_or("bad number")?
        .reduced();
    if rate.num <= -rate.den {
        return Err(format!(
            "{} must be compared with a growth above -100%",
            metric.name()
        ));
    }
    let den_pow = rate.den.checked_pow(years).filter(|p| *p <= MAX_POWER);
    let factor_pow = (rate.den + rate.num)
        .checked_pow(years)
        .filter(|p| *p <= MAX_POWER);
    match (den_pow, factor_pow) {
        (Some(den_pow), Some(factor_pow)) => Ok(Threshold::Growth {
            rate,
            den_pow,
            factor_pow,
        }),
        _ => Err(format!(
            "the growth threshold for {} is too large or too precise to compare exactly; use at most two decimal places",
            metric.name()
        )),
    }
}

/// The window of a growth metric in years.
pub(crate) fn growth_years(metric: Metric) -> u32 {
    match metric {
        Metric::RevenueCagr3y => 3,
        Metric::RevenueCagr4y => 4,
        _ => 1,
    }
}

/// Decides a comparison exactly; `None` only if the numbers overflow `i128`.
pub(crate) fn holds(c: &Comparison, value: Value) -> Option<bool> {
    match (c.threshold, value) {
        (Threshold::Bool(want), Value::Bool(actual)) => Some(actual == want),
        (Threshold::Number(t), Value::Number(x) | Value::Money { yuan: x, .. }) => {
            x.cmp_exact(t).map(|o| c.op.holds(o))
        }
        (
            Threshold::Growth {
                den_pow,
                factor_pow,
                ..
            },
            Value::Growth { now, base, .. },
        ) => {
            // now / base ≥ (1+g)^n  ⇔  now · den^n ≥ base · (den+num)^n, for base > 0.
            let left = i128::from(now).checked_mul(den_pow)?;
            let right = i128::from(base).checked_mul(factor_pow)?;
            Some(c.op.holds(left.cmp(&right)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate() -> Option<Ratio> {
        Ratio::new(71, 10)
    }

    #[test]
    fn comparisons_accept_symbols_separators_and_no_spaces() {
        let c = parse_comparison("valuation≥100_000_000 CNY", rate()).expect("parses");
        assert_eq!(
            (c.metric, c.op, c.shown.as_str()),
            (Metric::Valuation, Op::Ge, "¥100,000,000")
        );
        let c = parse_comparison("  rd_ratio>3%  ", rate()).expect("parses");
        assert_eq!(
            (c.metric, c.op, c.shown.as_str()),
            (Metric::RdRatio, Op::Gt, "3%")
        );
        let c = parse_comparison("listed = false", None).expect("parses");
        assert!(matches!(c.threshold, Threshold::Bool(false)));
    }

    #[test]
    fn usd_thresholds_are_converted_with_the_rule_sets_rate() {
        let c = parse_comparison("valuation > 100,000,000 USD", rate()).expect("parses");
        match c.threshold {
            Threshold::Number(t) => assert_eq!(t, Ratio::int(710_000_000)),
            other => panic!("expected a number, got {other:?}"),
        }
        assert_eq!(c.shown, "US$100,000,000");
    }

    #[test]
    fn growth_thresholds_precompute_their_powers_in_lowest_terms() {
        let c = parse_comparison("revenue_cagr_3y >= 20%", None).expect("parses");
        match c.threshold {
            // 20% = 1/5: compare now·5³ with base·6³.
            Threshold::Growth {
                den_pow,
                factor_pow,
                ..
            } => assert_eq!((den_pow, factor_pow), (125, 216)),
            other => panic!("expected a growth, got {other:?}"),
        }
    }

    #[test]
    fn exactly_twenty_percent_over_three_years_is_exactly_twenty_percent() {
        let c = parse_comparison("revenue_cagr_3y >= 20%", None).expect("parses");
        let at = |now| {
            holds(
                &c,
                Value::Growth {
                    now,
                    base: 10_000_000,
                    years: 3,
                },
            )
        };
        assert_eq!(at(17_280_000), Some(true));
        assert_eq!(at(17_279_999), Some(false));
    }
}
