//! Every refusal on load names file, line and column; warnings do not refuse.

use crate::rules::{RuleLibrary, RuleSet, Severity};

const HEADER: &str = r#"id = "test"
version = 1
effective_from = 2024-01-01
[currency]
USD = "7.1"
"#;

fn track(id: &str, tiers: &[(&str, &str)]) -> String {
    let mut out = format!("[[track]]\nid = \"{id}\"\nlabel_zh = \"测试\"\nlabel_en = \"Test\"\n");
    for (tier, rule) in tiers {
        out.push_str(&format!(
            "[[track.tier]]\nid = \"{tier}\"\nlabel_zh = \"级\"\nlabel_en = \"Tier\"\nsource = \"文件\"\nrule.all = [{rule}]\n"
        ));
    }
    out
}

fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle in text");
    text[..at].matches('\n').count() + 1
}

/// The first error's (line, message) for a file that must be refused.
fn refused(text: &str) -> (usize, String) {
    let errors = RuleSet::parse(text, "bad.toml")
        .expect_err("must be refused")
        .0;
    let first = &errors[0];
    assert_eq!(first.file, "bad.toml");
    assert_eq!(first.severity, Severity::Error);
    assert!(first.to_string().starts_with(&format!(
        "bad.toml:{}:{}: error: ",
        first.line, first.column
    )));
    (first.line, first.message.clone())
}

#[test]
fn a_well_formed_file_loads() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]));
    let rules = RuleSet::parse(&text, "ok.toml").expect("loads");
    assert_eq!(rules.content_hash().len(), 64);
}

#[test]
fn malformed_toml_is_refused_at_its_line() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]))
        .replace("label_en = \"Test\"", "label_en = Test");
    let (line, message) = refused(&text);
    assert_eq!(line, 9, "{message}");
}

#[test]
fn an_unknown_key_is_refused_at_its_line() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]))
        .replace("source =", "sorce =");
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "sorce"), "{message}");
    assert!(message.contains("sorce"), "{message}");
}

#[test]
fn an_unknown_metric_is_refused_at_its_line() {
    let text = format!(
        "{HEADER}{}",
        track(
            "t",
            &[
                ("a", "\"revenue >= 1 CNY\""),
                ("b", "\"turnover >= 1 CNY\"")
            ]
        )
    );
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "turnover"));
    assert_eq!(line, 21);
    assert!(message.contains("unknown metric \"turnover\""), "{message}");
}

#[test]
fn a_money_threshold_on_a_ratio_is_refused() {
    let text = format!(
        "{HEADER}{}",
        track("t", &[("a", "\"rd_ratio >= 100 CNY\"")])
    );
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "rd_ratio"));
    assert!(
        message.contains("rd_ratio is measured in percent"),
        "{message}"
    );
}

#[test]
fn a_usd_threshold_without_a_rate_is_refused() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"valuation >= 1 USD\"")]))
        .replace("[currency]\nUSD = \"7.1\"\n", "");
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "valuation"));
    assert!(message.contains("no rate"), "{message}");
}

#[test]
fn a_yes_no_metric_compared_with_a_number_is_refused() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"listed >= 1\"")]));
    let (_, message) = refused(&text);
    assert!(message.contains("listed is yes/no"), "{message}");
}

#[test]
fn requires_naming_an_unknown_track_or_tier_is_refused() {
    let text = format!(
        "{HEADER}{}",
        track(
            "t",
            &[("a", "{ requires = { track = \"nope\", tier = \"x\" } }")]
        )
    );
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "requires"));
    assert!(message.contains("track \"nope\""), "{message}");
    let text = format!(
        "{HEADER}{}{}",
        track(
            "t",
            &[("a", "{ requires = { track = \"u\", tier = \"zz\" } }")]
        ),
        track("u", &[("b", "\"revenue >= 1 CNY\"")])
    );
    let (_, message) = refused(&text);
    assert!(
        message.contains("tier \"zz\"") && message.contains("its tiers: b"),
        "{message}"
    );
}

#[test]
fn duplicate_track_and_tier_ids_are_refused() {
    let text = format!(
        "{HEADER}{}{}",
        track("t", &[("a", "\"revenue >= 1 CNY\"")]),
        track("t", &[("b", "\"revenue >= 1 CNY\"")])
    );
    let (line, message) = refused(&text);
    assert_eq!(line, 17);
    assert!(
        message.contains("track id \"t\" is used twice"),
        "{message}"
    );
    let text = format!(
        "{HEADER}{}{}",
        track("t", &[("a", "\"revenue >= 1 CNY\"")]),
        track("u", &[("a", "\"revenue >= 1 CNY\"")])
    );
    let (line, message) = refused(&text);
    assert_eq!(line, 21);
    assert!(message.contains("tier id \"a\" is used twice"), "{message}");
}

