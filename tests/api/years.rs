use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, firm_body};
use crate::on_both_backends;

async fn put_if_match(app: &TestApp, path: &str, tag: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .header("If-Match", tag)
        .json(body)
        .send()
        .await
        .expect("sent")
}

fn etag(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn firm(app: &TestApp) -> String {
    app.register(&firm_body()).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn year() -> Value {
    json!({
        "revenue": 250_000_000, "rd_expense": 9_000_000, "rd_expense_domestic": 8_000_000,
        "high_tech_revenue": 180_000_000, "total_assets": 400_000_000, "net_assets": 150_000_000,
        "employees": 320, "tech_staff": 60, "ip_class1": 4, "ip_class2": 12, "innovation_score": 78
    })
}

on_both_backends! {
    async fn a_year_is_created_then_replaced_and_listed(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        let created = app.put_json(&path, &year()).await;
        assert_eq!(created.status(), 201);
        let created: Value = created.json().await.expect("json");
        assert_eq!(created["fiscal_year"], 2024);
        assert_eq!(created["revenue"], 250_000_000);

        let replaced = put_if_match(&app, &path, "\"1\"", &json!({"revenue": 260_000_000})).await;
        assert_eq!(replaced.status(), 200);
        let listed = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        assert_eq!(listed["items"].as_array().expect("items").len(), 1);
        assert_eq!(listed["items"][0]["revenue"], 260_000_000);
        assert_eq!(listed["items"][0]["employees"], Value::Null, "a replaced year drops figures not sent: missing is not zero");
    }

    async fn negative_or_inconsistent_figures_are_refused_by_name_and_nothing_is_written(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        for (body, field) in [
            (json!({"revenue": -1}), "revenue"),
            (json!({"employees": -5}), "employees"),
            (json!({"revenue": 10, "high_tech_revenue": 11}), "high_tech_revenue"),
            (json!({"rd_expense": 10, "rd_expense_domestic": 11}), "rd_expense_domestic"),
            (json!({"employees": 10, "tech_staff": 11}), "tech_staff"),
            (json!({"innovation_score": 101}), "innovation_score"),
            (json!({"revenue": 1.0}), "revenue"),
            (json!({"revenue": "1"}), "revenue"),
            (json!({"revenue": true}), "revenue"),
            (json!({"fiscal_year": 2023}), "fiscal_year"),
        ] {
            assert_problem(app.put_json(&path, &body).await, 422, Some(field)).await;
        }
        let overflow = app.client.put(app.url(&path)).header("content-type", "application/json")
            .body(r#"{"revenue": 99999999999999999999}"#).send().await.expect("sent");
        assert!(overflow.status() == 422 || overflow.status() == 400, "{}", overflow.status());
        let listed = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        assert!(listed["items"].as_array().expect("items").is_empty());
    }

    async fn years_before_founding_or_after_this_year_are_refused(app) {
        let id = firm(&app).await;
        for y in ["1993", "2026", "0"] {
            assert_problem(app.put_json(&format!("/api/v1/firms/{id}/years/{y}"), &year()).await, 422, Some("fiscal_year")).await;
        }
    }

    async fn figures_of_an_unknown_firm_are_404(app) {
        let path = "/api/v1/firms/0190b5d4-0000-7000-8000-000000000000/years/2024";
        assert_problem(app.put_json(path, &year()).await, 404, None).await;
        assert_problem(app.get("/api/v1/firms/0190b5d4-0000-7000-8000-000000000000/years").await, 404, None).await;
    }

    async fn a_stored_year_is_read_with_its_version_as_etag(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        let created = app.put_json(&path, &year()).await;
        assert_eq!(created.status(), 201);
        assert_eq!(etag(&created), "\"1\"");
        let read = app.get(&path).await;
        assert_eq!(read.status(), 200);
        assert_eq!(etag(&read), "\"1\"");
        let body: Value = read.json().await.expect("json");
        assert_eq!(body["revenue"], 250_000_000);
        assert_eq!(body["version"], 1);
        let cached = app.client.get(app.url(&path)).header("If-None-Match", "\"1\"").send().await.expect("sent");
        assert_eq!(cached.status(), 304);
        assert_problem(app.get(&format!("/api/v1/firms/{id}/years/2023")).await, 404, None).await;
        let listed = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        assert_eq!(listed["items"][0]["version"], 1);
    }

    async fn replacing_a_stored_year_needs_the_version_read_and_a_stale_one_is_refused(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        assert_eq!(app.put_json(&path, &year()).await.status(), 201, "creating needs no If-Match");
        assert_problem(app.put_json(&path, &json!({"revenue": 1})).await, 428, None).await;
        let first = put_if_match(&app, &path, "\"1\"", &json!({"revenue": 260_000_000})).await;
        assert_eq!(first.status(), 200);
        assert_eq!(etag(&first), "\"2\"");
        // A second clerk who read version 1 loses nothing silently: 412, nothing written.
        assert_problem(put_if_match(&app, &path, "\"1\"", &json!({"revenue": 5})).await, 412, None).await;
        let stored: Value = app.get_json(&path).await;
        assert_eq!(stored["revenue"], 260_000_000);
        assert_eq!(stored["version"], 2);
        assert_eq!(put_if_match(&app, &path, "*", &json!({"revenue": 7})).await.status(), 200);
    }

    async fn if_none_match_star_creates_a_year_only_when_it_is_not_stored(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        let create = |body: Value| {
            let (client, url) = (app.client.clone(), app.url(&path));
            async move { client.put(url).header("If-None-Match", "*").json(&body).send().await.expect("sent") }
        };
        assert_eq!(create(year()).await.status(), 201);
        assert_problem(create(json!({"revenue": 1})).await, 412, None).await;
        // If-Match names a version of a year that is not stored.
        let other = format!("/api/v1/firms/{id}/years/2023");
        assert_problem(put_if_match(&app, &other, "\"1\"", &year()).await, 412, None).await;
        assert_eq!(app.get_json(&path).await["revenue"], 250_000_000);
    }
}
