//! The catalogues are complete: the same keys in both languages, and every key a page uses.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Catalog, Lang, SOURCES};
use crate::rules::Metric;

fn keys(text: &str) -> BTreeSet<String> {
    Catalog::parse(text)
        .expect("the catalogue parses")
        .keys()
        .map(str::to_owned)
        .collect()
}

/// Every literal key passed to `t("…")` in the files under `dir` with extension `ext`.
fn used_keys(dir: &Path, ext: &str, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            used_keys(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext)
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            let text = std::fs::read_to_string(&path).expect("readable file");
            for (i, _) in text.match_indices("t(\"") {
                let rest = &text[i + 3..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    // Only catalogue keys: dotted lower-case words.
                    if key.contains('.')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                    {
                        out.insert(key.to_owned());
                    }
                }
            }
        }
    }
}

#[test]
fn both_catalogues_parse_and_have_the_same_keys() {
    let zh = keys(SOURCES[0].1);
    let en = keys(SOURCES[1].1);
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(only_zh.is_empty(), "only in zh-CN.toml: {only_zh:?}");
    assert!(only_en.is_empty(), "only in en.toml: {only_en:?}");
    assert!(zh.len() > 100, "the catalogues are not empty");
}

#[test]
fn every_key_the_templates_and_handlers_use_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    used_keys(&root.join("templates"), "html", &mut used);
    used_keys(&root.join("src/web"), "rs", &mut used);
    assert!(used.contains("nav.firms"), "the scan finds keys");
    let zh = keys(SOURCES[0].1);
    let missing: Vec<_> = used.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not in the catalogues: {missing:?}"
    );
}

#[test]
fn every_metric_cause_and_event_kind_has_a_name() {
    let zh = keys(SOURCES[0].1);
    let mut wanted: Vec<String> = Metric::ALL
        .iter()
        .map(|m| format!("metric.{}", m.name()))
        .collect();
    for cause in [
        "firm_changed",
        "figures_changed",
        "financing_added",
        "certificate_changed",
        "rules_published",
        "time_passed",
        "import",
        "correction",
    ] {
        wanted.push(format!("cause.{cause}"));
    }
    for kind in ["entered", "promoted", "demoted", "exited", "moved"] {
        wanted.push(format!("event.{kind}"));
    }
    let missing: Vec<_> = wanted.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(missing.is_empty(), "missing names: {missing:?}");
}

#[test]
fn chinese_is_the_default_and_unknown_tags_fall_back_to_it() {
    assert_eq!(Lang::default(), Lang::Zh);
    assert_eq!(Lang::from_tag("EN"), Lang::En);
    assert_eq!(Lang::from_tag("fr"), Lang::Zh);
    assert_eq!(Lang::Zh.catalog().t("nav.firms"), "企业");
    assert_eq!(Lang::En.catalog().t("nav.firms"), "Firms");
    assert_eq!(Lang::En.catalog().t("no.such.key"), "no.such.key");
}
