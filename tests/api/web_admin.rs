//! The admin pages: tokens, accounts and the audit trail, through an admin's browser.

use reqwest::header::ACCEPT;
use tier_registry::domain::Role;

use crate::helpers::{TEST_PASSWORD, TestApp, client_with};
use crate::on_both_backends;

/// Posts a form from the admin's browser, with the session's form token unless `fields`
/// carries one.
async fn admin_post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (browser, token) = app.admin_browser();
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "csrf_token") {
        fields.insert(0, ("csrf_token", token.as_str()));
    }
    let response = browser
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .form(&fields)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Posts a creating form, which redirects (303) to the page showing its result; returns that
/// page.
async fn admin_create(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (browser, token) = app.admin_browser();
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    fields.insert(0, ("csrf_token", token.as_str()));
    let response = browser
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .form(&fields)
        .send()
        .await
        .expect("request sent");
    if response.status() != 303 {
        let status = response.status().as_u16();
        return (status, response.text().await.expect("body"));
    }
    let to = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    admin_get(app, &to).await
}

async fn admin_get(app: &TestApp, path: &str) -> (u16, String) {
    let (browser, _) = app.admin_browser();
    let response = browser
        .get(app.url(path))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// The text of the element with `id` (a `<code id=…>` holding a secret).
fn code_with_id(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).expect("the secret is shown") + marker.len();
    let end = start + html[start..].find('<').expect("closing tag");
    html[start..end].to_owned()
}

async fn firms_status(app: &TestApp, secret: &str) -> u16 {
    client_with(&[("authorization", format!("Bearer {secret}"))])
        .get(app.url("/api/v1/firms"))
        .send()
        .await
        .expect("request sent")
        .status()
        .as_u16()
}

on_both_backends! {
    async fn a_token_made_on_the_page_works_once_shown_and_stops_when_revoked(app) {
        let (status, html) = admin_create(&app, "/admin/tokens", &[("token_name", "reporting"), ("scope", "read")]).await;
        assert_eq!(status, 200, "{html}");
        let secret = code_with_id(&html, "secret-value");
        assert!(secret.starts_with("trk_"), "{secret}");
        assert_eq!(firms_status(&app, &secret).await, 200);

        // The list never shows the secret again.
        let (status, html) = admin_get(&app, "/admin/tokens").await;
        assert_eq!(status, 200);
        assert!(html.contains("reporting") && !html.contains(&secret));

        let token = app.registry.accounts().list_tokens().expect("tokens").into_iter()
            .find(|t| t.name == "reporting").expect("made");
        assert_eq!(token.created_by, "page.admin");
        let (status, _) = admin_post(&app, &format!("/admin/tokens/{}/revoke", token.id), &[]).await;
        assert_eq!(status, 303);
        assert_eq!(firms_status(&app, &secret).await, 401);
    }

    async fn a_token_without_a_name_is_refused_beside_the_field(app) {
        let before = app.registry.accounts().list_tokens().expect("tokens").len();
        let (status, html) = admin_post(&app, "/admin/tokens", &[("token_name", " "), ("scope", "write")]).await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("id=\"e-token_name\""));
        assert_eq!(app.registry.accounts().list_tokens().expect("tokens").len(), before);
    }

    async fn editors_may_not_open_the_admin_pages(app) {
        let editor = app.as_staff(Role::Editor);
        for path in ["/admin/tokens", "/admin/users", "/admin/audit"] {
            let status = editor.get(app.url(path)).header(ACCEPT, "text/html")
                .send().await.expect("sent").status().as_u16();
            assert_eq!(status, 403, "{path}");
        }
    }

    async fn an_added_account_gets_a_one_time_password_that_must_be_changed(app) {
        let (status, html) = admin_create(&app, "/admin/users", &[("username", "li.na"), ("role", "editor")]).await;
        assert_eq!(status, 200, "{html}");
        let password = code_with_id(&html, "one-time-password");
        let issued = app.registry.accounts().login("li.na", &password, "127.0.0.1").expect("the password works");
        assert!(issued.session.user.must_change_password);
        assert_eq!(issued.session.user.role, Role::Editor);

        // The same name again, and a malformed one: beside the field, as typed.
        let (status, html) = admin_post(&app, "/admin/users", &[("username", "li.na"), ("role", "viewer")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-username\"") && html.contains("value=\"li.na\""));
        let (status, html) = admin_post(&app, "/admin/users", &[("username", "Bad Name!"), ("role", "viewer")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-username\"") && html.contains("value=\"Bad Name!\""));
    }

    async fn disabling_an_account_ends_its_sessions_and_a_reset_shows_a_new_password(app) {
        let name = app.add_staff("wang.wei", Role::Viewer);
        let issued = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login");
        let (status, _) = admin_post(&app, "/admin/users/wang.wei", &[("role", "viewer"), ("disabled", "yes")]).await;
        assert_eq!(status, 303);
        assert!(app.registry.accounts().session(&issued.cookie_value).expect("lookup").is_none());
        assert!(app.registry.accounts().find_user("wang.wei").expect("user").disabled);

        let (status, _) = admin_post(&app, "/admin/users/wang.wei", &[("role", "editor"), ("disabled", "no")]).await;
        assert_eq!(status, 303);
        let user = app.registry.accounts().find_user("wang.wei").expect("user");
        assert!(!user.disabled && user.role == Role::Editor);

        let (status, html) = admin_create(&app, "/admin/users/wang.wei/reset", &[]).await;
        assert_eq!(status, 200);
        let password = code_with_id(&html, "one-time-password");
        assert!(app.registry.accounts().login("wang.wei", &password, "127.0.0.1").is_ok());
    }

    async fn the_audit_page_lists_token_changes_and_filters_by_action(app) {
        let (status, _) = admin_post(&app, "/admin/tokens", &[("token_name", "audited"), ("scope", "read")]).await;
        assert_eq!(status, 303);
        let (status, _) = admin_post(&app, "/admin/users", &[("username", "zhao.lei"), ("role", "viewer")]).await;
        assert_eq!(status, 303);

        let (status, html) = admin_get(&app, "/admin/audit").await;
        assert_eq!(status, 200);
        assert!(html.contains("<code>token.created</code>"));
        assert!(html.contains("<td class=\"actor\">page.admin</td>"));
        assert!(html.contains("<code>user.added</code>"));

        let (status, html) = admin_get(&app, "/admin/audit?action=user.added").await;
        assert_eq!(status, 200);
        assert!(html.contains("<code>user.added</code>"));
        assert!(!html.contains("<code>token.created</code>"), "the filter narrows the list");
    }

    async fn a_form_with_a_wrong_csrf_token_changes_nothing(app) {
        let wrong = "0".repeat(64);
        let before = app.registry.accounts().list_tokens().expect("tokens").len();
        // A token that is not the session's is refused as a form of an ended session.
        let (status, _) = admin_post(&app, "/admin/users", &[("csrf_token", &wrong), ("username", "sun.li"), ("role", "admin")]).await;
        assert_eq!(status, 409);
        assert!(app.registry.accounts().find_user("sun.li").is_err());
        let (status, _) = admin_post(&app, "/admin/tokens", &[("csrf_token", &wrong), ("token_name", "x"), ("scope", "write")]).await;
        assert_eq!(status, 409);
        assert_eq!(app.registry.accounts().list_tokens().expect("tokens").len(), before);
    }
}
