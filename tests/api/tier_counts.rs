//! Tier counts: live, as of a date, and against a replay of the ledger.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, round, young_tech_firm};
use crate::history::{FIRST_DAY, all_events, generate, replay, snapshot_of, tier_totals};
use crate::on_both_backends;

async fn counts(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/tier-counts{query}")).await
}

fn firms_of(body: &Value, tier: &str) -> i64 {
    body["tiers"]
        .as_array()
        .and_then(|tiers| tiers.iter().find(|t| t["tier"] == tier))
        .and_then(|t| t["firms"].as_i64())
        .unwrap_or_else(|| panic!("no tier {tier} in {body}"))
}

on_both_backends! {
    async fn every_tier_of_the_rule_set_is_listed_with_labels_and_zero_when_empty(app) {
        let body = counts(&app, "").await;
        assert_eq!(body["source"], "live");
        assert_eq!(body["as_of"], "2025-06-30");
        let tiers: Vec<&str> = body["tiers"].as_array().expect("tiers").iter()
            .filter_map(|t| t["tier"].as_str()).collect();
        assert_eq!(tiers, ["seed_unicorn", "potential_unicorn", "unicorn", "gazelle", "high_tech_candidate", "high_tech", "tech_sme"]);
        assert!(body["tiers"].as_array().expect("tiers").iter().all(|t| t["firms"] == 0));
        assert_eq!(body["tiers"][0]["label_zh"], "种子独角兽");
        assert!(body["tiers"][0]["label_en"].as_str().is_some_and(|l| !l.is_empty()));
        assert_eq!(body["tier_groups"][0]["id"], "unicorn_family");
        assert_eq!(body["tier_groups"][0]["firms"], 0);
    }

    async fn counts_filter_by_district_and_industry_prefix_and_group_by_section(app) {
        let a = app.register(&young_tech_firm("320411MA1P00001")).await;
        let mut other = young_tech_firm("320411MA1P00002");
        other["region_code"] = json!("320412");
        other["industry_code"] = json!("C3831");
        let b = app.register(&other).await;
        for firm in [&a, &b] {
            let path = format!("/api/v1/firms/{}/financings", firm["id"].as_str().expect("id"));
            assert_eq!(app.post_json(&path, &round("2025-03-01", 60_000_000, "USD")).await.status(), 201);
        }
        assert_eq!(firms_of(&counts(&app, "").await, "potential_unicorn"), 2);
        assert_eq!(firms_of(&counts(&app, "?region=320412").await, "potential_unicorn"), 1);
        assert_eq!(firms_of(&counts(&app, "?industry=C").await, "potential_unicorn"), 1);
        assert_eq!(firms_of(&counts(&app, "?industry=C38").await, "potential_unicorn"), 1);
        assert_eq!(firms_of(&counts(&app, "?industry=I").await, "potential_unicorn"), 1);
        assert_eq!(firms_of(&counts(&app, "?industry=C39").await, "potential_unicorn"), 0);
        for filter in ["region=320412", "industry=C38", "industry=I", "region=320411&industry=C"] {
            let live = counts(&app, &format!("?{filter}")).await;
            let past = counts(&app, &format!("?{filter}&as_of=2025-06-30")).await;
            assert_eq!(live["tiers"], past["tiers"], "live and as-of agree under {filter}");
        }

        let by_section = counts(&app, "?group_by=industry").await;
        let potential = by_section["tiers"].as_array().expect("tiers").iter()
            .find(|t| t["tier"] == "potential_unicorn").expect("tier").clone();
        let keys: Vec<&str> = potential["groups"].as_array().expect("groups").iter()
            .filter_map(|g| g["key"].as_str()).collect();
        assert_eq!(keys, ["C", "I"]);
        assert_eq!(potential["groups"][0]["label_zh"], "制造业");
        let family = &by_section["tier_groups"][0];
        assert_eq!(family["firms"], 2, "the unicorn family counts potential unicorns: {family}");

        let by_region = counts(&app, "?group_by=region").await;
        let potential = by_region["tiers"][1].clone();
        assert_eq!(potential["groups"][0]["key"], "320411");
        assert_eq!(potential["groups"][0]["label_zh"], "新北区");
        assert_eq!(potential["groups"][0]["label_en"], "Xinbei");
    }

    async fn counts_now_as_of_today_and_a_ledger_replay_agree_on_a_random_history(app) {
        let history = generate(&app, 0x5EED_0001).await;
        let live = counts(&app, "?group_by=region").await;
        let as_of_today = counts(&app, "?group_by=region&as_of=2025-06-30").await;
        assert_eq!(as_of_today["source"], "history");
        assert_eq!(snapshot_of(&live), snapshot_of(&as_of_today), "live and as-of today differ");
        let (_, last) = history.days.last().expect("days");
        assert_eq!(&snapshot_of(&live), last, "the last recorded day is today");

        let events = all_events(&app).await;
        assert!(events.len() > 10, "the history moved tiers: {} events", events.len());
        let kinds: std::collections::BTreeSet<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
        for kind in ["entered", "promoted", "demoted", "exited"] {
            assert!(kinds.contains(kind), "the history has a {kind} event: {kinds:?}");
        }
        let causes: std::collections::BTreeSet<&str> = events.iter().filter_map(|e| e["cause"].as_str()).collect();
        for cause in ["financing_added", "certificate_changed", "firm_changed", "rules_published", "time_passed"] {
            assert!(causes.contains(cause), "the history has a {cause} event: {causes:?}");
        }
        let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
        assert_eq!(tier_totals(&snapshot_of(&live)), replay(&events, today), "the replay of the ledger");
    }

    async fn counts_as_of_a_past_date_equal_the_live_counts_seen_that_day(app) {
        let history = generate(&app, 0x5EED_0002).await;
        let events = all_events(&app).await;
        for (day, seen) in &history.days {
            let past = counts(&app, &format!("?group_by=region&as_of={day}")).await;
            let answered = snapshot_of(&past);
            // Buckets that never held a firm on `day` are absent from what was seen then.
            let nonzero = |s: &crate::history::Snapshot| -> crate::history::Snapshot {
                s.iter().filter(|(_, v)| **v != 0).map(|(k, v)| (k.clone(), *v)).collect()
            };
            assert_eq!(nonzero(&answered), nonzero(seen), "as of {day}");
            assert_eq!(tier_totals(&answered), replay(&events, *day), "replay as of {day}");
        }
        let before = counts(&app, &format!("?as_of={}", "2025-06-01")).await;
        assert!(before["tiers"].as_array().expect("tiers").iter().all(|t| t["firms"] == 0),
            "nothing before {FIRST_DAY}");
    }

    async fn a_stored_answer_follows_writes_on_its_day_and_keeps_earlier_days(app) {
        // Asked once (and kept by the server), then written to: the answer for today must
        // follow, the one for yesterday must not change.
        let yesterday = counts(&app, "?as_of=2025-06-29&group_by=region").await;
        let today = counts(&app, "?as_of=2025-06-30&group_by=region").await;
        let flows = app.get_json("/api/v1/tier-flows?from=2025-06-01&to=2025-06-30").await;
        assert_eq!(firms_of(&today, "potential_unicorn"), 0);
        let firm = app.register(&young_tech_firm("320411MA1R00001")).await;
        let path = format!("/api/v1/firms/{}/financings", firm["id"].as_str().expect("id"));
        assert_eq!(app.post_json(&path, &round("2025-03-01", 60_000_000, "USD")).await.status(), 201);
        assert_eq!(firms_of(&counts(&app, "?as_of=2025-06-30&group_by=region").await, "potential_unicorn"), 1);
        assert_eq!(firms_of(&counts(&app, "?group_by=region").await, "potential_unicorn"), 1);
        assert_eq!(counts(&app, "?as_of=2025-06-29&group_by=region").await, yesterday);
        let after = app.get_json("/api/v1/tier-flows?from=2025-06-01&to=2025-06-30").await;
        assert_ne!(after, flows, "the flows of a period including today follow the write");
        let potential = after["tiers"].as_array().and_then(|t| t.iter().find(|x| x["tier"] == "potential_unicorn"))
            .unwrap_or_else(|| panic!("no potential_unicorn in {after}"));
        assert_eq!(potential["closing"], 1, "{after}");
    }

    async fn bad_count_parameters_are_refused_naming_the_parameter(app) {
        assert_problem(app.get("/api/v1/tier-counts?as_of=2025-02-30").await, 422, Some("as_of")).await;
        assert_problem(app.get("/api/v1/tier-counts?as_of=yesterday").await, 422, Some("as_of")).await;
        assert_problem(app.get("/api/v1/tier-counts?as_of=2025-07-01").await, 422, Some("as_of")).await;
        assert_problem(app.get("/api/v1/tier-counts?group_by=tier").await, 422, Some("group_by")).await;
        assert_problem(app.get("/api/v1/tier-counts?industry=C3").await, 422, Some("industry")).await;
        assert_problem(app.get("/api/v1/tier-counts?industry=%27%20OR%201%3D1").await, 422, Some("industry")).await;
        assert_problem(app.get("/api/v1/tier-counts?region=110101").await, 422, Some("region")).await;
        assert_problem(app.get("/api/v1/tier-counts?format=xlsx").await, 422, Some("format")).await;
        assert_problem(app.get("/api/v1/tier-counts?limit=5").await, 400, None).await;
        let post = app.client.post(app.url("/api/v1/tier-counts")).send().await.expect("sent");
        assert_eq!(post.status(), 405);
        assert_eq!(post.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET, HEAD"));
    }
}
