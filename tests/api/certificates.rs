use serde_json::{Value, json};

use crate::helpers::{assert_problem, firm_body};
use crate::on_both_backends;

on_both_backends! {
    async fn a_certificate_expires_three_years_after_issue_less_a_day_by_default(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/certificates");
        let body = json!({"kind": "high_tech", "number": "GR202332001234", "issued_on": "2023-12-08"});
        let created = app.post_json(&path, &body).await;
        assert_eq!(created.status(), 201);
        let created: Value = created.json().await.expect("json");
        assert_eq!(created["expires_on"], "2026-12-07");
        let listed = app.get_json(&path).await;
        assert_eq!(listed["items"][0]["number"], "GR202332001234");
    }

    async fn a_certificate_number_recorded_twice_is_a_conflict(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/certificates");
        let body = json!({"kind": "high_tech", "number": "GR202332001234", "issued_on": "2023-12-08"});
        assert_eq!(app.post_json(&path, &body).await.status(), 201);
        assert_problem(app.post_json(&path, &body).await, 409, Some("number")).await;
        assert_eq!(app.get_json(&path).await["items"].as_array().expect("items").len(), 1);
    }

    async fn bad_certificates_are_refused_by_name(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/certificates");
        for (body, field) in [
            (json!({"kind": "iso9001", "number": "X1", "issued_on": "2023-12-08"}), "kind"),
            (json!({"kind": "high_tech", "number": "X1", "issued_on": "2025-07-01"}), "issued_on"),
            (json!({"kind": "high_tech", "number": "X1", "issued_on": "2023-12-08", "expires_on": "2023-12-07"}), "expires_on"),
            (json!({"kind": "high_tech", "issued_on": "2023-12-08"}), "number"),
        ] {
            assert_problem(app.post_json(&path, &body).await, 422, Some(field)).await;
        }
    }
}
