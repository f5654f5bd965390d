//! Tier-count series: each point equals the as-of counts at its end, each net change is the
//! difference from the day before it began; bad periods are refused naming the field.

use serde_json::Value;

use crate::helpers::{Backend, assert_problem, spawn_app_with};
use crate::history::{generate, snapshot_of};
use crate::on_both_backends;

fn value<'a>(point: &'a Value, tier: &str) -> &'a Value {
    point["tiers"]
        .as_array()
        .and_then(|tiers| tiers.iter().find(|t| t["id"] == tier))
        .unwrap_or_else(|| panic!("no tier {tier} in {point}"))
}

on_both_backends! {
    async fn every_point_equals_the_as_of_counts_at_its_end_and_nets_the_interval(app) {
        generate(&app, 0x5EED_0005).await;
        // Mid-month ends on both sides: the first and last points are clipped to the period.
        let series = app.get_json(
            "/api/v1/tier-counts/series?from=2025-04-15&to=2025-06-20&interval=month&group_by=region",
        ).await;
        assert_eq!(series["interval"], "month");
        let points = series["points"].as_array().expect("points");
        let spans: Vec<(&str, &str)> = points.iter()
            .map(|p| (p["start"].as_str().expect("start"), p["end"].as_str().expect("end")))
            .collect();
        assert_eq!(spans, [("2025-04-15", "2025-04-30"), ("2025-05-01", "2025-05-31"), ("2025-06-01", "2025-06-20")]);
        let mut before = app.get_json("/api/v1/tier-counts?as_of=2025-04-14&group_by=region").await;
        for point in points {
            let end = point["end"].as_str().expect("end");
            let counts = app.get_json(&format!("/api/v1/tier-counts?as_of={end}&group_by=region")).await;
            let mut nonzero_series = crate::history::Snapshot::new();
            for t in point["tiers"].as_array().expect("tiers") {
                let tier = t["id"].as_str().expect("id");
                nonzero_series.insert(tier.to_owned(), t["firms"].as_i64().expect("firms"));
                for g in t["groups"].as_array().expect("groups") {
                    if g["firms"] != 0 {
                        nonzero_series.insert(format!("{tier}@{}", g["key"].as_str().expect("key")), g["firms"].as_i64().expect("firms"));
                    }
                }
            }
            let expected: crate::history::Snapshot = snapshot_of(&counts).into_iter()
                .filter(|(k, v)| *v != 0 || !k.contains('@')).collect();
            assert_eq!(nonzero_series, expected, "the point ending {end} is the as-of count");
            for t in counts["tiers"].as_array().expect("tiers") {
                let tier = t["tier"].as_str().expect("tier");
                let opening = before["tiers"].as_array().and_then(|b| b.iter().find(|x| x["tier"] == tier))
                    .and_then(|x| x["firms"].as_i64()).unwrap_or(0);
                let v = value(point, tier);
                assert_eq!(v["net"].as_i64(), Some(t["firms"].as_i64().expect("firms") - opening), "net of {tier} to {end}");
                assert_eq!(
                    v["events_url"].as_str(),
                    Some(format!("/api/v1/tier-events?from={}&to={end}&track={}&tier={tier}",
                        point["start"].as_str().expect("start"), t["track"].as_str().expect("track")).as_str()),
                );
            }
            let family = &point["tier_groups"][0];
            assert_eq!(family["firms"], counts["tier_groups"][0]["firms"]);
            assert!(family["events_url"].is_null(), "a group of two tiers has no single event list");
            before = counts;
        }
        let last = &points[2];
        assert!(last["tiers"].as_array().expect("tiers").iter().any(|t| t["firms"] != 0), "the history left firms: {last}");
    }

    async fn the_default_series_is_twelve_months_to_today_and_tagged(app) {
        let response = app.get("/api/v1/tier-counts/series").await;
        assert_eq!(response.status(), 200);
        let tag = response.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["from"], "2024-07-01");
        assert_eq!(body["to"], "2025-06-30");
        assert_eq!(body["points"].as_array().map(Vec::len), Some(12));
        let quarters = app.get_json("/api/v1/tier-counts/series?from=2024-01-01&interval=quarter").await;
        assert_eq!(quarters["points"].as_array().map(Vec::len), Some(6));
        let again = app.client.get(app.url("/api/v1/tier-counts/series"))
            .header("If-None-Match", &tag).send().await.expect("sent");
        assert_eq!(again.status(), 304);
    }

    async fn bad_series_parameters_are_refused_naming_the_parameter(app) {
        let path = "/api/v1/tier-counts/series";
        assert_problem(app.get(&format!("{path}?from=2025-02-30")).await, 422, Some("from")).await;
        assert_problem(app.get(&format!("{path}?to=30.6.2025")).await, 422, Some("to")).await;
        assert_problem(app.get(&format!("{path}?from=2025-06-01&to=2025-05-01")).await, 422, Some("from")).await;
        assert_problem(app.get(&format!("{path}?to=2025-07-01")).await, 422, Some("to")).await;
        assert_problem(app.get(&format!("{path}?interval=week")).await, 422, Some("interval")).await;
        // Sixty points at most: five years by month is allowed, a day more is not.
        assert_eq!(app.get(&format!("{path}?from=2020-07-01&to=2025-06-30")).await.status(), 200);
        let body = assert_problem(app.get(&format!("{path}?from=2020-06-30&to=2025-06-30")).await, 422, Some("from")).await;
        assert!(body.to_string().contains("60"), "the cap is stated: {body}");
        assert_eq!(app.get(&format!("{path}?from=1990-01-01&interval=year")).await.status(), 200);
        assert_problem(app.get(&format!("{path}?group_by=tier")).await, 422, Some("group_by")).await;
        assert_problem(app.get(&format!("{path}?region=110101")).await, 422, Some("region")).await;
        assert_problem(app.get(&format!("{path}?limit=5")).await, 400, None).await;
    }
}

#[actix_web::test]
async fn the_series_needs_what_the_counts_need() {
    let closed = spawn_app_with(Backend::Sqlite, |_| {})
        .await
        .expect("SQLite");
    let path = "/api/v1/tier-counts/series";
    let anonymous = closed
        .anonymous()
        .get(closed.url(path))
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status(), 401);
    let viewer = closed.as_staff(tier_registry::domain::Role::Viewer);
    let seen = viewer.get(closed.url(path)).send().await.expect("sent");
    assert_eq!(seen.status(), 200);
    let open = spawn_app_with(Backend::Sqlite, |s| s.auth.public_counts = true)
        .await
        .expect("SQLite");
    let anonymous = open
        .anonymous()
        .get(open.url(path))
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status(), 200);
}
