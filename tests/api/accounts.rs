//! Staff accounts, sessions, tokens, CSRF origin checks, request budgets, the audit trail
//! and security headers.

use chrono::Duration;
use serde_json::{Value, json};
use tier_registry::domain::{Role, TokenScope};
use tier_registry::service::ServiceError;

use crate::helpers::{
    Backend, TEST_PASSWORD, assert_problem, client_with, firm_body, spawn_app_with, test_now, uscc,
};

crate::on_both_backends! {
    async fn the_api_answers_401_without_credentials_and_with_an_unknown_token(app) {
        let response = app.anonymous().get(app.url("/api/v1/firms")).send().await.expect("sent");
        assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"tier-registry\"");
        assert_problem(response, 401, None).await;
        let forged = client_with(&[("authorization", "Bearer trk_0000".into())]);
        assert_problem(forged.get(app.url("/api/v1/firms")).send().await.expect("sent"), 401, None).await;
        let basic = client_with(&[("authorization", "Basic YWRtaW46YWRtaW4=".into())]);
        assert_problem(basic.get(app.url("/api/v1/firms")).send().await.expect("sent"), 401, None).await;
    }

    async fn a_read_token_reads_but_its_writes_get_403_and_change_nothing(app) {
        let reader = app.with_token(TokenScope::Read);
        assert_eq!(reader.get(app.url("/api/v1/firms")).send().await.expect("sent").status(), 200);
        let response = reader.post(app.url("/api/v1/firms")).json(&firm_body()).send().await.expect("sent");
        let problem = assert_problem(response, 403, None).await;
        assert!(problem["detail"].as_str().is_some_and(|d| d.contains("read token")), "{problem}");
        assert_eq!(app.firm_count().await, 0);
    }

    async fn a_revoked_token_stops_working_at_once(app) {
        let created = app.registry.accounts().create_token("feed", TokenScope::Read, "tests").expect("token");
        let client = client_with(&[("authorization", format!("Bearer {}", created.secret))]);
        assert_eq!(client.get(app.url("/api/v1/firms")).send().await.expect("sent").status(), 200);
        app.registry.accounts().revoke_token(&created.token.id, "tests").expect("revoked");
        assert_eq!(client.get(app.url("/api/v1/firms")).send().await.expect("sent").status(), 401);
    }

    async fn tokens_are_stored_only_as_digests(app) {
        let created = app.registry.accounts().create_token("feed", TokenScope::Write, "tests").expect("token");
        assert!(created.secret.starts_with("trk_") && created.secret.len() == 68, "{}", created.secret);
        let found = app.raw_sql(&format!(
            "UPDATE api_tokens SET name = name WHERE token_hash = '{}'", created.secret
        )).expect("query runs");
        assert_eq!(found, 0, "the secret itself is not stored");
    }

    async fn a_session_form_post_from_another_origin_or_none_is_refused_and_writes_nothing(app) {
        let name = app.add_staff("editor.one", Role::Editor);
        let headers = app.session_headers(&name);
        let cookie = headers[0].clone();
        let no_origin = client_with(std::slice::from_ref(&cookie));
        let response = no_origin.post(app.url("/api/v1/firms")).json(&firm_body()).send().await.expect("sent");
        assert_problem(response, 403, None).await;
        let foreign = client_with(&[cookie.clone(), ("origin", "https://evil.example".into())]);
        let response = foreign.post(app.url("/api/v1/firms")).json(&firm_body()).send().await.expect("sent");
        assert_problem(response, 403, None).await;
        assert_eq!(app.firm_count().await, 0);
        let own = client_with(&headers);
        let response = own.post(app.url("/api/v1/firms")).json(&firm_body()).send().await.expect("sent");
        assert_eq!(response.status(), 201);
    }

    async fn logging_out_or_disabling_an_account_ends_its_sessions(app) {
        let name = app.add_staff("viewer.one", Role::Viewer);
        let first = app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.0.1").expect("login");
        let second = app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.0.2").expect("login");
        assert_ne!(first.cookie_value, second.cookie_value, "a new session id at each login");
        let get = |cookie: String| {
            let client = client_with(&[("cookie", format!("tr_session={cookie}"))]);
            let url = app.url("/api/v1/firms");
            async move { client.get(url).send().await.expect("sent").status().as_u16() }
        };
        assert_eq!(get(first.cookie_value.clone()).await, 200);
        app.registry.accounts().logout(&first.cookie_value, "10.0.0.1").expect("logout");
        assert_eq!(get(first.cookie_value.clone()).await, 401);
        assert_eq!(get(second.cookie_value.clone()).await, 200);
        app.registry.accounts().update_user(&name, Role::Viewer, true, "tests").expect("disabled");
        assert_eq!(get(second.cookie_value.clone()).await, 401);
        assert!(matches!(
            app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.0.1"),
            Err(ServiceError::InvalidCredentials)
        ));
    }

    async fn sessions_end_after_30_idle_minutes_and_12_hours_in_all(app) {
        let name = app.add_staff("viewer.two", Role::Viewer);
        let issued = app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.0.1").expect("login");
        let later = |minutes: i64| app.registry_at(test_now() + Duration::minutes(minutes));
        assert!(later(29).accounts().session(&issued.cookie_value).expect("query").is_some());
        // Kept busy every 20 minutes, it still ends at 12 hours.
        let mut minute = 29;
        while minute < 12 * 60 - 20 {
            minute += 20;
            assert!(later(minute).accounts().session(&issued.cookie_value).expect("query").is_some(), "at {minute} min");
        }
        assert!(later(12 * 60).accounts().session(&issued.cookie_value).expect("query").is_none());
        let idle = app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.0.1").expect("login");
        assert!(later(31).accounts().session(&idle.cookie_value).expect("query").is_none());
    }

    async fn a_one_time_password_must_be_changed_before_anything_else(app) {
        let account = app.registry.accounts().add_user("new.admin", Role::Admin, "tests").expect("added");
        assert_eq!(account.one_time_password.chars().count(), 20);
        let issued = app.registry.accounts().login("new.admin", &account.one_time_password, "10.0.0.1").expect("login");
        assert!(issued.session.user.must_change_password);
        let client = client_with(&[("cookie", format!("tr_session={}", issued.cookie_value))]);
        let response = client.get(app.url("/api/v1/firms")).send().await.expect("sent");
        assert_problem(response, 403, None).await;
        let weak = app.registry.accounts().change_password("new.admin", &account.one_time_password, "short", None);
        assert!(matches!(weak, Err(ServiceError::Validation(ref e)) if e.0[0].field == "new_password"), "{weak:?}");
        app.registry
            .accounts().change_password("new.admin", &account.one_time_password, TEST_PASSWORD, None)
            .expect("changed");
        assert_eq!(client.get(app.url("/api/v1/firms")).send().await.expect("sent").status(), 401, "the old session ended");
    }

    async fn five_failed_logins_lock_the_account_for_15_minutes_even_with_the_right_password(app) {
        let name = app.add_staff("clerk", Role::Editor);
        for n in 0..5 {
            let r = app.registry.accounts().login(&name, "wrong password!!", &format!("10.0.0.{n}"));
            assert!(matches!(r, Err(ServiceError::InvalidCredentials)), "attempt {n}: {r:?}");
        }
        match app.registry.accounts().login(&name, TEST_PASSWORD, "10.0.1.1") {
            Err(ServiceError::TooManyAttempts { retry_after }) => assert!((1..=900).contains(&retry_after), "{retry_after}"),
            other => panic!("expected a lock-out, got {other:?}"),
        }
        // Another account from another address is not affected.
        let other = app.add_staff("clerk.two", Role::Editor);
        assert!(app.registry.accounts().login(&other, TEST_PASSWORD, "10.0.2.1").is_ok());
        // After the window the right password works again.
        let later = app.registry_at(test_now() + Duration::minutes(16));
        assert!(later.accounts().login(&name, TEST_PASSWORD, "10.0.1.1").is_ok());
    }

    async fn failed_logins_from_one_address_are_limited_across_accounts(app) {
        for n in 0..5 {
            let _ = app.registry.accounts().login(&format!("nobody{n}"), "guess guess guess", "10.9.9.9");
        }
        let name = app.add_staff("clerk.three", Role::Viewer);
        assert!(matches!(
            app.registry.accounts().login(&name, TEST_PASSWORD, "10.9.9.9"),
            Err(ServiceError::TooManyAttempts { .. })
        ));
        assert!(app.registry.accounts().login(&name, TEST_PASSWORD, "10.9.9.10").is_ok());
    }

    async fn the_audit_trail_records_who_did_what_to_which_firm_and_only_admins_read_it(app) {
        let firm: Value = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let path = format!("/api/v1/firms/{id}/years/2024");
        assert_eq!(app.put_json(&path, &json!({"revenue": 1_000_000})).await.status(), 201);
        let _ = app.registry.accounts().login("ghost", "not a password", "10.1.1.1");
        let admin = app.as_staff(Role::Admin);
        let page: Value = admin.get(app.url(&format!("/api/v1/audit?target_kind=firm&target_id={id}")))
            .send().await.expect("sent").json().await.expect("json");
        let actions: Vec<(&str, &str)> = page["items"].as_array().expect("items").iter()
            .map(|e| (e["action"].as_str().unwrap_or(""), e["actor"].as_str().unwrap_or(""))).collect();
        assert_eq!(actions, vec![("figures.saved", "token:tests"), ("firm.registered", "token:tests")]);
        let failed: Value = admin.get(app.url("/api/v1/audit?action=login.failed"))
            .send().await.expect("sent").json().await.expect("json");
        assert_eq!(failed["items"][0]["actor"], "ghost");
        assert_eq!(failed["items"][0]["address"], "10.1.1.1");
        let created: Value = admin.get(app.url("/api/v1/audit?action=token.created"))
            .send().await.expect("sent").json().await.expect("json");
        assert!(created["items"].as_array().is_some_and(|a| !a.is_empty()));
        // Editors and tokens cannot read it.
        assert_eq!(app.client.get(app.url("/api/v1/audit")).send().await.expect("sent").status(), 403);
        // It cannot be rewritten.
        assert!(app.raw_sql("UPDATE audit_log SET actor = 'someone else'").is_err());
        assert!(app.raw_sql("DELETE FROM audit_log").is_err());
    }

    async fn responses_carry_the_security_headers_and_authenticated_ones_are_not_stored(app) {
        let response = app.get("/api/v1/firms").await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["cache-control"], "no-store");
        let refused = app.anonymous().get(app.url("/api/v1/firms")).send().await.expect("sent");
        assert_eq!(refused.headers()["x-content-type-options"], "nosniff", "refusals too");
        let health = app.anonymous().get(app.url("/healthz")).send().await.expect("sent");
        assert!(health.headers().get("content-security-policy").is_some());
    }
}

