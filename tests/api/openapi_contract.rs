//! The OpenAPI document states the limits the server enforces, so generated clients and
//! `scripts/contract-test.sh` can rely on it: what the schema calls valid is accepted.

use serde_json::Value;

use crate::helpers::firm_body;
use crate::on_both_backends;

fn param<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
}

on_both_backends! {
    async fn the_openapi_document_states_the_ranges_and_formats_the_server_enforces(app) {
        let doc = app.get_json("/api/v1/openapi.json").await;
        let schemas = &doc["components"]["schemas"];
        let year = &schemas["YearInput"]["properties"];
        assert_eq!(year["revenue"]["minimum"], 0);
        assert_eq!(year["revenue"]["maximum"], 10_000_000_000_000_i64);
        assert_eq!(year["net_assets"]["minimum"], -10_000_000_000_000_i64);
        assert_eq!(year["employees"]["maximum"], 10_000_000);
        assert_eq!(year["innovation_score"]["maximum"], 100);
        assert_eq!(year["fiscal_year"]["minimum"], 1900);
        let firm = &schemas["FirmInput"]["properties"];
        let uscc = firm["uscc"]["pattern"].as_str().expect("a USCC pattern");
        // The server normalises lower case and full-width input, so the pattern admits them.
        assert!(uscc.contains("a-hj-np-rtuw-y") && uscc.contains('９'), "{uscc}");
        assert_eq!(firm["founded_on"]["format"], "date");
        assert_eq!(firm["name"]["maxLength"], 200);
        // Required fields can be left out of a PATCH but not set to null.
        assert_eq!(schemas["FirmPatch"]["properties"]["uscc"]["type"], "string");
        assert_eq!(param(&doc, "/api/v1/targets", "get", "year")["maximum"], 2100);
        assert_eq!(param(&doc, "/api/v1/firms", "get", "limit")["maximum"], 200);
        assert!(param(&doc, "/api/v1/firms", "post", "Idempotency-Key")["pattern"].is_string());
        assert!(param(&doc, "/api/v1/tier-counts", "get", "group_by")["pattern"].is_string());
    }

    async fn a_lower_case_padded_uscc_the_pattern_admits_is_registered_in_normal_form(app) {
        let mut body = firm_body();
        body["uscc"] = " 91320481703625269h ".into();
        let response = app.post_json("/api/v1/firms", &body).await;
        assert_eq!(response.status(), 201);
        let firm: Value = response.json().await.expect("json");
        assert_eq!(firm["uscc"], "91320481703625269H");
    }
}
