//! Building small rule files for load-check tests, and reading back where they were refused.

use crate::rules::{RuleSet, Severity};

pub const HEADER: &str = r#"id = "test"
version = 1
effective_from = 2024-01-01
[currency]
USD = "7.1"
"#;

pub fn track(id: &str, tiers: &[(&str, &str)]) -> String {
    let mut out = format!("[[track]]\nid = \"{id}\"\nlabel_zh = \"测试\"\nlabel_en = \"Test\"\n");
    for (tier, rule) in tiers {
        out.push_str(&format!(
            "[[track.tier]]\nid = \"{tier}\"\nlabel_zh = \"级\"\nlabel_en = \"Tier\"\nsource = \"文件\"\nrule.all = [{rule}]\n"
        ));
    }
    out
}

pub fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle in text");
    text[..at].matches('\n').count() + 1
}

/// The first error's (line, message) for a file that must be refused.
pub fn refused(text: &str) -> (usize, String) {
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