#[actix_web::test]
async fn a_token_over_its_budget_gets_429_with_retry_after_and_304s_are_free() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.auth.api_rate_limit = 3)
        .await
        .expect("SQLite always runs");
    let created = app
        .register(&json!({
            "uscc": uscc("320400000000001"), "name": "预算测试公司", "region_code": "320411",
            "industry_code": "C38", "founded_on": "2020-01-01"
        }))
        .await;
    let client = app.with_token(TokenScope::Read);
    let url = app.url(&format!(
        "/api/v1/firms/{}",
        created["id"].as_str().expect("id")
    ));
    let first = client.get(&url).send().await.expect("sent");
    assert_eq!(first.headers()["x-ratelimit-limit"], "3");
    assert_eq!(first.headers()["x-ratelimit-remaining"], "2");
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    for _ in 0..3 {
        let cached = client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .expect("sent");
        assert_eq!(cached.status(), 304);
    }
    assert_eq!(client.get(&url).send().await.expect("sent").status(), 200);
    assert_eq!(client.get(&url).send().await.expect("sent").status(), 200);
    let over = client.get(&url).send().await.expect("sent");
    assert_eq!(over.headers()["x-ratelimit-remaining"], "0");
    let retry: u64 = over.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=300).contains(&retry), "{retry}");
    assert_problem(over, 429, None).await;
    // Probes do not spend it.
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );
    // Another token has its own budget.
    assert_eq!(
        app.with_token(TokenScope::Read)
            .get(&url)
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );
}