#[test]
fn tracks_requiring_each_other_in_a_cycle_are_refused() {
    let text = format!(
        "{HEADER}{}{}",
        track(
            "t",
            &[("a", "{ requires = { track = \"u\", tier = \"b\" } }")]
        ),
        track(
            "u",
            &[("b", "{ requires = { track = \"t\", tier = \"a\" } }")]
        )
    );
    let (line, message) = refused(&text);
    assert!(message.contains("cycle (t → u → t)"), "{message}");
    assert_eq!(line, 25, "{message}");
}

#[test]
fn a_tier_requiring_its_own_track_is_refused() {
    let text = format!(
        "{HEADER}{}",
        track(
            "t",
            &[
                ("a", "\"revenue >= 1 CNY\""),
                ("b", "{ requires = { track = \"t\", tier = \"a\" } }")
            ]
        )
    );
    let (line, message) = refused(&text);
    assert_eq!(line, 21);
    assert!(message.contains("same track"), "{message}");
}

#[test]
fn empty_and_oversized_files_are_refused() {
    let (line, message) = refused("\u{feff}  \n");
    assert_eq!(line, 1);
    assert!(message.contains("empty"), "{message}");
    let huge = format!("{HEADER}# {}\n", "x".repeat(1024 * 1024));
    let (_, message) = refused(&huge);
    assert!(message.contains("1 MiB"), "{message}");
}

#[test]
fn an_empty_any_list_is_refused() {
    let text = format!("{HEADER}{}", track("t", &[("a", "{ any = [] }")]));
    let (line, message) = refused(&text);
    assert_eq!(line, line_of(&text, "any"));
    assert!(message.contains("empty"), "{message}");
}

#[test]
fn a_higher_tier_looser_than_a_lower_one_is_a_warning() {
    let text = format!(
        "{HEADER}{}",
        track(
            "t",
            &[
                ("low", "\"valuation >= 200,000,000 CNY\""),
                ("high", "\"valuation >= 20,000,000 USD\"")
            ]
        )
    );
    let rules = RuleSet::parse(&text, "loose.toml").expect("a warning does not refuse");
    let warnings = rules.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(warnings[0].line, line_of(&text, "id = \"high\""));
    assert!(
        warnings[0]
            .message
            .contains("tier \"high\" accepts a lower valuation"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn a_directory_with_two_files_of_the_same_id_and_version_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]));
    std::fs::write(dir.path().join("a.toml"), &text).expect("write");
    std::fs::write(dir.path().join("b.toml"), &text).expect("write");
    let errors = RuleLibrary::load_dir(dir.path()).expect_err("refused").0;
    assert_eq!(errors.len(), 1);
    assert!(errors[0].file.ends_with("b.toml"));
    assert!(
        errors[0].message.contains("also defined in"),
        "{}",
        errors[0].message
    );
}

#[test]
fn the_library_picks_the_version_in_force_on_a_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v1 = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]));
    let v2 = v1
        .replace("version = 1", "version = 2")
        .replace("2024-01-01", "2025-01-01");
    std::fs::write(dir.path().join("v1.toml"), &v1).expect("write");
    std::fs::write(dir.path().join("v2.toml"), &v2).expect("write");
    std::fs::create_dir(dir.path().join("drafts")).expect("mkdir");
    std::fs::write(dir.path().join("drafts/bad.toml"), "not toml at all [").expect("write");
    let library = RuleLibrary::load_dir(dir.path()).expect("subdirectories are ignored");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    assert_eq!(
        library.in_force(day("2023-12-31")).map(|s| s.version()),
        None
    );
    assert_eq!(
        library.in_force(day("2024-12-31")).map(|s| s.version()),
        Some(1)
    );
    assert_eq!(
        library.in_force(day("2025-01-01")).map(|s| s.version()),
        Some(2)
    );
}

#[test]
fn the_shipped_directories_all_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules");
    let library = RuleLibrary::load_dir(&root).expect("config/rules loads");
    assert_eq!(
        library.sets().len(),
        1,
        "only config/rules/*.toml is in force"
    );
    let alternatives =
        RuleLibrary::load_dir(&root.join("alternatives")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alternatives.sets().len(), 2);
    let examples = RuleLibrary::load_dir(&root.join("examples")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        examples.sets()[0].warnings().is_empty(),
        "{:?}",
        examples.sets()[0].warnings()
    );
}

#[test]
fn a_missing_required_key_is_refused_naming_it() {
    let text = format!("{HEADER}{}", track("t", &[("a", "\"revenue >= 1 CNY\"")]))
        .replace("source = \"文件\"\n", "");
    let (_, message) = refused(&text);
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
