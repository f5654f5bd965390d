//! Deny by default: every route in the access table, called by every kind of caller.

use serde_json::{Value, json};
use tier_registry::auth::Need;
use tier_registry::domain::{Role, TokenScope};
use tier_registry::startup::access_policy;

use crate::helpers::{TEST_PASSWORD, TestApp, client_with, firm_body};

/// A kind of caller: its client, the role it acts with, whether it is a staff session, and
/// its session's form token.
pub struct Caller {
    name: &'static str,
    client: reqwest::Client,
    role: Option<Role>,
    staff: bool,
    csrf: String,
}

fn staff(app: &TestApp, name: &'static str, role: Role) -> Caller {
    let user = app.add_staff(&format!("access.{name}"), role);
    let issued = app
        .registry
        .accounts()
        .login(&user, TEST_PASSWORD, "127.0.0.1")
        .expect("login");
    Caller {
        name,
        client: client_with(&[
            ("cookie", format!("tr_session={}", issued.cookie_value)),
            ("origin", app.address.clone()),
        ]),
        role: Some(role),
        staff: true,
        csrf: issued.session.csrf_token,
    }
}

fn callers(app: &TestApp) -> Vec<Caller> {
    let other = |name, client, role| Caller {
        name,
        client,
        role,
        staff: false,
        csrf: String::new(),
    };
    vec![
        other("anonymous", app.anonymous(), None),
        staff(app, "viewer", Role::Viewer),
        staff(app, "editor", Role::Editor),
        staff(app, "admin", Role::Admin),
        other(
            "read token",
            app.with_token(TokenScope::Read),
            Some(Role::Viewer),
        ),
        other(
            "write token",
            app.with_token(TokenScope::Write),
            Some(Role::Editor),
        ),
    ]
}

fn concrete(pattern: &str, firm_id: &str) -> String {
    pattern
        .replace("{id}", firm_id)
        .replace("{fiscal_year}", "2024")
        .replace("{_:.*}", "")
}

fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || ["/metrics", "/healthz", "/readyz"].contains(&path))
}

crate::on_both_backends! {
    async fn every_route_answers_each_caller_as_its_declared_need_says(app) {
        let firm: Value = app.register(&firm_body()).await;
        let firm_id = firm["id"].as_str().expect("id").to_owned();
        let mut failures = Vec::new();
        for Caller { name: caller, client, role, staff, csrf } in callers(&app) {
            for (method, pattern, need) in access_policy().routes() {
                let path = concrete(pattern, &firm_id);
                let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
                let mut request = client.request(method.clone(), app.url(&path));
                if method != reqwest::Method::GET && path.starts_with("/api/") {
                    // An empty object: allowed callers get a validation answer, nothing is written.
                    request = request.json(&json!({}));
                } else if path == "/login" {
                    // The login form's own token pair; the login itself fails (no such user).
                    let token = "0".repeat(64);
                    request = request
                        .header("cookie", format!("tr_login={token}"))
                        .form(&[("csrf_token", token.as_str()), ("username", "nobody")]);
                } else if method != reqwest::Method::GET {
                    // A page form with this session's token; its fields are empty, so nothing
                    // is written (and `/logout` is left for last by the table's order).
                    request = request.form(&[("csrf_token", csrf.as_str())]);
                }
                let response = request.send().await.expect("sent");
                let status = response.status().as_u16();
                let to_login = status == 303
                    && response.headers().get("location").and_then(|l| l.to_str().ok()).is_some_and(|l| l.starts_with("/login?next="));
                let allowed = match need {
                    Need::Public => true,
                    Need::Counts => role.is_some(),
                    Need::Role(needed) => role.is_some_and(|r| r.allows(*needed)),
                    Need::Staff(needed) => staff && role.is_some_and(|r| r.allows(*needed)),
                    Need::Signed => staff,
                };
                let expected_refusal = match (allowed, role) {
                    (true, _) => None,
                    (false, None) if is_page(&path) && method == reqwest::Method::GET => Some("a redirect to /login"),
                    (false, None) => Some("401"),
                    (false, Some(_)) => Some("403"),
                };
                let ok = match expected_refusal {
                    // The login form answers a failed login with 401 itself.
                    None if path == "/login" => status != 403 && !to_login,
                    None => status != 401 && status != 403 && !to_login,
                    // Logging out without a session simply lands on the login page.
                    Some("401") if path == "/logout" => status == 303,
                    Some("401") => status == 401,
                    Some("403") => status == 403,
                    Some(_) => to_login,
                };
                if !ok {
                    failures.push(format!(
                        "{caller} {method} {path}: got {status}, expected {}",
                        expected_refusal.unwrap_or("access")
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "access table violated:\n{}", failures.join("\n"));
        // Nothing was written by any of the refused or empty calls.
        assert_eq!(app.firm_count().await, 1);
    }

    async fn every_operation_of_the_api_description_is_in_the_access_table(app) {
        let doc = app.get_json("/api/v1/openapi.json").await;
        let paths = doc["paths"].as_object().expect("paths");
        let mut missing = Vec::new();
        for (path, item) in paths {
            for method in item.as_object().expect("item").keys() {
                let method = method.to_uppercase();
                if !access_policy().routes().iter().any(|(m, p, _)| *m == method && p == path) {
                    missing.push(format!("{method} {path}"));
                }
            }
        }
        assert!(missing.is_empty(), "operations without an access entry: {missing:?}");
    }

    async fn every_get_route_answers_head_as_get_without_the_content(app) {
        let firm: Value = app.register(&firm_body()).await;
        let firm_id = firm["id"].as_str().expect("id").to_owned();
        let admin = app.as_staff(Role::Admin);
        let mut failures = Vec::new();
        for (method, pattern, _) in access_policy().routes() {
            if *method != "GET" {
                continue;
            }
            let url = app.url(&concrete(pattern, &firm_id));
            let get = admin.get(&url).send().await.expect("GET sent");
            let head = admin.head(&url).send().await.expect("HEAD sent");
            let header = |r: &reqwest::Response, name: &str| {
                r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
            };
            let (get_status, get_type, get_tag) =
                (get.status(), header(&get, "content-type"), header(&get, "etag"));
            let (head_status, head_type, head_tag) =
                (head.status(), header(&head, "content-type"), header(&head, "etag"));
            let head_body = head.bytes().await.expect("HEAD body");
            if head_status != get_status || head_type != get_type || head_tag != get_tag || !head_body.is_empty() {
                failures.push(format!(
                    "HEAD {pattern}: {head_status} {head_type:?} {head_tag:?} ({} bytes) \
                     where GET is {get_status} {get_type:?} {get_tag:?}",
                    head_body.len()
                ));
            }
        }
        assert!(failures.is_empty(), "HEAD differs from GET:\n{}", failures.join("\n"));
    }

    async fn a_method_missing_from_the_table_is_405_for_everyone_even_admins(app) {
        let firm: Value = app.register(&firm_body()).await;
        let url = app.url(&format!("/api/v1/firms/{}", firm["id"].as_str().expect("id")));
        for client in [app.anonymous(), app.client.clone(), app.as_staff(Role::Admin)] {
            let response = client.delete(&url).send().await.expect("sent");
            assert_eq!(response.status(), 405);
            assert_eq!(response.headers()["allow"], "GET, HEAD, PATCH");
        }
        assert_eq!(app.firm_count().await, 1);
    }
}
