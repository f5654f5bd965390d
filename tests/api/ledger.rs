//! The promotion ledger: every tier change recorded once, with its cause and rule version.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, round, test_now, young_tech_firm};
use crate::on_both_backends;

async fn firm_id(app: &TestApp, body: &Value) -> String {
    app.register(body).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn patch(app: &TestApp, id: &str, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/firms/{id}")))
        .header("If-Match", "*")
        .json(&body)
        .send()
        .await
        .expect("sent")
}

fn summary(events: &[Value]) -> Vec<(String, String, Value, Value, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["track"].as_str().unwrap_or("").to_owned(),
                e["kind"].as_str().unwrap_or("").to_owned(),
                e["from_tier"].clone(),
                e["to_tier"].clone(),
                e["cause"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The default rule set with a stricter seed-unicorn valuation (¥200M instead of ¥100M), as a
/// new version in force from the same date.
fn stricter_default() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules/default.toml"
    ))
    .expect("default rules");
    assert!(
        text.contains("\"valuation >= 100,000,000 CNY\""),
        "the default's seed threshold moved"
    );
    text.replacen("version = 2", "version = 3", 1).replace(
        "\"valuation >= 100,000,000 CNY\"",
        "\"valuation >= 200,000,000 CNY\"",
    )
}

on_both_backends! {
    async fn a_round_that_lifts_the_valuation_records_one_promotion_with_the_rule_version(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00001")).await;
        assert!(app.history(&id).await.is_empty(), "no tier before any investment");

        let path = format!("/api/v1/firms/{id}/financings");
        assert_eq!(app.post_json(&path, &round("2024-01-15", 150_000_000, "CNY")).await.status(), 201);
        assert_eq!(app.post_json(&path, &round("2025-03-01", 60_000_000, "USD")).await.status(), 201);

        let events = app.history(&id).await;
        assert_eq!(summary(&events), vec![
            ("unicorn".into(), "entered".into(), Value::Null, json!("seed_unicorn"), "financing_added".into()),
            ("unicorn".into(), "promoted".into(), json!("seed_unicorn"), json!("potential_unicorn"), "financing_added".into()),
        ]);
        let promotion = &events[1];
        assert_eq!(promotion["seq"], 2);
        assert_eq!(promotion["effective_on"], "2025-06-30");
        assert_eq!(promotion["actor"], "token:tests");
        assert_eq!(promotion["rule_set"]["id"], "changzhou-default");
        assert_eq!(promotion["rule_set"]["version"], 2, "the shipped default is version 2");
        assert_eq!(promotion["rule_set"]["content_hash"].as_str().map(str::len), Some(64));
        assert_eq!(promotion["region_code"], "320411");
        assert_eq!(promotion["explanation"]["tier"], "potential_unicorn");
    }

    async fn listing_makes_the_firm_exit_and_an_older_founding_date_demotes_it(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00002")).await;
        app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2025-03-01", 60_000_000, "USD")).await;
        // Founded 2017: seven years old, so US$60M (¥426M) is below the potential tier's
        // "超过1亿美元" but above the seed tier's "超过2亿元".
        assert_eq!(patch(&app, &id, json!({"founded_on": "2017-01-01"})).await.status(), 200);
        assert_eq!(patch(&app, &id, json!({"listed_on": "2025-05-20"})).await.status(), 200);
        assert_eq!(summary(&app.history(&id).await), vec![
            ("unicorn".into(), "entered".into(), Value::Null, json!("potential_unicorn"), "financing_added".into()),
            ("unicorn".into(), "demoted".into(), json!("potential_unicorn"), json!("seed_unicorn"), "firm_changed".into()),
            ("unicorn".into(), "exited".into(), json!("seed_unicorn"), Value::Null, "firm_changed".into()),
        ]);
    }

    async fn writes_that_change_no_tier_record_nothing(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00003")).await;
        let path = format!("/api/v1/firms/{id}/financings");
        app.post_json(&path, &round("2024-01-15", 150_000_000, "CNY")).await;
        let year = json!({"revenue": 30_000_000, "employees": 50});
        app.put_json(&format!("/api/v1/firms/{id}/years/2024"), &year).await;
        let again = app.client.put(app.url(&format!("/api/v1/firms/{id}/years/2024")))
            .header("If-Match", "\"1\"").json(&year).send().await.expect("sent");
        assert_eq!(again.status(), 200);
        app.post_json(&path, &round("2024-06-01", 160_000_000, "CNY")).await;
        patch(&app, &id, json!({"name_en": "Xinghe Smart Tech"})).await;
        assert_eq!(app.history(&id).await.len(), 1, "only the entry");
    }

    async fn a_deregistered_firm_exits_every_track(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00004")).await;
        app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        app.post_json(&format!("/api/v1/firms/{id}/certificates"),
            &json!({"kind": "high_tech", "number": "GR202432000004", "issued_on": "2024-11-01"})).await;
        patch(&app, &id, json!({"status": "deregistered"})).await;
        let kinds: Vec<_> = summary(&app.history(&id).await).into_iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(kinds, vec![
            ("unicorn".to_owned(), "entered".to_owned()), ("high_tech".into(), "entered".into()),
            ("unicorn".into(), "exited".into()), ("high_tech".into(), "exited".into()),
        ], "exits are recorded in the rule set's track order");
    }

    async fn simulating_a_stricter_set_shows_who_would_move_and_writes_nothing(app) {
        let a = firm_id(&app, &young_tech_firm("320411MA1N00005")).await;
        let b = firm_id(&app, &young_tech_firm("320411MA1N00006")).await;
        app.post_json(&format!("/api/v1/firms/{a}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        app.post_json(&format!("/api/v1/firms/{b}/financings"), &round("2024-01-15", 250_000_000, "CNY")).await;

        let response = app.post_json("/api/v1/rulesets/simulate", &json!({"rules": stricter_default()})).await;
        assert_eq!(response.status(), 200);
        let report: Value = response.json().await.expect("json");
        assert_eq!(report["firms"], 2);
        assert_eq!(report["movers_total"], 1);
        let mover = &report["movers"][0];
        assert_eq!(mover["firm_id"], json!(a));
        assert_eq!((mover["from"].clone(), mover["to"].clone(), mover["kind"].clone()),
            (json!("seed_unicorn"), Value::Null, json!("exited")));
        assert!(mover["reason"].as_str().is_some_and(|r| r.contains("valuation")), "{mover}");
        let seed = report["tiers"].as_array().expect("tiers").iter()
            .find(|t| t["tier"] == "seed_unicorn").expect("seed row").clone();
        assert_eq!((seed["before"].clone(), seed["after"].clone()), (json!(2), json!(1)));
        assert_eq!(app.history(&a).await.len(), 1, "a simulation writes nothing");
        assert_eq!(app.get_json("/api/v1/rulesets").await["items"].as_array().map(Vec::len), Some(1));
    }

    async fn publishing_a_stricter_set_demotes_exactly_the_firms_it_should(app) {
        let a = firm_id(&app, &young_tech_firm("320411MA1N00007")).await;
        let b = firm_id(&app, &young_tech_firm("320411MA1N00008")).await;
        app.post_json(&format!("/api/v1/firms/{a}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        app.post_json(&format!("/api/v1/firms/{b}/financings"), &round("2024-01-15", 250_000_000, "CNY")).await;

        let draft = json!({"rules": stricter_default(), "origin": "default-v3.toml"});
        let response = app.admin_post_json("/api/v1/rulesets", &draft).await;
        assert_eq!(response.status(), 201);
        let outcome: Value = response.json().await.expect("json");
        assert_eq!((outcome["version"].clone(), outcome["in_force"].clone(), outcome["events_recorded"].clone()),
            (json!(3), json!(true), json!(1)));

        let exit = app.history(&a).await;
        assert_eq!(summary(&exit)[1], ("unicorn".into(), "exited".into(), json!("seed_unicorn"), Value::Null, "rules_published".into()));
        assert_eq!(exit[1]["rule_set"]["version"], 3);
        assert_eq!(app.history(&b).await.len(), 1, "the firm above the new threshold keeps its tier");

        let again = app.admin_post_json("/api/v1/rulesets", &draft).await;
        assert_eq!(again.status(), 200, "the identical file is already published");
        let clash = stricter_default().replace("\"valuation >= 200,000,000 CNY\"", "\"valuation >= 300,000,000 CNY\"");
        assert_problem(app.admin_post_json("/api/v1/rulesets", &json!({"rules": clash})).await, 409, Some("version")).await;
        let current = app.get_json("/api/v1/rulesets/current").await;
        assert_eq!((current["id"].clone(), current["version"].clone()), (json!("changzhou-default"), json!(3)));
        assert!(current["tracks"][0]["tiers"][0]["source"].as_str().is_some_and(|s| s.contains("129")));
    }

    async fn a_broken_rule_file_is_refused_with_its_line_and_nothing_changes(app) {
        let broken = stricter_default().replace("\"credit_ok = true\"", "\"credit_okay = true\"");
        let problem = assert_problem(app.admin_post_json("/api/v1/rulesets", &json!({"rules": broken, "origin": "v2.toml"})).await, 422, Some("rules")).await;
        let message = problem["errors"][0]["message"].as_str().unwrap_or("");
        assert!(message.starts_with("v2.toml:") && message.contains("credit_okay"), "{message}");
        assert_eq!(app.get_json("/api/v1/rulesets").await["items"].as_array().map(Vec::len), Some(1));
        assert_problem(app.post_json("/api/v1/rulesets/simulate", &json!({"rules": "id = "})).await, 422, Some("rules")).await;
    }

    async fn an_expired_certificate_is_recorded_as_time_passes(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00009")).await;
        // Issued 2022-07-01: valid up to 2025-06-30, the test's today.
        let cert = json!({"kind": "high_tech", "number": "GR202232000009", "issued_on": "2022-07-01"});
        app.post_json(&format!("/api/v1/firms/{id}/certificates"), &cert).await;
        assert_eq!(summary(&app.history(&id).await).len(), 1);

        let later = test_now() + chrono::Duration::days(3);
        let registry = app.registry_at(later);
        let days = registry.time().pass(later.date_naive(), "test", &|_| {}).expect("time passes");
        assert_eq!(days.len(), 3, "one pass per day since the last recorded change");
        let events = app.history(&id).await;
        assert_eq!(summary(&events)[1], ("high_tech".into(), "exited".into(), json!("high_tech"), Value::Null, "time_passed".into()));
        assert_eq!(events[1]["effective_on"], "2025-07-01", "effective the day the certificate lapsed");
        assert!(registry.time().pass(later.date_naive(), "test", &|_| {}).expect("idempotent").is_empty());
    }

    async fn the_ledger_refuses_updates_and_deletes_even_in_raw_sql(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00010")).await;
        app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        let update = app.raw_sql("UPDATE tier_events SET to_tier = 'unicorn'");
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")), "UPDATE must fail");
        let delete = app.raw_sql("DELETE FROM tier_events");
        assert!(delete.is_err_and(|e| e.to_string().contains("append-only")), "DELETE must fail");
        assert_eq!(app.history(&id).await[0]["to_tier"], "seed_unicorn");
    }

    async fn two_identical_promotions_at_once_record_exactly_one_event(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00011")).await;
        let path = format!("/api/v1/firms/{id}/financings");
        let body = round("2024-01-15", 150_000_000, "CNY");
        let (a, b) = futures_util::future::join(app.post_json(&path, &body), app.post_json(&path, &body)).await;
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
        assert_eq!(app.history(&id).await.len(), 1);
    }

    async fn the_feed_resumes_after_a_position_and_filters(app) {
        for n in 12..15 {
            let id = firm_id(&app, &young_tech_firm(&format!("320411MA1N000{n}"))).await;
            app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        }
        let first = app.get_json("/api/v1/tier-events?limit=2").await;
        assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
        let after = first["next_after"].as_i64().expect("position");
        let rest = app.get_json(&format!("/api/v1/tier-events?after={after}")).await;
        assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
        assert!(rest["items"][0]["position"].as_i64() > Some(after));
        let idle = app.get_json(&format!("/api/v1/tier-events?after={}", rest["next_after"])).await;
        assert_eq!((idle["items"].as_array().map(Vec::len), idle["next_after"].clone()), (Some(0), rest["next_after"].clone()));
        assert_eq!(app.get_json("/api/v1/tier-events?track=gazelle").await["items"].as_array().map(Vec::len), Some(0));
        assert_eq!(app.get_json("/api/v1/tier-events?kind=entered&from=2025-06-30&to=2025-06-30").await["items"].as_array().map(Vec::len), Some(3));
        assert_problem(app.get("/api/v1/tier-events?kind=born").await, 422, Some("kind")).await;
        assert_problem(app.get("/api/v1/tier-events?from=2025-13-01").await, 422, Some("from")).await;
    }

    async fn an_assessment_explains_every_tier_with_the_gap(app) {
        let id = firm_id(&app, &young_tech_firm("320411MA1N00015")).await;
        app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-01-15", 90_000_000, "CNY")).await;
        let assessment = app.get_json(&format!("/api/v1/firms/{id}/assessment")).await;
        assert_eq!(assessment["rule_set"]["id"], "changzhou-default");
        assert_eq!(assessment["data_year"], 2024);
        let unicorn = assessment["tracks"].as_array().expect("tracks").iter()
            .find(|t| t["track"] == "unicorn").expect("unicorn track").clone();
        assert_eq!(unicorn["tier"], Value::Null);
        let text = unicorn.to_string();
        assert!(text.contains("10,000,000"), "the ¥10,000,000 gap to the seed threshold is stated: {text}");

        let before_rules = app.get(&format!("/api/v1/firms/{id}/assessment?as_of=2020-01-01")).await;
        assert_problem(before_rules, 422, Some("as_of")).await;
        assert_problem(app.get(&format!("/api/v1/firms/{id}/assessment?as_of=2025-02-30")).await, 422, Some("as_of")).await;
    }
}

on_both_backends! {
    async fn a_rule_file_with_a_nul_or_a_bad_origin_is_refused_cleanly(app) {
        let with_nul = json!({"rules": "id = \"x\u{0}\"", "origin": "x.toml"});
        assert_problem(app.admin_post_json("/api/v1/rulesets", &with_nul).await, 422, Some("rules")).await;
        let bad_origin = json!({"rules": stricter_default(), "origin": "v2\u{0}.toml"});
        assert_problem(app.admin_post_json("/api/v1/rulesets", &bad_origin).await, 422, Some("origin")).await;
        assert_eq!(app.get_json("/api/v1/rulesets").await["items"].as_array().map(Vec::len), Some(1));
    }
}
