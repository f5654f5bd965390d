use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::EventKind;
use crate::service::{Comparison, Target, TargetKind, TargetStatus, TierGroup};
use crate::web::pages::fixtures::{english, event, march};

fn tally(tier: &str, firms: i64, groups: &[(&str, i64)]) -> TierTally {
    TierTally {
        track: "ladder".into(),
        tier: tier.into(),
        label_zh: String::new(),
        label_en: String::new(),
        firms,
        groups: groups
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

fn data(tiers: Vec<TierTally>) -> DashboardData {
    DashboardData {
        counts: TierCounts {
            as_of: march(2),
            source: "live",
            rule_set: None,
            tiers,
            tier_groups: Vec::new(),
        },
        targets: Vec::new(),
        events: Vec::new(),
        firm_names: HashMap::new(),
        names: Names::default(),
        cockpit: super::super::cockpit::CockpitData::empty(march(2)),
    }
}

fn target(subject: &str, region: Option<&str>) -> Target {
    Target {
        year: 2026,
        subject: subject.into(),
        kind: TargetKind::Stock,
        comparison: Comparison::Ge,
        value: 40,
        region: region.map(str::to_owned),
        source: "plan 2026".into(),
    }
}

fn progress(target: Target, actual: Option<i64>, progress: Option<f64>) -> TargetProgress {
    TargetProgress {
        target,
        tiers: Vec::new(),
        as_of: march(2),
        actual,
        progress,
        expected_progress: 0.2,
        status: TargetStatus::OnTrack,
        closed: false,
        history_from: None,
        counted_from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
        note: None,
        near_misses: Vec::new(),
    }
}

#[test]
fn each_count_row_has_a_cell_per_district_and_what_no_district_holds() {
    let catalog = RegionCatalog::changzhou();
    let tiers = vec![tally(
        "gazelle",
        7,
        &[("320402", 3), ("320481", 2), ("110101", 2)],
    )];
    let page = dashboard_view(english(), &data(tiers), &catalog, &TargetPlan::default());
    let row = &page.counts[0];
    assert_eq!(row.name, "ladder · gazelle", "without names, ids are shown");
    assert_eq!(row.total, 7);
    assert_eq!(
        row.cells.iter().map(|c| c.firms).collect::<Vec<_>>(),
        vec![3, 0, 0, 0, 0, 2],
        "districts in catalogue order"
    );
    assert_eq!(
        row.href, "/firms?tier=gazelle",
        "the total links to the tier's list"
    );
    assert_eq!(
        row.cells[5].href, "/firms?tier=gazelle&region=320481",
        "each cell links to its district's list"
    );
    assert_eq!(
        row.outside, 2,
        "the Beijing firms sit in no district column"
    );
    assert!(page.any_outside, "the outside column is shown");
    assert_eq!(
        page.districts[0], "Tianning",
        "districts named in the page's language"
    );
    assert_eq!(page.as_of, "2026-03-02");
}

#[test]
fn the_outside_column_is_hidden_when_every_firm_is_in_a_district() {
    let catalog = RegionCatalog::changzhou();
    let tiers = vec![
        tally("gazelle", 3, &[("320402", 3)]),
        tally("unicorn", 0, &[]),
    ];
    let page = dashboard_view(english(), &data(tiers), &catalog, &TargetPlan::default());
    assert!(page.counts.iter().all(|r| r.outside == 0));
    assert!(!page.any_outside);
    let bars: Vec<(&str, i64)> = page
        .chart
        .bars
        .iter()
        .map(|b| (b.label.as_str(), b.value))
        .collect();
    assert_eq!(bars, vec![("gazelle", 3), ("unicorn", 0)], "a bar per tier");
}

#[test]
fn a_target_names_its_group_and_district_and_caps_the_bar_at_full() {
    let catalog = RegionCatalog::changzhou();
    let plan = TargetPlan {
        groups: vec![TierGroup {
            id: "family".into(),
            label_zh: "独角兽家族".into(),
            label_en: "Unicorn family".into(),
            tiers: vec!["unicorn".into()],
        }],
        targets: Vec::new(),
    };
    let mut data = data(Vec::new());
    data.targets = vec![progress(
        target("family", Some("320411")),
        Some(49),
        Some(1.225),
    )];
    let page = dashboard_view(english(), &data, &catalog, &plan);
    let t = &page.targets[0];
    assert_eq!(t.subject, "Unicorn family · Xinbei");
    assert_eq!(t.goal, "stock at least 40");
    assert_eq!(t.measured, "Measured on 2026-03-02");
    assert_eq!(t.history, None);
    assert_eq!(t.actual, "49");
    assert_eq!(t.bar, 100, "the bar stops at full");
    assert_eq!(t.percent, "123%", "the text shows the true figure");
    assert_eq!((t.status, t.status_text.as_str()), ("on_track", "On track"));
    assert_eq!(t.source, "plan 2026");
}

#[test]
fn an_untracked_target_shows_dashes_and_an_empty_bar() {
    let catalog = RegionCatalog::changzhou();
    let mut data = data(Vec::new());
    data.targets = vec![progress(target("gazelle", None), None, None)];
    let page = dashboard_view(
        PageContext::default(),
        &data,
        &catalog,
        &TargetPlan::default(),
    );
    let t = &page.targets[0];
    assert_eq!(
        t.subject, "gazelle",
        "a tier subject without names is its id"
    );
    assert_eq!(
        (t.actual.as_str(), t.percent.as_str(), t.bar),
        ("—", "—", 0)
    );
}

#[test]
fn recent_events_read_as_sentences_with_their_firm() {
    let catalog = RegionCatalog::changzhou();
    let (known, unknown) = (Uuid::now_v7(), Uuid::now_v7());
    let mut data = data(Vec::new());
    data.events = vec![
        event(known, 1, EventKind::Promoted, Some("seed"), Some("gazelle")),
        event(unknown, 1, EventKind::Entered, None, Some("seed")),
    ];
    data.firm_names.insert(known, "常州星辰".into());
    let page = dashboard_view(english(), &data, &catalog, &TargetPlan::default());
    let rows: Vec<(&str, &str, &str)> = page
        .events
        .iter()
        .map(|e| (e.date.as_str(), e.firm.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2026-03-01", "常州星辰", "ladder: promoted seed → gazelle"),
            ("2026-03-01", "", "entered ladder: seed"),
        ]
    );
    assert_eq!(page.events[0].firm_id, known.to_string());
}

#[test]
fn a_chinese_card_names_the_tier_and_says_in_words_how_it_compares_and_when() {
    let catalog = RegionCatalog::changzhou();
    let rules = crate::rules::RuleSet::parse(
        include_str!("../../../../../config/rules/default.toml"),
        "default.toml",
    )
    .expect("the default rules load");
    let mut data = data(Vec::new());
    data.names = Names::of(&rules);
    let mut sme = target("tech_sme", None);
    sme.kind = TargetKind::Recruited;
    sme.year = 2024;
    sme.value = 1200;
    let mut p = progress(sme, Some(1300), Some(1.08));
    p.status = TargetStatus::Met;
    p.closed = true;
    p.as_of = NaiveDate::from_ymd_opt(2024, 12, 31).expect("a date");
    let mut stock = progress(target("gazelle", None), Some(3), Some(0.075));
    stock.target.comparison = Comparison::Gt;
    stock.status = TargetStatus::Missed;
    stock.closed = true;
    data.targets = vec![p, stock];
    let page = dashboard_view(
        PageContext::default(),
        &data,
        &catalog,
        &TargetPlan::default(),
    );
    let t = &page.targets[0];
    assert_eq!(t.subject, "科技型中小企业", "the Chinese label, not the id");
    assert_eq!(t.goal, "招引 不少于 1200");
    assert_eq!(t.measured, "年度已结束，按 2024-12-31 的数字评定");
    assert_eq!(t.status_text, "已完成");
    assert_eq!(page.targets[1].goal, "存量 超过 40");
    assert_eq!(page.targets[1].status_text, "未完成");
    let html = askama::Template::render(&page).expect("renders");
    let section = &html[html.find("targets-title").expect("the targets section")..];
    let section = &section[..section.find("</section>").expect("its end")];
    // The visible text: everything outside tags (links may carry ids, readers never see them).
    let mut text = String::new();
    let mut in_tag = false;
    for c in section.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    for bad in ["tech_sme", "&gt;", ">", "recruited", "进度落后"] {
        assert!(!text.contains(bad), "{bad} on the card: {text}");
    }
    assert!(text.contains("年度已结束"), "{text}");
}

#[test]
fn a_card_says_from_when_its_history_counts() {
    let catalog = RegionCatalog::changzhou();
    let mut data = data(Vec::new());
    let mut net = target("gazelle", None);
    net.kind = TargetKind::NetIncrease;
    let mut p = progress(net, Some(5), Some(0.125));
    p.status = TargetStatus::IncompleteHistory;
    p.history_from = NaiveDate::from_ymd_opt(2026, 2, 10);
    p.counted_from = NaiveDate::from_ymd_opt(2026, 2, 11).expect("a date");
    data.targets = vec![p];
    let page = dashboard_view(
        PageContext::default(),
        &data,
        &catalog,
        &TargetPlan::default(),
    );
    let t = &page.targets[0];
    assert_eq!(t.status_text, "历史记录不完整");
    assert_eq!(
        t.history.as_deref(),
        Some(
            "台账自 2026-02-10 起才有记录，此前的变动无从统计：实际数只计 2026-02-11 起的变化，初次载入的企业不算增长。"
        )
    );
}
