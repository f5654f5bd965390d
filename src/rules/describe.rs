//! Comparisons in words: the actual value, the threshold and, when it fails, the gap
//! ("rd_ratio_3y 2.1% < 3%: 0.9 points short"). Display only; decisions are made exactly.

use super::assessment::{Gap, GapUnit};
use super::compare::holds;
use super::evaluate::Outcome;
use super::exact::{Ratio, decimal_string};
use super::facts::{MetricResult, Value};
use super::metric::Kind;
use super::model::{Comparison, Op, Threshold};
use crate::domain::Currency;

/// (actual value shown, outcome, sentence, gap) for one comparison.
pub(crate) fn describe(
    c: &Comparison,
    value: MetricResult,
    data_year: i32,
) -> (Option<String>, Outcome, String, Option<Gap>) {
    let name = c.metric.name();
    let value = match value {
        Ok(v) => v,
        Err(missing) => {
            return (
                None,
                Outcome::Missing,
                format!("{name} {} {}: missing, {missing}", c.op.symbol(), c.shown),
                None,
            );
        }
    };
    let actual = show(c, value, data_year);
    if let (Threshold::Bool(want), Value::Bool(is)) = (c.threshold, value) {
        return if is == want {
            (
                Some(actual),
                Outcome::Pass,
                format!("{name} is {is}: met"),
                None,
            )
        } else {
            (
                Some(actual),
                Outcome::Fail,
                format!("{name} is {is}, must be {want}"),
                None,
            )
        };
    }
    match holds(c, value) {
        None => (
            Some(actual.clone()),
            Outcome::Missing,
            format!("{name} {actual}: too large to compare"),
            None,
        ),
        Some(true) => (
            Some(actual.clone()),
            Outcome::Pass,
            format!("{name} {actual} {} {}: met", c.op.symbol(), c.shown),
            None,
        ),
        Some(false) => {
            let gap = gap(c, value, data_year);
            let text = format!(
                "{name} {actual} {} {}{}",
                c.op.negated_symbol(),
                c.shown,
                gap.as_ref().map(|g| english(g, c)).unwrap_or_default()
            );
            (Some(actual), Outcome::Fail, text, gap)
        }
    }
}

fn show(c: &Comparison, value: Value, data_year: i32) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Money { yuan, original } => match original.currency {
            Currency::CNY => format!("¥{}", decimal_string(yuan, 0)),
            Currency::USD => format!(
                "US${} (¥{})",
                decimal_string(Ratio::int(original.value), 0),
                decimal_string(yuan, 0)
            ),
        },
        Value::Number(x) => match c.metric.kind() {
            Kind::Percent => format!("{}%", percent(x)),
            Kind::Years => format!("{} years", decimal_string(x, 0)),
            Kind::Days => format!("{} days", decimal_string(x, 0)),
            Kind::CalendarYear => decimal_string(x, 0).replace(',', ""),
            _ => decimal_string(x, 2),
        },
        Value::Growth { now, base, years } => {
            // The n-th root is irrational in general: shown rounded, never used to decide.
            let g = ((now as f64 / base as f64).powf(1.0 / f64::from(years)) - 1.0) * 100.0;
            format!(
                "≈{g:.2}% a year (revenue ¥{} in {} → ¥{} in {data_year})",
                decimal_string(Ratio::int(base), 0),
                data_year - years as i32,
                decimal_string(Ratio::int(now), 0)
            )
        }
    }
}

fn percent(x: Ratio) -> String {
    decimal_string(
        Ratio {
            num: x.num.saturating_mul(100),
            den: x.den,
        },
        2,
    )
}

/// The gap in English, as the API and the ledger have always worded it.
fn english(g: &Gap, c: &Comparison) -> String {
    let word = if g.over { "over" } else { "short" };
    let whole = &g.amount;
    match &g.unit {
        GapUnit::Yuan => format!(": ¥{whole} {word}"),
        GapUnit::EqualToThreshold => format!(": equal to {}, which must be passed", c.shown),
        GapUnit::Points => format!(": {whole} points {word}"),
        GapUnit::Years if whole == "1" => format!(": 1 year {word}"),
        GapUnit::Years => format!(": {whole} years {word}"),
        GapUnit::Days if whole == "1" => format!(": 1 day {word}"),
        GapUnit::Days => format!(": {whole} days {word}"),
        GapUnit::Count => format!(": {whole} {word}"),
        GapUnit::RevenueNeeded { needed, year } => {
            format!(": needs revenue of ¥{needed} in {year}, ¥{whole} short")
        }
    }
}

fn gap(c: &Comparison, value: Value, data_year: i32) -> Option<Gap> {
    let raising = matches!(c.op, Op::Ge | Op::Gt);
    let gap = |amount: String, unit: GapUnit| {
        Some(Gap {
            amount,
            unit,
            over: !raising,
        })
    };
    match (c.threshold, value) {
        (Threshold::Bool(_), _) => None,
        (Threshold::Number(t), Value::Number(x) | Value::Money { yuan: x, .. }) => {
            if c.op == Op::Eq {
                return None;
            }
            let diff = if raising { t.sub(x) } else { x.sub(t) }?;
            // Whole units: the smallest change in yuan, years, days or heads that meets the
            // rule (one more than the difference when the threshold itself is excluded).
            let strict = matches!(c.op, Op::Gt | Op::Lt);
            let whole = if strict {
                diff.floor() + 1
            } else {
                diff.ceil()
            };
            let whole = decimal_string(Ratio { num: whole, den: 1 }, 0);
            match c.metric.kind() {
                Kind::Money => gap(whole, GapUnit::Yuan),
                Kind::Percent if diff.num == 0 => gap(c.shown.clone(), GapUnit::EqualToThreshold),
                Kind::Percent => gap(percent(diff), GapUnit::Points),
                Kind::Years => gap(whole, GapUnit::Years),
                Kind::Days => gap(whole, GapUnit::Days),
                _ => gap(whole, GapUnit::Count),
            }
        }
        (
            Threshold::Growth {
                den_pow,
                factor_pow,
                ..
            },
            Value::Growth { now, base, .. },
        ) if raising => {
            // Revenue in the data year that would meet the growth threshold.
            let needed = Ratio::new(i128::from(base).saturating_mul(factor_pow), den_pow)?;
            let least = if c.op == Op::Gt {
                needed.floor() + 1
            } else {
                needed.ceil()
            };
            gap(
                decimal_string(
                    Ratio {
                        num: least - i128::from(now),
                        den: 1,
                    },
                    0,
                ),
                GapUnit::RevenueNeeded {
                    needed: decimal_string(Ratio { num: least, den: 1 }, 0),
                    year: data_year,
                },
            )
        }
        _ => None,
    }
}
