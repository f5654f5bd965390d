use serde_json::json;

use crate::helpers::{assert_problem, firm_body, uscc};
use crate::on_both_backends;

on_both_backends! {
    async fn a_registered_firm_reads_back_identically_with_location_and_etag(app) {
        let response = app.post_json("/api/v1/firms", &firm_body()).await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().expect("ascii").to_owned();
        assert_eq!(response.headers()["etag"], "\"1\"");
        let created: serde_json::Value = response.json().await.expect("json");
        assert_eq!(location, format!("/api/v1/firms/{}", created["id"].as_str().expect("id")));

        let read = app.get(&location).await;
        assert_eq!(read.headers()["etag"], "\"1\"");
        let read: serde_json::Value = read.json().await.expect("json");
        assert_eq!(read, created);
        assert_eq!(read["uscc"], "91320481703625269H");
        assert_eq!(read["name"], "江苏上上电缆集团有限公司");
        assert_eq!(read["status"], "active");
        assert_eq!(read["credit_ok"], serde_json::Value::Null, "unknown facts stay unknown");
    }

    async fn an_invalid_uscc_is_refused_naming_uscc_and_nothing_is_written(app) {
        let mut body = firm_body();
        body["uscc"] = json!("91320481703625269A");
        let problem = assert_problem(app.post_json("/api/v1/firms", &body).await, 422, Some("uscc")).await;
        assert_eq!(problem["errors"][0]["code"], "invalid_check_character");
        assert_eq!(app.firm_count().await, 0);
    }

    async fn every_bad_field_is_reported_at_once(app) {
        let body = json!({
            "uscc": "91320481703625269H",
            "name": "",
            "region_code": "320405",
            "industry_code": "C01",
            "founded_on": "2023-02-29",
            "status": "closed"
        });
        let problem = assert_problem(app.post_json("/api/v1/firms", &body).await, 422, None).await;
        let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter()
            .filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["name", "region_code", "industry_code", "founded_on", "status"]);
        assert_eq!(app.firm_count().await, 0);
    }

    async fn a_uscc_registered_in_another_form_is_a_conflict(app) {
        app.register(&firm_body()).await;
        for variant in ["91320481703625269h", "９１３２０４８１７０３６２５２６９Ｈ", " 91320481703625269H "] {
            let mut body = firm_body();
            body["uscc"] = json!(variant);
            body["name"] = json!("另一家公司");
            assert_problem(app.post_json("/api/v1/firms", &body).await, 409, Some("uscc")).await;
        }
        assert_eq!(app.firm_count().await, 1);
    }

    async fn clients_cannot_set_id_version_or_tier(app) {
        for (field, value) in [("id", json!("0190b5d4-0000-7000-8000-000000000000")), ("version", json!(7)), ("tier", json!("unicorn"))] {
            let mut body = firm_body();
            body[field] = value;
            let problem = assert_problem(app.post_json("/api/v1/firms", &body).await, 422, Some(field)).await;
            assert_eq!(problem["errors"][0]["code"], "unknown_field", "{field}");
        }
        assert_eq!(app.firm_count().await, 0);
    }

    async fn names_in_rare_characters_and_decomposed_forms_round_trip_exactly(app) {
        let names = ["𠀀𠀁科技（常州）有限公司", "Cafe\u{301} 常州 Ltd", "O'Brien & <Partners> \"常州\""];
        for (i, name) in names.iter().enumerate() {
            let mut body = firm_body();
            body["uscc"] = json!(uscc(&format!("320411MA1MX000{i}")));
            body["name"] = json!(name);
            let firm = app.register(&body).await;
            let read = app.get_json(&format!("/api/v1/firms/{}", firm["id"].as_str().expect("id"))).await;
            assert_eq!(read["name"], json!(name));
        }
    }

    async fn control_bidi_and_replacement_characters_in_names_are_refused(app) {
        for name in ["常州\u{0}公司", "常州\n公司", "常州\u{202E}公司", "常州\u{FFFD}公司", "常州\u{200B}公司"] {
            let mut body = firm_body();
            body["name"] = json!(name);
            assert_problem(app.post_json("/api/v1/firms", &body).await, 422, Some("name")).await;
        }
        let mut body = firm_body();
        body["name"] = json!("长".repeat(10_000));
        assert_problem(app.post_json("/api/v1/firms", &body).await, 422, Some("name")).await;
        assert_eq!(app.firm_count().await, 0);
    }

    async fn dates_in_the_future_before_1900_or_malformed_are_refused(app) {
        // The test clock says 2025-06-30 in Beijing.
        for (field, value) in [
            ("founded_on", "2025-07-01"), ("founded_on", "1899-12-31"), ("founded_on", "2025-6-1"),
            ("founded_on", "2024-01-01T00:00:00Z"), ("listed_on", "1990-01-01"),
        ] {
            let mut body = firm_body();
            body[field] = json!(value);
            assert_problem(app.post_json("/api/v1/firms", &body).await, 422, Some(field)).await;
        }
        let mut body = firm_body();
        body["founded_on"] = json!("2025-06-30");
        app.register(&body).await;
    }

    async fn an_unknown_or_malformed_firm_id_is_not_found(app) {
        assert_problem(app.get("/api/v1/firms/0190b5d4-0000-7000-8000-000000000000").await, 404, None).await;
        assert_problem(app.get("/api/v1/firms/not-a-uuid").await, 404, None).await;
    }

    async fn if_none_match_with_the_current_etag_answers_304(app) {
        let firm = app.register(&firm_body()).await;
        let url = app.url(&format!("/api/v1/firms/{}", firm["id"].as_str().expect("id")));
        let response = app.client.get(&url).header("If-None-Match", "\"1\"").send().await.expect("sent");
        assert_eq!(response.status(), 304);
        let response = app.client.get(&url).header("If-None-Match", "\"2\"").send().await.expect("sent");
        assert_eq!(response.status(), 200);
    }
}
