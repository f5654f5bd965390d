//! Days recorded in order: a server that starts weeks after its last daily pass, writes that
//! arrive before the passes have caught up, a clock behind the ledger, and how the lag shows.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, round, uscc, young_tech_firm};
use crate::history::{all_events, replay};
use crate::on_both_backends;

/// A young firm whose round makes it a seed unicorn, and a certificate valid to 2025-07-10
/// (issued 2022-07-11), so time passing has a lapse to record on 2025-07-11.
async fn seed_unicorn_with_a_lapsing_certificate(
    app: &crate::helpers::TestApp,
    body: &str,
) -> String {
    let firm = app.register(&young_tech_firm(body)).await;
    let id = firm["id"].as_str().expect("id").to_owned();
    let response = app
        .post_json(
            &format!("/api/v1/firms/{id}/financings"),
            &round("2025-01-15", 150_000_000, "CNY"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let cert =
        json!({"kind": "high_tech", "number": format!("GR2022{body}"), "issued_on": "2022-07-11"});
    let response = app
        .post_json(&format!("/api/v1/firms/{id}/certificates"), &cert)
        .await;
    assert_eq!(response.status(), 201);
    id
}

fn tier_count(body: &Value, tier: &str) -> i64 {
    body["tiers"]
        .as_array()
        .and_then(|t| t.iter().find(|x| x["tier"] == tier))
        .and_then(|x| x["firms"].as_i64())
        .unwrap_or(0)
}

on_both_backends! {
    async fn a_write_weeks_after_the_last_pass_first_records_the_missing_days_in_order(app) {
        let id = seed_unicorn_with_a_lapsing_certificate(&app, "320411MA1T00001").await;
        // The server was down for a month: no daily pass ran.
        app.clock.advance(TimeDelta::days(30));

        // The first write of the restarted server: another round for the same firm.
        let response = app
            .post_json(&format!("/api/v1/firms/{id}/financings"), &round("2025-07-20", 160_000_000, "CNY"))
            .await;
        assert_eq!(response.status(), 201, "the write waits for the catch-up, then succeeds");

        // The certificate lapsed on 2025-07-11 and is recorded that day, before the write.
        let events = all_events(&app).await;
        let lapse = events
            .iter()
            .find(|e| e["cause"] == "time_passed")
            .expect("the lapse is recorded");
        assert_eq!(lapse["effective_on"], "2025-07-11");
        let days: Vec<&str> = events.iter().filter_map(|e| e["effective_on"].as_str()).collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "the feed is in day order: {days:?}");

        // As-of counts for every day of the month equal the replay; no firm counted twice.
        let mut day = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("a day");
        while day <= app.clock.today() {
            let body = app.get_json(&format!("/api/v1/tier-counts?as_of={day}")).await;
            let replayed = replay(&events, day);
            for tier in ["seed_unicorn", "high_tech"] {
                assert_eq!(
                    tier_count(&body, tier),
                    replayed.get(tier).copied().unwrap_or(0),
                    "{tier} as of {day}"
                );
            }
            day = day.succ_opt().expect("a day");
        }
        assert_eq!(tier_count(&app.get_json("/api/v1/tier-counts").await, "high_tech"), 0);
        assert_eq!(tier_count(&app.get_json("/api/v1/tier-counts").await, "seed_unicorn"), 1);

        // The daily job still runs afterwards: nothing is wedged.
        let today = app.clock.today();
        app.registry.time().pass(today, "test", &|_| {}).expect("the pass runs");
    }

    async fn readiness_reports_time_passing_behind_until_the_days_are_recorded(app) {
        seed_unicorn_with_a_lapsing_certificate(&app, "320411MA1T00002").await;
        let ready = app.get_json("/readyz").await;
        assert_eq!(ready["time_passing"]["state"], "current", "{ready}");

        app.clock.advance(TimeDelta::days(5));
        let ready = app.get_json("/readyz").await;
        assert_eq!(ready["time_passing"]["state"], "behind", "{ready}");
        assert_eq!(ready["time_passing"]["lag_days"], 5, "{ready}");
        // The metrics recorder is one per process, shared by the tests running beside this one,
        // so only the gauge's presence is checked here; the value is the readiness answer's.
        let metrics = app.get("/metrics").await.text().await.expect("metrics");
        assert!(metrics.contains("time_passing_lag_days "), "{metrics}");

        // A write brings the passes up to yesterday first.
        app.register(&json!({
            "uscc": uscc("320411MA1T00003"), "name": "常州补记科技有限公司", "region_code": "320402",
            "industry_code": "C38", "founded_on": "2020-01-01"
        })).await;
        let ready = app.get_json("/readyz").await;
        assert_eq!(ready["time_passing"]["state"], "current", "{ready}");
        assert_eq!(ready["time_passing"]["lag_days"], 1, "{ready}");
    }

    async fn a_write_dated_before_days_already_recorded_is_refused_and_writes_nothing(app) {
        let id = seed_unicorn_with_a_lapsing_certificate(&app, "320411MA1T00004").await;
        app.clock.advance(TimeDelta::days(3));
        app.registry.time().pass(app.clock.today(), "test", &|_| {}).expect("passes");
        let before = all_events(&app).await.len();

        // The server's clock is set back two days (a wrong NTP step, a restored VM).
        app.clock.advance(TimeDelta::days(-2));
        let response = app
            .post_json(&format!("/api/v1/firms/{id}/financings"), &round("2025-06-01", 900_000_000, "CNY"))
            .await;
        assert!(response.headers().contains_key("retry-after"), "{:?}", response.headers());
        assert_problem(response, 503, None).await;
        assert_eq!(all_events(&app).await.len(), before, "nothing was recorded");
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().map(Vec::len), Some(1), "the round was not stored");

        // Once the clock is right again, the same write goes through.
        app.clock.advance(TimeDelta::days(2));
        let response = app
            .post_json(&format!("/api/v1/firms/{id}/financings"), &round("2025-06-01", 900_000_000, "CNY"))
            .await;
        assert_eq!(response.status(), 201);
    }

    async fn a_district_move_is_in_the_feed_so_district_counts_replay_exactly(app) {
        let id = seed_unicorn_with_a_lapsing_certificate(&app, "320411MA1T00005").await;
        let firm = app.get(&format!("/api/v1/firms/{id}")).await;
        let etag = firm.headers()["etag"].to_str().expect("etag").to_owned();
        let response = app
            .client
            .patch(app.url(&format!("/api/v1/firms/{id}")))
            .header("if-match", etag)
            .json(&json!({"region_code": "320412"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);

        let moved: Vec<Value> = app
            .get_json("/api/v1/tier-events?after=0&kind=moved")
            .await["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(moved.len(), 2, "one per tier held: seed unicorn and high-tech: {moved:?}");
        for e in &moved {
            assert_eq!(e["from_tier"], e["to_tier"]);
            assert_eq!(e["region_code"], "320412");
        }
        let counts = app.get_json("/api/v1/tier-counts?group_by=region").await;
        let seed = counts["tiers"].as_array().and_then(|t| t.iter().find(|x| x["tier"] == "seed_unicorn")).expect("seed");
        let groups: Vec<(&str, i64)> = seed["groups"].as_array().expect("groups").iter()
            .filter(|g| g["firms"].as_i64() != Some(0))
            .map(|g| (g["key"].as_str().unwrap_or(""), g["firms"].as_i64().unwrap_or(0)))
            .collect();
        assert_eq!(groups, vec![("320412", 1)]);
        // Flows still treat a move as a move, not an exit and an entry.
        let flows = app.get_json("/api/v1/tier-flows?from=2025-06-30&to=2025-06-30").await;
        let seed = flows["tiers"].as_array().and_then(|t| t.iter().find(|x| x["tier"] == "seed_unicorn")).expect("seed");
        assert_eq!(seed["entered"], 1, "{seed}");
        assert_eq!(seed["exited"], 0, "{seed}");
    }
}
