use uuid::Uuid;

use super::*;
use crate::domain::EventKind;
use crate::rules::{Explanation, Outcome, TierAssessment};
use crate::web::pages::fixtures::{english, event, firm};

fn data(history: Vec<TierEvent>) -> FirmData {
    FirmData {
        firm: firm("测试科技有限公司"),
        assessment: None,
        history,
        financings: Vec::new(),
        certificates: Vec::new(),
        names: Names::default(),
    }
}

fn tier(id: &str, outcome: TierOutcome) -> TierAssessment {
    TierAssessment {
        tier: id.into(),
        label_zh: String::new(),
        label_en: String::new(),
        source: format!("{id} rules"),
        outcome,
        missing: Vec::new(),
        rule: Explanation::All {
            label: None,
            outcome: Outcome::Pass,
            items: Vec::new(),
        },
    }
}

fn track(held: Option<&str>, tiers: Vec<TierAssessment>) -> TrackAssessment {
    TrackAssessment {
        track: "ladder".into(),
        label_zh: String::new(),
        label_en: String::new(),
        tier: held.map(str::to_owned),
        undecided: vec!["unicorn".into()],
        tiers,
    }
}

#[test]
fn facts_word_yes_no_unknown_missing_dates_and_the_district() {
    let page = firm_view(english(), &data(Vec::new()), &RegionCatalog::changzhou());
    let facts: Vec<(&str, &str)> = page
        .facts
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    let value = |i: usize| facts[i].1;
    assert_eq!(facts.len(), 14, "every fact is listed");
    assert_eq!(value(0), "91350100M000100Y43");
    assert_eq!(value(1), "—", "no English name");
    assert_eq!(value(2), "Xinbei (320411)");
    assert_eq!(value(5), "—", "not listed");
    assert_eq!((value(7), value(8), value(9)), ("Yes", "No", "Unknown"));
    assert_eq!(value(12), "2024-02-03");
    assert_eq!(value(13), "3", "the version");
    assert_eq!(page.name, "测试科技有限公司");
}

#[test]
fn the_history_is_newest_first_and_names_a_missing_tier_none() {
    let id = Uuid::now_v7();
    let history = vec![
        event(id, 1, EventKind::Entered, None, Some("seed")),
        event(id, 5, EventKind::Promoted, Some("seed"), Some("gazelle")),
    ];
    let page = firm_view(english(), &data(history), &RegionCatalog::changzhou());
    let shown: Vec<(&str, &str)> = page
        .events
        .iter()
        .map(|e| (e.date.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("2026-03-05", "ladder: promoted seed → gazelle"),
            ("2026-03-01", "entered ladder: seed"),
        ]
    );
    assert_eq!(page.events[0].cause, "figures changed");
    assert_eq!(page.events[0].actor, "clerk");
}

#[test]
fn without_a_rule_set_in_force_no_tiers_are_shown() {
    let page = firm_view(english(), &data(Vec::new()), &RegionCatalog::changzhou());
    assert!(page.tracks.is_empty());
    assert_eq!((page.as_of.as_str(), page.rule_set.as_str()), ("", ""));
    assert_eq!(page.note, None);
}

#[test]
fn the_tier_above_the_one_held_is_open() {
    let t = track(
        Some("seed"),
        vec![
            tier("seed", TierOutcome::Pass),
            tier("gazelle", TierOutcome::Fail),
            tier("unicorn", TierOutcome::InsufficientData),
        ],
    );
    let view = track_view(&english(), &Names::default(), &t);
    let tiers: Vec<(&str, &str, bool)> = view
        .tiers
        .iter()
        .map(|t| (t.name.as_str(), t.outcome, t.open))
        .collect();
    assert_eq!(
        tiers,
        vec![
            ("seed", "pass", false),
            ("gazelle", "fail", true),
            ("unicorn", "insufficient_data", false),
        ]
    );
    assert_eq!(view.held.as_deref(), Some("seed"));
    assert_eq!(view.undecided, vec!["unicorn".to_owned()]);
    assert_eq!(view.tiers[0].source, "seed rules");
}

#[test]
fn with_no_tier_held_the_lowest_is_open() {
    let t = track(
        None,
        vec![
            tier("seed", TierOutcome::Fail),
            tier("gazelle", TierOutcome::Fail),
        ],
    );
    let view = track_view(&english(), &Names::default(), &t);
    let open: Vec<bool> = view.tiers.iter().map(|t| t.open).collect();
    assert_eq!(open, vec![true, false]);
    assert_eq!(view.held, None);
}
