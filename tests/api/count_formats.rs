//! CSV and conditional requests on counts and flows.

use serde_json::json;

use crate::helpers::{TestApp, round, young_tech_firm};
use crate::on_both_backends;

/// The default rule set as version 2 with tier labels that a spreadsheet would run.
fn rules_with_formula_labels() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules/default.toml"
    ))
    .expect("default rules")
    .replacen("version = 2", "version = 3", 1)
    .replacen(
        "label_zh = \"种子独角兽\"",
        "label_zh = \"=HYPERLINK(\\\"http://x\\\",\\\"点击\\\")\"",
        1,
    )
    .replacen("label_en = \"Seed unicorn\"", "label_en = \"@SUM(1+1)\"", 1)
}

async fn get_with(app: &TestApp, path: &str, header: (&str, &str)) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(header.0, header.1)
        .send()
        .await
        .expect("sent")
}

fn etag(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned()
}

on_both_backends! {
    async fn csv_cells_that_would_run_as_formulas_are_neutralised(app) {
        let published = app.admin_post_json("/api/v1/rulesets", &json!({"rules": rules_with_formula_labels()})).await;
        assert_eq!(published.status(), 201);
        let response = get_with(&app, "/api/v1/tier-counts", ("Accept", "text/csv")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/csv; charset=utf-8"));
        let body = response.text().await.expect("text");
        let body = body.trim_start_matches('\u{FEFF}');
        assert!(body.starts_with("as_of,kind,track,tier,label_zh,label_en,group,firms\n"), "{body}");
        assert!(body.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\""), "{body}");
        assert!(body.contains(",'@SUM(1+1),"), "{body}");
        assert!(!body.contains(",=") && !body.contains(",@"), "no cell starts a formula: {body}");

        let flows = app.get("/api/v1/tier-flows?format=csv").await;
        assert_eq!(flows.status(), 200);
        let text = flows.text().await.expect("text");
        assert!(text.contains("'@SUM(1+1)") && text.contains("opening,entered,promoted_in"), "{text}");
        let json = app.get("/api/v1/tier-counts?format=json").await;
        assert_eq!(json.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    }

    async fn a_matching_if_none_match_gets_304_until_the_counts_change(app) {
        let first = app.get("/api/v1/tier-counts?group_by=region").await;
        let tag = etag(&first);
        let again = get_with(&app, "/api/v1/tier-counts?group_by=region", ("If-None-Match", &tag)).await;
        assert_eq!(again.status(), 304);
        assert_eq!(etag(&again), tag);
        let csv = app.get("/api/v1/tier-counts?group_by=region&format=csv").await;
        assert_ne!(etag(&csv), tag, "each representation has its own tag");

        let firm = app.register(&young_tech_firm("320411MA1T00001")).await;
        let id = firm["id"].as_str().expect("id").to_owned();
        app.post_json(&format!("/api/v1/firms/{id}/financings"), &round("2024-01-15", 150_000_000, "CNY")).await;
        let after_event = get_with(&app, "/api/v1/tier-counts?group_by=region", ("If-None-Match", &tag)).await;
        assert_eq!(after_event.status(), 200, "a ledger event changes the counts");
        let tag = etag(&after_event);

        // A district move of a tier holder is a `moved` event: the counts by district change.
        let moved = app.client.patch(app.url(&format!("/api/v1/firms/{id}"))).header("If-Match", "*")
            .json(&json!({"region_code": "320412"})).send().await.expect("sent");
        assert_eq!(moved.status(), 200);
        let after_move = get_with(&app, "/api/v1/tier-counts?group_by=region", ("If-None-Match", &tag)).await;
        assert_eq!(after_move.status(), 200, "a district move changes the counts by district");

        let flows = app.get("/api/v1/tier-flows").await;
        let flow_tag = etag(&flows);
        let cached = get_with(&app, "/api/v1/tier-flows", ("If-None-Match", &format!("\"x\", W/{flow_tag}"))).await;
        assert_eq!(cached.status(), 304);
    }

    async fn the_targets_tag_follows_facts_that_change_no_tier_and_the_counts_tag_does_not(app) {
        let firm = app.register(&young_tech_firm("320411MA1T00002")).await;
        let id = firm["id"].as_str().expect("id").to_owned();
        let targets = app.get("/api/v1/targets?year=2024").await;
        assert_eq!(targets.status(), 200);
        let targets_tag = etag(&targets);
        let counts_tag = etag(&app.get("/api/v1/tier-counts").await);
        assert_eq!(get_with(&app, "/api/v1/targets?year=2024", ("If-None-Match", &targets_tag)).await.status(), 304);

        // A new name changes no tier (no ledger event) but is a fact the near-miss lists show.
        let renamed = app.client.patch(app.url(&format!("/api/v1/firms/{id}"))).header("If-Match", "*")
            .json(&json!({"name": "常州星河智能装备有限公司"})).send().await.expect("sent");
        assert_eq!(renamed.status(), 200);
        assert_eq!(get_with(&app, "/api/v1/tier-counts", ("If-None-Match", &counts_tag)).await.status(), 304,
            "no count changed");
        let after = get_with(&app, "/api/v1/targets?year=2024", ("If-None-Match", &targets_tag)).await;
        assert_eq!(after.status(), 200, "the targets' near misses may name the firm");
        assert_ne!(etag(&after), targets_tag);
    }

    async fn the_openapi_document_describes_counts_flows_and_targets_with_csv(app) {
        let doc = app.get_json("/api/v1/openapi.json").await;
        for path in ["/api/v1/tier-counts", "/api/v1/tier-flows", "/api/v1/targets"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path} is described");
        }
        let ok = &doc["paths"]["/api/v1/tier-counts"]["get"]["responses"]["200"]["content"];
        assert!(ok["text/csv"].is_object() && ok["application/json"].is_object(), "{ok}");
        assert!(doc["paths"]["/api/v1/tier-flows"]["get"]["responses"]["304"].is_object());
    }
}
