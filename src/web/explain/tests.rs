//! Comparisons worded for people, in Chinese and English.

use super::*;
use crate::web::PageContext;

fn ctx(lang: Lang) -> PageContext {
    PageContext {
        lang,
        ..PageContext::default()
    }
}

fn points_short(amount: &str) -> Gap {
    Gap {
        amount: amount.into(),
        unit: GapUnit::Points,
        over: false,
    }
}

#[test]
fn a_failed_ratio_names_the_metric_the_threshold_and_the_gap_in_chinese() {
    let text = comparison(
        &ctx(Lang::Zh),
        "rd_ratio_3y",
        Op::Ge,
        "3%",
        Some("2.10%"),
        Outcome::Fail,
        Some(&points_short("0.90")),
    );
    assert_eq!(text, "近三年研发费用占比 2.10%，低于 3%，差 0.90 个百分点");
}

#[test]
fn the_same_comparison_reads_in_english() {
    let text = comparison(
        &ctx(Lang::En),
        "rd_ratio_3y",
        Op::Ge,
        "3%",
        Some("2.10%"),
        Outcome::Fail,
        Some(&points_short("0.90")),
    );
    assert_eq!(
        text,
        "3-year R&D ratio 2.10% is below 3%: 0.90 points short"
    );
}

#[test]
fn a_passing_upper_bound_and_a_missing_value_are_worded_too() {
    let zh = ctx(Lang::Zh);
    assert_eq!(
        comparison(
            &zh,
            "years_since_founding",
            Op::Le,
            "4 years",
            Some("3 years"),
            Outcome::Pass,
            None
        ),
        "成立年限 3 年，不超过 4 年，符合"
    );
    assert_eq!(
        comparison(
            &zh,
            "revenue",
            Op::Ge,
            "20,000,000 CNY",
            None,
            Outcome::Missing,
            None
        ),
        "营业收入：缺少数据（要求不低于 20,000,000 元）"
    );
    assert_eq!(
        comparison(
            &zh,
            "listed",
            Op::Eq,
            "false",
            Some("true"),
            Outcome::Fail,
            None
        ),
        "已上市：是（须为否）"
    );
}

#[test]
fn a_growth_value_and_a_revenue_gap_are_translated() {
    let gap = Gap {
        amount: "1,000".into(),
        unit: GapUnit::RevenueNeeded {
            needed: "21,000".into(),
            year: 2024,
        },
        over: false,
    };
    let text = comparison(
        &ctx(Lang::Zh),
        "revenue_cagr_3y",
        Op::Ge,
        "30%",
        Some("≈10.00% a year (revenue ¥10,000 in 2021 → ¥20,000 in 2024)"),
        Outcome::Fail,
        Some(&gap),
    );
    assert_eq!(
        text,
        "近三年营业收入复合增长率 年均≈10.00%（营业收入 2021 年 1 万元 → 2024 年 2 万元），低于 30%，2024 年营业收入需达到 2.1 万元，差 1,000 元"
    );
}
