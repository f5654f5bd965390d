//! A firm's assessment in plain words, in the page's language: one line per rule node, the
//! failing comparisons with their gap ("研发费用占比 2.10%，低于 3%，差 0.90 个百分点").

use super::PageContext;
use super::i18n::Lang;
use super::money::money_in_text;
use super::names::Names;
use crate::rules::{Explanation, Gap, GapUnit, Op, Outcome};

/// One line of an explained rule tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Nesting depth (0 = the tier's rule itself).
    pub depth: usize,
    /// `pass`, `fail` or `missing`: a CSS class and a catalogue key.
    pub outcome: &'static str,
    /// The sentence.
    pub text: String,
}

/// The outcome's key.
pub fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Missing => "missing",
    }
}

/// Flattens an explanation into lines, depth first.
pub fn lines(ctx: &PageContext, names: &Names, node: &Explanation) -> Vec<Line> {
    let mut out = Vec::new();
    walk(ctx, names, node, 0, &mut out);
    out
}

fn walk(ctx: &PageContext, names: &Names, node: &Explanation, depth: usize, out: &mut Vec<Line>) {
    let outcome = outcome_key(node.outcome());
    let group = |key: &str, label: &Option<String>| match label {
        Some(l) => format!("{}（{l}）", ctx.t(key)),
        None => ctx.t(key).to_owned(),
    };
    match node {
        Explanation::All { label, items, .. } | Explanation::Any { label, items, .. } => {
            let key = if matches!(node, Explanation::All { .. }) {
                "explain.all"
            } else {
                "explain.any"
            };
            out.push(Line {
                depth,
                outcome,
                text: group(key, label),
            });
            for item in items {
                walk(ctx, names, item, depth + 1, out);
            }
        }
        Explanation::Not { label, item, .. } => {
            out.push(Line {
                depth,
                outcome,
                text: group("explain.not", label),
            });
            walk(ctx, names, item, depth + 1, out);
        }
        Explanation::Requires {
            track, tier, held, ..
        } => {
            let held = held.as_deref().map_or_else(
                || ctx.t("explain.none").to_owned(),
                |h| names.tier(ctx.lang, h),
            );
            out.push(Line {
                depth,
                outcome,
                text: ctx
                    .t("explain.requires")
                    .replace("{track}", &names.track(ctx.lang, track))
                    .replace("{tier}", &names.tier(ctx.lang, tier))
                    .replace("{held}", &held),
            });
        }
        Explanation::Comparison {
            metric,
            op,
            threshold,
            actual,
            outcome: o,
            gap,
            ..
        } => out.push(Line {
            depth,
            outcome,
            text: comparison(
                ctx,
                metric,
                *op,
                threshold,
                actual.as_deref(),
                *o,
                gap.as_ref(),
            ),
        }),
    }
}

/// One comparison in words.
pub fn comparison(
    ctx: &PageContext,
    metric: &str,
    op: Op,
    threshold: &str,
    actual: Option<&str>,
    outcome: Outcome,
    gap: Option<&Gap>,
) -> String {
    let name = ctx.label("metric", metric);
    let threshold = value_text(ctx.lang, threshold);
    let Some(actual) = actual else {
        return ctx
            .t("explain.missing")
            .replace("{metric}", &name)
            .replace("{op}", ctx.t(op_key(op, true)))
            .replace("{threshold}", &threshold);
    };
    let is_bool = matches!(threshold.as_str(), "true" | "false" | "是" | "否");
    let actual = value_text(ctx.lang, actual);
    let passing = outcome == Outcome::Pass;
    if is_bool {
        // Yes/no facts read better as "fact: no (must be yes)" than as a comparison.
        let key = if passing {
            "explain.bool_pass"
        } else {
            "explain.bool_fail"
        };
        return ctx
            .t(key)
            .replace("{metric}", &name)
            .replace("{actual}", &actual)
            .replace("{threshold}", &threshold);
    }
    let mut text = ctx
        .t("explain.comparison")
        .replace("{metric}", &name)
        .replace("{actual}", &actual)
        .replace("{op}", ctx.t(op_key(op, passing)))
        .replace("{threshold}", &threshold);
    match (outcome, gap) {
        (Outcome::Pass, _) => text.push_str(ctx.t("explain.met")),
        (Outcome::Fail, Some(g)) => text.push_str(&gap_text(ctx, g)),
        _ => {}
    }
    text
}

/// The relation word: the operator when the comparison holds, its negation when not.
pub fn op_key(op: Op, holds: bool) -> &'static str {
    match (op, holds) {
        (Op::Ge, true) | (Op::Lt, false) => "op.ge",
        (Op::Gt, true) | (Op::Le, false) => "op.gt",
        (Op::Le, true) | (Op::Gt, false) => "op.le",
        (Op::Lt, true) | (Op::Ge, false) => "op.lt",
        (Op::Eq, true) => "op.eq",
        (Op::Eq, false) => "op.ne",
    }
}

fn gap_text(ctx: &PageContext, g: &Gap) -> String {
    let dir = if g.over { "over" } else { "short" };
    let key = match &g.unit {
        GapUnit::Yuan => format!("gap.yuan_{dir}"),
        GapUnit::Points => format!("gap.points_{dir}"),
        GapUnit::Years => format!("gap.years_{dir}"),
        GapUnit::Days => format!("gap.days_{dir}"),
        GapUnit::Count => format!("gap.count_{dir}"),
        GapUnit::EqualToThreshold => "gap.equal".to_owned(),
        GapUnit::RevenueNeeded { .. } => "gap.revenue".to_owned(),
    };
    let (needed, year) = match &g.unit {
        GapUnit::RevenueNeeded { needed, year } => (needed.clone(), year.to_string()),
        _ => (String::new(), String::new()),
    };
    let text = ctx
        .catalog()
        .t(&key)
        .replace("{n}", &g.amount)
        .replace("{needed}", &needed)
        .replace("{year}", &year);
    money_in_text(ctx.lang, &text)
}

/// A value or threshold as the rules word it, in the page's language: units and yes/no
/// translated; numbers and currency signs kept.
pub fn value_text(lang: Lang, raw: &str) -> String {
    if lang == Lang::En {
        return raw.to_owned();
    }
    if let Some(growth) = growth_zh(raw) {
        return money_in_text(lang, &growth);
    }
    match raw {
        "true" => return "是".to_owned(),
        "false" => return "否".to_owned(),
        _ => {}
    }
    let words = raw
        .replace(" CNY", " 元")
        .replace(" USD", " 美元")
        .replace(" years", " 年")
        .replace(" year", " 年")
        .replace(" days", " 天")
        .replace(" day", " 天");
    money_in_text(lang, &words)
}

/// "≈12.34% a year (revenue ¥1 in 2021 → ¥2 in 2024)" in Chinese.
fn growth_zh(raw: &str) -> Option<String> {
    let (rate, rest) = raw.split_once(" a year (revenue ")?;
    let (from, to) = rest.trim_end_matches(')').split_once(" → ")?;
    let (from_amount, from_year) = from.split_once(" in ")?;
    let (to_amount, to_year) = to.split_once(" in ")?;
    Some(format!(
        "年均{rate}（营业收入 {from_year} 年 {from_amount} → {to_year} 年 {to_amount}）"
    ))
}

#[cfg(test)]
mod tests;
