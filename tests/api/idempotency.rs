//! Idempotency-Key: a retried create happens once.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, firm_body, round};
use crate::on_both_backends;

async fn post_with_key(app: &TestApp, path: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("sent")
}

on_both_backends! {
    async fn a_retried_registration_with_the_same_key_returns_the_same_firm(app) {
        let first = post_with_key(&app, "/api/v1/firms", "3f1c-retry-1", &firm_body()).await;
        assert_eq!(first.status(), 201);
        let location = first.headers()["location"].clone();
        let second = post_with_key(&app, "/api/v1/firms", "3f1c-retry-1", &firm_body()).await;
        assert_eq!(second.status(), 201, "a replay answers like the original");
        assert_eq!(second.headers()["location"], location);
        assert_eq!(second.headers()["idempotent-replayed"], "true");
        assert_eq!(app.firm_count().await, 1);
        // Without the key the same body is an ordinary duplicate.
        assert_problem(app.post_json("/api/v1/firms", &firm_body()).await, 409, Some("uscc")).await;
    }

    async fn a_key_reused_with_another_body_is_refused(app) {
        assert_eq!(post_with_key(&app, "/api/v1/firms", "k-2", &firm_body()).await.status(), 201);
        let mut other = firm_body();
        other["name"] = json!("另一家公司");
        let response = post_with_key(&app, "/api/v1/firms", "k-2", &other).await;
        assert_problem(response, 422, Some("Idempotency-Key")).await;
        let bad = post_with_key(&app, "/api/v1/firms", "   ", &firm_body()).await;
        assert_problem(bad, 400, None).await;
    }

    async fn concurrent_retries_with_one_key_create_one_firm(app) {
        let body = firm_body();
        let requests = (0..8).map(|_| post_with_key(&app, "/api/v1/firms", "burst-key", &body));
        let responses = futures_util::future::join_all(requests).await;
        let mut locations = Vec::new();
        for response in responses {
            assert_eq!(response.status(), 201);
            locations.push(response.headers()["location"].to_str().expect("ascii").to_owned());
        }
        locations.dedup();
        assert_eq!(locations.len(), 1, "{locations:?}");
        assert_eq!(app.firm_count().await, 1);
    }

    async fn a_retried_financing_round_is_recorded_once(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/financings");
        let body = round("2024-01-15", 150_000_000, "CNY");
        let a: Value = post_with_key(&app, &path, "round-1", &body).await.json().await.expect("json");
        let b: Value = post_with_key(&app, &path, "round-1", &body).await.json().await.expect("json");
        assert_eq!(a["id"], b["id"]);
        assert_eq!(app.get_json(&path).await["items"].as_array().map(Vec::len), Some(1));
    }
}
