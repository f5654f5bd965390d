//! Every refusal on load names file, line and column; warnings do not refuse.

use super::rule_text::*;
use crate::rules::{RuleLibrary, RuleSet, Severity};

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
    assert_eq!((errors[0].line, errors[0].column), (1, 1));
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
