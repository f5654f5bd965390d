use chrono::{TimeZone, Utc};

use super::*;
use crate::web::pages::fixtures::{english, march};

fn default_rules() -> RuleSet {
    let text = include_str!("../../../../../config/rules/default.toml");
    RuleSet::parse(text, "default.toml").expect("the default rule set loads")
}

fn published(in_force: bool) -> PublishedRuleSet {
    PublishedRuleSet {
        id: "changzhou".into(),
        version: 2,
        effective_from: march(1),
        content_hash: "ab".into(),
        origin: "default.toml".into(),
        content: String::new(),
        published_at: Utc
            .with_ymd_and_hms(2026, 2, 27, 8, 30, 0)
            .single()
            .expect("a time"),
        published_by: "admin".into(),
        in_force,
    }
}

#[test]
fn before_any_publication_the_page_says_so_and_lists_what_there_is() {
    let page = rules_view(english(), None, &[published(false)]);
    assert!(!page.found);
    assert!(page.tracks.is_empty());
    let p = &page.publications[0];
    assert_eq!(
        (
            p.version,
            p.effective_from.as_str(),
            p.published_at.as_str()
        ),
        (2, "2026-03-01", "2026-02-27 08:30 UTC")
    );
    assert!(!p.in_force);
}

#[test]
fn every_tier_of_the_rule_set_in_force_lists_its_conditions_from_the_top() {
    let set = default_rules();
    let page = rules_view(english(), Some(&set), &[published(true)]);
    assert!(page.found);
    assert_eq!(page.id, set.id());
    assert_eq!(page.tracks.len(), set.tracks().len());
    for track in &page.tracks {
        assert!(!track.tiers.is_empty(), "{} has tiers", track.name);
        for tier in &track.tiers {
            let first = tier.lines.first().expect("a tier has conditions");
            assert_eq!(first.depth, 0, "{} starts at the top", tier.id);
            assert!(tier.lines.iter().all(|l| !l.text.is_empty()));
        }
    }
}
