//! More load refusals: headers, thresholds, limits and encodings, each at its line.

use super::rule_text::*;
use crate::rules::RuleSet;

#[test]
fn a_missing_required_key_is_refused_naming_it() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]))
        .replace("source = \"文件\"\n", "");
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "[[track.tier]]"), "{message}");
    assert!(message.contains("source"), "{message}");
}

#[test]
fn a_byte_order_mark_is_accepted_and_positions_still_count_from_the_first_line() {
    let text = format!(
        "\u{feff}{HEADER}{}",
        track("t", &[("a", "\"turnover >= 1 CNY\"")])
    );
    let (line, _) = refused(&text);
    assert_eq!(line, 15);
    let good = format!(
        "\u{feff}{HEADER}{}",
        track("t", &[("a", "\"revenue >= 1 CNY\"")])
    );
    assert!(RuleSet::parse(&good, "bom.toml").is_ok());
}

#[test]
fn every_header_and_threshold_mistake_is_refused_at_its_line() {
    let base = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]));
    // (why, text to replace, replacement, text on the offending line, words in the message)
    let cases = [
        (
            "a negative version",
            "version = 1",
            "version = -1",
            "version",
            "version must be",
        ),
        (
            "an id with spaces",
            "id = \"test\"",
            "id = \"my rules\"",
            "my rules",
            "lower-case",
        ),
        (
            "a date with a time",
            "effective_from = 2024-01-01",
            "effective_from = 2024-01-01T08:00:00",
            "effective_from",
            "plain date",
        ),
        (
            "a quoted date",
            "effective_from = 2024-01-01",
            "effective_from = \"2024-01-01\"",
            "effective_from",
            "datetime",
        ),
        (
            "a data year offset of 20",
            "version = 1",
            "version = 1\ndata_year_offset = 20",
            "data_year_offset",
            "between 0 and 10",
        ),
        (
            "a rate that is not a number",
            "USD = \"7.1\"",
            "USD = \"seven\"",
            "USD",
            "decimal number of yuan per dollar",
        ),
        (
            "a zero rate",
            "USD = \"7.1\"",
            "USD = \"0\"",
            "USD",
            "more than zero",
        ),
        (
            "an unknown currency",
            "USD = \"7.1\"",
            "EUR = \"7.8\"",
            "EUR",
            "EUR",
        ),
        (
            "a track id with capitals",
            "id = \"t\"",
            "id = \"Track\"",
            "Track",
            "lower-case letter",
        ),
        (
            "a money metric without a unit",
            "revenue >= 1 CNY",
            "revenue >= 1",
            "revenue >=",
            "CNY or USD",
        ),
        (
            "a percentage without %",
            "revenue >= 1 CNY",
            "rd_ratio > 3",
            "rd_ratio",
            "write %",
        ),
        (
            "days written as years",
            "revenue >= 1 CNY",
            "days_since_founding >= 1 years",
            "days_since",
            "measured in days",
        ),
        (
            "a yes/no metric with >=",
            "revenue >= 1 CNY",
            "listed >= 1",
            "listed",
            "listed is yes/no",
        ),
        (
            "a number compared with true",
            "revenue >= 1 CNY",
            "revenue = true",
            "revenue = true",
            "not yes/no",
        ),
        (
            "no operator",
            "revenue >= 1 CNY",
            "revenue 1 CNY",
            "revenue 1",
            "operator",
        ),
        (
            "no threshold",
            "revenue >= 1 CNY",
            "revenue >=",
            "revenue >=",
            "threshold",
        ),
        (
            "a growth of -100%",
            "revenue >= 1 CNY",
            "revenue_cagr_3y > -100%",
            "revenue_cagr",
            "above -100%",
        ),
        (
            "a growth too precise to compare",
            "revenue >= 1 CNY",
            "revenue_cagr_4y > 20.123457%",
            "revenue_cagr",
            "too large or too precise",
        ),
        (
            "a rule table with two keys",
            "rule.all = [\"revenue >= 1 CNY\"]",
            "rule = { all = [\"revenue >= 1 CNY\"], any = [\"revenue >= 1 CNY\"] }",
            "rule =",
            "exactly one of",
        ),
        (
            "a rule that is a number",
            "rule.all = [\"revenue >= 1 CNY\"]",
            "rule = 5",
            "rule = 5",
            "a comparison such as",
        ),
        (
            "a track without tiers",
            "[[track.tier]]\nid = \"a\"\nlabel_zh = \"级\"\nlabel_en = \"Tier\"\nsource = \"文件\"\nrule.all = [\"revenue >= 1 CNY\"]\n",
            "",
            "id = \"t\"",
            "has no [[track.tier]]",
        ),
    ];
    for (why, from, to, on_line, words) in cases {
        assert!(base.contains(from), "{why}: the base text has {from:?}");
        let text = base.replacen(from, to, 1);
        let (line, message) = refused(&text);
        let want = if on_line.is_empty() {
            1
        } else {
            line_of(&text, on_line)
        };
        assert_eq!(line, want, "{why}: {message}");
        assert!(message.contains(words), "{why}: {message}");
    }
}

#[test]
fn more_than_sixteen_tracks_are_refused() {
    let tracks: String = (0..17)
        .map(|i| {
            track(
                &format!("t{i}"),
                &[(&format!("a{i}"), "\"revenue >= 1 CNY\"")],
            )
        })
        .collect();
    let text = format!("{HEADER}{tracks}");
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "id = \"t16\""));
    assert!(message.contains("at most 16 tracks"), "{message}");
}