#[actix_web::test]
async fn counts_are_public_only_when_configured() {
    let closed = spawn_app_with(Backend::Sqlite, |_| {})
        .await
        .expect("SQLite");
    let anonymous = closed.anonymous();
    assert_eq!(
        anonymous
            .get(closed.url("/api/v1/tier-counts"))
            .send()
            .await
            .expect("sent")
            .status(),
        401
    );
    let open = spawn_app_with(Backend::Sqlite, |s| s.auth.public_counts = true)
        .await
        .expect("SQLite");
    let anonymous = open.anonymous();
    for path in [
        "/api/v1/tier-counts",
        "/api/v1/tier-flows?from=2025-01-01&to=2025-06-30",
        "/api/v1/targets",
    ] {
        assert_eq!(
            anonymous
                .get(open.url(path))
                .send()
                .await
                .expect("sent")
                .status(),
            200,
            "{path}"
        );
    }
    assert_eq!(
        anonymous
            .get(open.url("/api/v1/firms"))
            .send()
            .await
            .expect("sent")
            .status(),
        401
    );
}

#[actix_web::test]
async fn token_create_prints_the_token_alone_on_its_line_and_it_works() {
    let app = spawn_app_with(Backend::Sqlite, |_| {})
        .await
        .expect("SQLite");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let command = tier_registry::cli::TokenCommand::Create {
        scope: TokenScope::Read,
        name: "dashboard".into(),
    };
    tier_registry::cli::token(&app.registry, &command, &mut out, &mut err).expect("created");
    let out = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let client = client_with(&[("authorization", format!("Bearer {}", lines[0]))]);
    assert_eq!(
        client
            .get(app.url("/api/v1/firms"))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );
    assert!(String::from_utf8_lossy(&err).contains("Shown once"));
}
