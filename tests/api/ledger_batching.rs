//! Bulk passes write the ledger in chunks (multi-row inserts, positions in blocks, count deltas
//! summed per bucket). These tests check that batching changes nothing observable: the same
//! events, sequence numbers and counts as one-at-a-time writes, gapless positions across
//! chunk boundaries, and nothing left behind by a refused import.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::helpers::{TestApp, round, test_now, uscc};
use crate::history::{all_events, replay, snapshot_of, tier_totals};
use crate::on_both_backends;

const FIRM_HEADER: &str =
    "统一社会信用代码,企业名称,所属区域,所属行业,成立日期,信用良好,科技型企业\n";
const ROUND_HEADER: &str = "uscc,closed_on,round,amount,amount_currency,post_money_valuation,valuation_currency,investor_kind\n";
const DISTRICTS: [&str; 6] = ["320402", "320404", "320411", "320412", "320413", "320481"];
const INDUSTRIES: [&str; 4] = ["C38", "C3831", "I65", "M73"];

/// The n-th test firm's USCC.
fn code(n: usize) -> String {
    uscc(&format!("320411MA1P{n:05}"))
}

/// A young tech firm in a district and industry that vary with `n`, so events spread over
/// many count buckets.
fn firm_line(n: usize) -> String {
    format!(
        "{},常州批量{n}号科技有限公司,{},{},2022-01-01,是,是\n",
        code(n),
        DISTRICTS[n % DISTRICTS.len()],
        INDUSTRIES[n % INDUSTRIES.len()]
    )
}

/// A round per firm: ¥150M (seed unicorn, lost under the stricter rules), ¥250M (seed unicorn
/// kept) or US$60M (potential unicorn), by `n`.
fn valuation(n: usize) -> (i64, &'static str) {
    match n % 3 {
        0 => (150_000_000, "CNY"),
        1 => (250_000_000, "CNY"),
        _ => (60_000_000, "USD"),
    }
}

fn round_line(n: usize) -> String {
    let (value, currency) = valuation(n);
    format!(
        "{},2024-05-01,A轮,{},{currency},{value},{currency},professional_institution\n",
        code(n),
        value / 10
    )
}

/// Imports `text` on a blocking thread, so the test server (on this runtime) keeps serving
/// and its keep-alive timers do not fire late under a long import.
async fn import(app: &TestApp, text: &str) -> anyhow::Result<(bool, String)> {
    let registry = app.registry_at(test_now());
    let text = text.to_owned();
    actix_web::rt::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("import.csv");
        std::fs::write(&path, text).expect("write the file");
        let mut out = Vec::new();
        let ok = tier_registry::cli::import(&registry, &path, None, true, &mut out, &|_| {})?;
        Ok((ok, String::from_utf8(out).expect("UTF-8 report")))
    })
    .await
    .expect("the import thread")
}

async fn import_ok(app: &TestApp, text: &str) {
    let (ok, report) = import(app, text).await.expect("the import runs");
    assert!(ok, "{}", &report[report.len().saturating_sub(2_000)..]);
}

fn firms_file(n: usize) -> String {
    format!("{FIRM_HEADER}{}", (0..n).map(firm_line).collect::<String>())
}

fn rounds_file(n: usize) -> String {
    format!(
        "{ROUND_HEADER}{}",
        (0..n).map(round_line).collect::<String>()
    )
}

/// The default rule set as version 2 with a ¥200M seed-unicorn valuation.
fn stricter_default() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules/default.toml"
    ))
    .expect("default rules")
    .replacen("version = 2", "version = 3", 1)
    .replace(
        "\"valuation >= 100,000,000 CNY\"",
        "\"valuation >= 200,000,000 CNY\"",
    )
}

/// Each firm's events by USCC: (seq, track, from, to, kind, cause).
type Story = BTreeMap<String, Vec<(i64, String, Value, Value, String, String)>>;

