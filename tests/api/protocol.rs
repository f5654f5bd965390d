//! HTTP behaviour every endpoint shares: media types, limits, methods, errors, probes.

use diesel::{Connection, RunQueryDsl, SqliteConnection};
use serde_json::Value;

use crate::helpers::{
    Backend, assert_problem, firm_body, spawn_app, spawn_app_with, spawn_postgres_app_with,
};
use crate::on_both_backends;

on_both_backends! {
    async fn a_body_that_is_not_json_is_415_and_writes_nothing(app) {
        for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("application/json; charset=utf-16")] {
            let mut request = app.client.post(app.url("/api/v1/firms")).body(firm_body().to_string());
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            assert_problem(request.send().await.expect("sent"), 415, None).await;
        }
        let gzip = app.client.post(app.url("/api/v1/firms"))
            .header("content-type", "application/json").header("content-encoding", "gzip")
            .body(vec![0x1f, 0x8b, 0x08, 0x00]).send().await.expect("sent");
        assert_problem(gzip, 415, None).await;
        assert_eq!(app.firm_count().await, 0);
    }

    async fn a_body_over_64_kib_is_413(app) {
        let mut body = firm_body();
        body["name"] = Value::String("长".repeat(30_000));
        let response = app.post_json("/api/v1/firms", &body).await;
        assert_problem(response, 413, None).await;
        assert_eq!(app.firm_count().await, 0);
    }

    async fn malformed_json_is_400_with_a_position(app) {
        for raw in [r#"{"uscc": "x",}"#, r#"{"uscc": "x"} trailing"#, "\u{FEFF}{}", "[1,2", r#"{"uscc": NaN}"#] {
            let response = app.client.post(app.url("/api/v1/firms"))
                .header("content-type", "application/json").body(raw.to_owned()).send().await.expect("sent");
            let problem = assert_problem(response, 400, None).await;
            assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{raw}");
        }
        let utf16: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let response = app.client.post(app.url("/api/v1/firms"))
            .header("content-type", "application/json").body(utf16).send().await.expect("sent");
        assert_problem(response, 400, None).await;
        let array = app.post_json("/api/v1/firms", &serde_json::json!([firm_body()])).await;
        assert_problem(array, 422, None).await;
        assert_eq!(app.firm_count().await, 0);
    }

    async fn an_undeclared_method_is_405_with_allow(app) {
        let response = app.client.delete(app.url("/api/v1/firms")).send().await.expect("sent");
        assert_eq!(response.headers()["allow"], "GET, HEAD, POST");
        assert_problem(response, 405, None).await;
        let response = app.client.delete(app.url("/api/v1/firms/0190b5d4-0000-7000-8000-000000000000")).send().await.expect("sent");
        assert_eq!(response.headers()["allow"], "GET, HEAD, PATCH");
        assert_problem(response, 405, None).await;
    }

    async fn an_unknown_path_is_a_404_problem(app) {
        assert_problem(app.get("/api/v1/nothing-here").await, 404, None).await;
        assert_problem(app.get("/nothing-here").await, 404, None).await;
    }

    async fn the_openapi_document_is_3_1_and_describes_every_resource(app) {
        let doc = app.get_json("/api/v1/openapi.json").await;
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
        for path in [
            "/api/v1/firms", "/api/v1/firms/{id}", "/api/v1/firms/{id}/years",
            "/api/v1/firms/{id}/years/{fiscal_year}", "/api/v1/firms/{id}/financings",
            "/api/v1/firms/{id}/certificates", "/healthz", "/readyz",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
        }
        let docs = app.get("/api/v1/docs/").await;
        assert_eq!(docs.status(), 200);
        assert!(docs.text().await.expect("html").contains("swagger"), "Swagger UI is served offline");
        let init = app.get("/api/v1/docs/swagger-initializer.js").await;
        assert_eq!(init.status(), 200);
        assert!(
            init.text().await.expect("script").contains("/api/v1/openapi.json"),
            "the UI shows this API's description"
        );
    }

    async fn the_probes_report_the_process_and_the_database(app) {
        assert_eq!(app.get_json("/healthz").await["status"], "ok");
        assert_eq!(app.get_json("/readyz").await["database"], "ok");
    }
}

#[actix_web::test]
async fn a_locked_sqlite_database_answers_503_with_retry_after_and_then_recovers() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.database.busy_timeout_ms = 300)
        .await
        .expect("sqlite");
    let path = app.database_url.trim_start_matches("sqlite://").to_owned();
    let mut blocker = SqliteConnection::establish(&path).expect("open the file");
    diesel::sql_query("BEGIN EXCLUSIVE")
        .execute(&mut blocker)
        .expect("lock");

    let response = app.post_json("/api/v1/firms", &firm_body()).await;
    assert_eq!(response.headers()["retry-after"], "2");
    assert_problem(response, 503, None).await;

    diesel::sql_query("ROLLBACK")
        .execute(&mut blocker)
        .expect("unlock");
    app.register(&firm_body()).await;
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn a_postgres_database_that_goes_away_answers_503_instead_of_500() {
    let short =
        |s: &mut tier_registry::configuration::Settings| s.database.connection_timeout_ms = 1_000;
    let app = spawn_postgres_app_with(short).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let admin = std::env::var("TEST_DATABASE_URL").expect("set");
    let name = app
        .database_url
        .rsplit('/')
        .next()
        .and_then(|name| name.split('?').next())
        .expect("name")
        .to_owned();
    let mut conn = diesel::PgConnection::establish(&admin).expect("admin");
    diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .expect("drop");

    let ready = app.get("/readyz").await;
    assert_eq!(ready.headers()["retry-after"], "2");
    assert_problem(ready, 503, None).await;
    let write = app.post_json("/api/v1/firms", &firm_body()).await;
    assert_problem(write, 503, None).await;
}

on_both_backends! {
    async fn metrics_count_requests_by_route_pattern_in_prometheus_format(app) {
        app.get("/api/v1/firms/0190b5d4-0000-7000-8000-000000000000").await;
        let response = app.get("/metrics").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().is_ok_and(|t| t.starts_with("text/plain")));
        let text = response.text().await.expect("text");
        assert!(text.contains("http_requests_total{"), "{text}");
        assert!(text.contains("route=\"/api/v1/firms/{id}\""), "the pattern, not the raw id: {text}");
    }
}

/// Group commits are visible to operators (the recorder is shared by every test in the
/// process, so only presence is checked, after a write of this test's own).
#[actix_web::test]
async fn metrics_count_sqlite_commits_and_the_writes_they_carry() {
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    assert_eq!(
        app.post_json("/api/v1/firms", &firm_body()).await.status(),
        201
    );
    let text = app.get("/metrics").await.text().await.expect("text");
    assert!(text.contains("sqlite_commits_total "), "{text}");
    assert!(text.contains("sqlite_committed_writes_total "), "{text}");
}
