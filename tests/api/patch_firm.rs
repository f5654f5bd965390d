use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, firm_body, uscc};
use crate::on_both_backends;

async fn patch(app: &TestApp, id: &str, if_match: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app
        .client
        .patch(app.url(&format!("/api/v1/firms/{id}")))
        .json(body);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.send().await.expect("sent")
}

on_both_backends! {
    async fn an_edit_without_if_match_is_428_and_changes_nothing(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        assert_problem(patch(&app, id, None, &json!({"name": "新名称"})).await, 428, None).await;
        assert_eq!(app.get_json(&format!("/api/v1/firms/{id}")).await, firm);
    }

    async fn an_edit_of_a_stale_version_is_412_and_changes_nothing(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let first = patch(&app, id, Some("\"1\""), &json!({"credit_ok": true})).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["etag"], "\"2\"");
        let second = patch(&app, id, Some("\"1\""), &json!({"name": "另一个名称"})).await;
        assert_problem(second, 412, None).await;
        let now = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(now["name"], firm["name"]);
        assert_eq!(now["credit_ok"], true);
        assert_eq!(now["version"], 2);
    }

    async fn an_edit_that_changes_nothing_keeps_the_version(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let response = patch(&app, id, Some("\"1\""), &json!({"name": firm["name"]})).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["etag"], "\"1\"");
    }

    async fn null_clears_an_optional_field_and_absent_fields_stay(app) {
        let mut body = firm_body();
        body["listed_on"] = json!("2010-06-01");
        body["tech_firm"] = json!(true);
        let firm = app.register(&body).await;
        let id = firm["id"].as_str().expect("id");
        let edited: Value = patch(&app, id, Some("*"), &json!({"listed_on": null})).await.json().await.expect("json");
        assert_eq!(edited["listed_on"], Value::Null);
        assert_eq!(edited["tech_firm"], true);
        assert_eq!(edited["version"], 2);
    }

    async fn deregistration_is_a_status_change_and_the_firm_stays_readable(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let edited: Value = patch(&app, id, Some("\"1\""), &json!({"status": "deregistered"})).await.json().await.expect("json");
        assert_eq!(edited["status"], "deregistered");
        assert_eq!(app.get_json(&format!("/api/v1/firms/{id}")).await["status"], "deregistered");
    }

    async fn an_edit_to_another_firms_uscc_is_a_conflict(app) {
        app.register(&firm_body()).await;
        let mut other = firm_body();
        other["uscc"] = json!(uscc("320411MA1MX0001"));
        let other = app.register(&other).await;
        let id = other["id"].as_str().expect("id");
        assert_problem(patch(&app, id, Some("\"1\""), &json!({"uscc": "91320481703625269h"})).await, 409, Some("uscc")).await;
    }

    async fn an_edit_with_a_bad_field_or_unknown_field_is_422(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        assert_problem(patch(&app, id, Some("\"1\""), &json!({"region_code": "320499"})).await, 422, Some("region_code")).await;
        assert_problem(patch(&app, id, Some("\"1\""), &json!({"version": 9})).await, 422, Some("version")).await;
        assert_problem(patch(&app, id, Some("\"1\""), &json!({"listed_on": "1990-01-01"})).await, 422, Some("listed_on")).await;
        assert_eq!(app.get_json(&format!("/api/v1/firms/{id}")).await, firm);
    }
}