async fn stories(app: &TestApp, events: &[Value]) -> Story {
    let mut by_id: BTreeMap<String, String> = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get_json(&format!("/api/v1/firms?limit=200{cursor}"))
            .await;
        for f in page["items"].as_array().expect("items") {
            by_id.insert(
                f["id"].as_str().expect("id").into(),
                f["uscc"].as_str().expect("uscc").into(),
            );
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let mut story = Story::new();
    for e in events {
        let text = |k: &str| e[k].as_str().expect(k).to_owned();
        story
            .entry(by_id[&text("firm_id")].clone())
            .or_default()
            .push((
                e["seq"].as_i64().expect("seq"),
                text("track"),
                e["from_tier"].clone(),
                e["to_tier"].clone(),
                text("kind"),
                text("cause"),
            ));
    }
    story
}

/// Positions are 1..=n in feed order and each firm's seq runs 1, 2, … without gaps.
fn assert_gapless(events: &[Value]) {
    let positions: Vec<i64> = events
        .iter()
        .map(|e| e["position"].as_i64().expect("position"))
        .collect();
    assert_eq!(
        positions,
        (1..=events.len() as i64).collect::<Vec<_>>(),
        "positions"
    );
    let mut seqs: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for e in events {
        seqs.entry(e["firm_id"].as_str().expect("firm"))
            .or_default()
            .push(e["seq"].as_i64().expect("seq"));
    }
    for (firm, s) in seqs {
        assert_eq!(s, (1..=s.len() as i64).collect::<Vec<_>>(), "seq of {firm}");
    }
}

async fn counts(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/tier-counts{query}")).await
}

/// Live counts equal as-of-today counts and a replay of the ledger; nothing before today.
async fn assert_counts_match_the_ledger(app: &TestApp, events: &[Value]) {
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
    for group in ["region", "industry"] {
        let live = counts(app, &format!("?group_by={group}")).await;
        let as_of = counts(app, &format!("?group_by={group}&as_of=2025-06-30")).await;
        assert_eq!(
            snapshot_of(&live),
            snapshot_of(&as_of),
            "live and as of today, by {group}"
        );
        assert_eq!(
            tier_totals(&snapshot_of(&live)),
            replay(events, today),
            "replay"
        );
    }
    let before = counts(app, "?as_of=2025-06-29").await;
    assert!(
        before["tiers"]
            .as_array()
            .expect("tiers")
            .iter()
            .all(|t| t["firms"] == 0),
        "{before}"
    );
}

on_both_backends! {
    async fn a_bulk_import_records_the_same_events_and_counts_as_one_at_a_time_writes(app) {
        const N: usize = 24;
        // One at a time: each registration and round through the API.
        for n in 0..N {
            let line = firm_line(n);
            let cells: Vec<&str> = line.trim_end().split(',').collect();
            let body = serde_json::json!({
                "uscc": cells[0], "name": cells[1], "region_code": cells[2], "industry_code": cells[3],
                "founded_on": cells[4], "credit_ok": true, "tech_firm": true
            });
            let id = app.register(&body).await["id"].as_str().expect("id").to_owned();
            let (value, currency) = valuation(n);
            let response = app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-05-01", value, currency)).await;
            assert_eq!(response.status(), 201);
        }
        // In bulk: the same firms and rounds imported into another database.
        let backend = if app.database_url.starts_with("sqlite://") { crate::helpers::Backend::Sqlite } else { crate::helpers::Backend::Postgres };
        let bulk = crate::helpers::spawn_app(backend).await.expect("a second database");
        import_ok(&bulk, &firms_file(N)).await;
        import_ok(&bulk, &rounds_file(N)).await;

        let one = all_events(&app).await;
        let many = all_events(&bulk).await;
        assert!(one.len() >= N, "every firm entered a tier: {}", one.len());
        let causes = |story: Story| -> Story {
            story.into_iter().map(|(k, v)| (k, v.into_iter().map(|mut e| { e.5 = String::new(); e }).collect())).collect()
        };
        assert_eq!(causes(stories(&app, &one).await), causes(stories(&bulk, &many).await), "per-firm events");
        assert_gapless(&many);
        for query in ["?group_by=region", "?group_by=industry", "?as_of=2025-06-30&group_by=region", "?as_of=2025-06-30&group_by=industry"] {
            assert_eq!(snapshot_of(&counts(&app, query).await), snapshot_of(&counts(&bulk, query).await), "{query}");
        }
        let flows = "/api/v1/tier-flows?from=2025-06-01&to=2025-06-30&group_by=region";
        assert_eq!(app.get_json(flows).await["tiers"], bulk.get_json(flows).await["tiers"], "flows");
        assert_counts_match_the_ledger(&bulk, &many).await;
    }

    async fn passes_over_several_chunks_keep_positions_and_seq_gapless_and_counts_equal_a_replay(app) {
        // More firms than one classification chunk (2,000) and one event insert (1,000).
        const N: usize = 2_100;
        import_ok(&app, &firms_file(N)).await;
        import_ok(&app, &rounds_file(N)).await;
        let entered = all_events(&app).await;
        assert_eq!(entered.len(), N, "one entry per firm");
        assert_counts_match_the_ledger(&app, &entered).await;

        let registry = app.registry_at(test_now());
        let publication = actix_web::rt::task::spawn_blocking(move || {
            registry.rule_sets().publish(&stricter_default(), "default-v2.toml", "test", &|_| {})
        }).await.expect("the publication thread").expect("publication");
        let exits = N.div_ceil(3) as u64;
        assert_eq!((publication.summary.firms, publication.summary.events), (N as u64, exits));

        let events = all_events(&app).await;
        assert_eq!(events.len(), N + exits as usize);
        assert_gapless(&events);
        let published: Vec<&Value> = events.iter().filter(|e| e["cause"] == "rules_published").collect();
        assert!(published.iter().all(|e| e["kind"] == "exited" && e["from_tier"] == "seed_unicorn" && e["seq"] == 2));
        // A pass walks firms in id order, one at a time or in chunks alike.
        let ids: Vec<&str> = published.iter().filter_map(|e| e["firm_id"].as_str()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "the pass's events follow firm order");
        assert_counts_match_the_ledger(&app, &events).await;
        let live = counts(&app, "").await;
        let seed = live["tiers"].as_array().expect("tiers").iter().find(|t| t["tier"] == "seed_unicorn").expect("seed");
        assert_eq!(seed["firms"], N as u64 / 3, "only the ¥250M firms keep the seed tier");
    }

    async fn a_refused_row_in_the_middle_of_a_large_import_leaves_no_event_count_or_position(app) {
        const N: usize = 2_100;
        import_ok(&app, &firms_file(N)).await;
        // Row 1,501 names a firm that is not registered: the whole file is refused, after
        // its rows were written and its firms classified in chunks.
        let mut rounds = rounds_file(N);
        let unknown = round_line(N + 7);
        let at = rounds.match_indices('\n').nth(1_500).map(|(i, _)| i + 1).expect("row 1,501");
        rounds.insert_str(at, &unknown);
        let (ok, report) = import(&app, &rounds).await.expect("the import runs");
        assert!(!ok, "{}", &report[report.len().saturating_sub(1_000)..]);
        assert!(all_events(&app).await.is_empty(), "a refused import left events");
        let live = counts(&app, "?group_by=region").await;
        assert!(snapshot_of(&live).values().all(|v| *v == 0), "a refused import left counts: {live}");

        // A USCC twice among new firms fails in the database, in the second thousand-row
        // insert: the first thousand go too.
        let fresh: String = (N + 10..N + 1_210).map(firm_line).collect();
        let duplicate = format!("{FIRM_HEADER}{fresh}{}", firm_line(N + 10));
        let outcome = import(&app, &duplicate).await;
        assert!(outcome.as_ref().map_or(true, |(ok, _)| !ok), "the duplicate was accepted");
        let (ok, again) = import(&app, &format!("{FIRM_HEADER}{fresh}")).await.expect("the import runs");
        assert!(ok && again.contains("1200 create, 0 update, 0 unchanged"), "firms of the failed import were kept: {}", &again[again.len().saturating_sub(300)..]);

        // The positions the refused import took were rolled back with it.
        import_ok(&app, &rounds_file(N)).await;
        let events = all_events(&app).await;
        assert_eq!(events.len(), N);
        assert_gapless(&events);
        assert_counts_match_the_ledger(&app, &events).await;
    }
}
