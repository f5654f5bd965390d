//! Logging in and out through the staff pages, one-time passwords, and CSRF on forms.

use reqwest::header::{ACCEPT, LOCATION, SET_COOKIE};
use tier_registry::domain::Role;

use crate::helpers::{TEST_PASSWORD, TestApp, client_with};

const HTML: &str = "text/html";

/// The value of cookie `name` set by `response`, with its attributes.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let text = v.to_str().ok()?;
        let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
        let (n, value) = pair.split_once('=')?;
        (n == name).then(|| (value.to_owned(), attributes.to_owned()))
    })
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Opens the login page like a browser; returns the login cookie and the form's token.
async fn open_login(app: &TestApp) -> (String, String) {
    let response = app
        .anonymous()
        .get(app.url("/login"))
        .header(ACCEPT, HTML)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let (cookie, attributes) = set_cookie(&response, "tr_login").expect("a login cookie");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    let body = response.text().await.expect("body");
    assert!(
        body.contains(&format!("name=\"csrf_token\" value=\"{cookie}\"")),
        "the form carries the token"
    );
    (cookie.clone(), cookie)
}

async fn post_login(
    app: &TestApp,
    cookie: &str,
    token: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    client_with(&[
        ("cookie", format!("tr_login={cookie}")),
        ("origin", app.address.clone()),
    ])
    .post(app.url("/login"))
    .header(ACCEPT, HTML)
    .form(&[
        ("csrf_token", token),
        ("username", user),
        ("password", password),
        ("next", "/firms?q=1"),
    ])
    .send()
    .await
    .expect("sent")
}

fn session_client(app: &TestApp, session: &str) -> reqwest::Client {
    client_with(&[
        ("cookie", format!("tr_session={session}")),
        ("origin", app.address.clone()),
    ])
}

crate::on_both_backends! {
    async fn an_anonymous_browser_is_sent_to_the_login_page_and_back_after_logging_in(app) {
        let response = app.anonymous().get(app.url("/firms?q=1")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/login?next=%2Ffirms%3Fq%3D1");
        let name = app.add_staff("wang.li", Role::Viewer);
        let (cookie, token) = open_login(&app).await;
        let response = post_login(&app, &cookie, &token, &name, TEST_PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/firms?q=1");
        let (session, attributes) = set_cookie(&response, "tr_session").expect("a session cookie");
        assert!(attributes.contains("HttpOnly") && attributes.contains("SameSite=Lax"), "{attributes}");
        assert!(!attributes.contains("Secure"), "plain HTTP unless secure_cookies is set");
        let page = session_client(&app, &session).get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["cache-control"], "no-store");
        let body = page.text().await.expect("body");
        assert!(body.contains("wang.li") && body.contains("action=\"/logout\""), "the page names the staff member");
    }

    async fn a_wrong_password_shows_the_form_again_and_the_sixth_failure_is_429(app) {
        let name = app.add_staff("zhao.min", Role::Editor);
        let (cookie, token) = open_login(&app).await;
        for _ in 0..5 {
            let response = post_login(&app, &cookie, &token, &name, "not my password").await;
            assert_eq!(response.status(), 401);
            assert!(set_cookie(&response, "tr_session").is_none());
            let body = response.text().await.expect("body");
            assert!(body.contains("用户名或密码错误"), "the message is on the page");
            assert!(body.contains("value=\"zhao.min\""), "the username typed is kept");
        }
        let response = post_login(&app, &cookie, &token, &name, TEST_PASSWORD).await;
        assert_eq!(response.status(), 429);
        let retry: u64 = response.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
        assert!((1..=900).contains(&retry));
        assert!(set_cookie(&response, "tr_session").is_none(), "locked out even with the right password");
    }

    async fn a_login_form_without_its_token_is_refused(app) {
        let name = app.add_staff("li.na", Role::Editor);
        let (cookie, _) = open_login(&app).await;
        let response = post_login(&app, &cookie, "forged", &name, TEST_PASSWORD).await;
        assert_eq!(response.status(), 403);
        assert!(set_cookie(&response, "tr_session").is_none());
        let response = post_login(&app, "", "", &name, TEST_PASSWORD).await;
        assert_eq!(response.status(), 403);
    }

    async fn a_one_time_password_leads_to_the_password_page_before_anything_else(app) {
        let account = app.registry.accounts().add_user("chen.jie", Role::Editor, "tests").expect("added");
        let (cookie, token) = open_login(&app).await;
        let response = post_login(&app, &cookie, &token, "chen.jie", &account.one_time_password).await;
        assert_eq!(location(&response), "/account/password");
        let (session, _) = set_cookie(&response, "tr_session").expect("session");
        let browser = session_client(&app, &session);
        let response = browser.get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(location(&response), "/account/password");
        let csrf = app.registry.accounts().session(&session).expect("query").expect("live").csrf_token;
        let mismatched = browser.post(app.url("/account/password")).header(ACCEPT, HTML)
            .form(&[("csrf_token", csrf.as_str()), ("current_password", &account.one_time_password),
                    ("new_password", TEST_PASSWORD), ("confirm_password", "something else entirely")])
            .send().await.expect("sent");
        assert_eq!(mismatched.status(), 422);
        let changed = browser.post(app.url("/account/password")).header(ACCEPT, HTML)
            .form(&[("csrf_token", csrf.as_str()), ("current_password", &account.one_time_password),
                    ("new_password", TEST_PASSWORD), ("confirm_password", TEST_PASSWORD)])
            .send().await.expect("sent");
        assert_eq!(changed.status(), 303);
        assert_eq!(location(&changed), "/dashboard?notice=password_changed");
        let (fresh, _) = set_cookie(&changed, "tr_session").expect("a new session");
        assert_ne!(fresh, session);
        let old = browser.get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(old.status(), 303, "the old session ended");
        let new = session_client(&app, &fresh).get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(new.status(), 200);
    }

    async fn logging_out_needs_the_form_token_and_ends_the_session(app) {
        let browser = app.browser();
        let refused = browser.post(app.url("/logout")).header(ACCEPT, HTML)
            .form(&[("csrf_token", "wrong")]).send().await.expect("sent");
        assert_eq!(refused.status(), 403);
        assert_eq!(browser.get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent").status(), 200);
        let out = browser.post(app.url("/logout")).header(ACCEPT, HTML)
            .form(&[("csrf_token", app.csrf_token())]).send().await.expect("sent");
        assert_eq!(out.status(), 303);
        assert_eq!(location(&out), "/login?notice=logged_out");
        assert_eq!(browser.get(app.url("/firms")).header(ACCEPT, HTML).send().await.expect("sent").status(), 303);
    }

    async fn a_form_post_with_a_wrong_token_or_from_another_site_changes_nothing(app) {
        let fields = |token: String| vec![
            ("csrf_token", token), ("uscc", "91320481703625269H".into()), ("name", "江苏上上电缆集团有限公司".into()),
            ("region_code", "320481".into()), ("industry_code", "C38".into()), ("founded_on", "1994-03-01".into()),
        ];
        let forged = app.browser().post(app.url("/firms")).header(ACCEPT, HTML)
            .form(&fields("0".repeat(64))).send().await.expect("sent");
        // Indistinguishable from a form of an ended session: refused, with the keep-your-work page.
        assert_eq!(forged.status(), 409);
        assert!(forged.text().await.expect("body").contains("<html"), "a page, not a raw error");
        let headers = app.session_headers(&app.add_staff("sun.li", Role::Editor));
        let cross_site = client_with(&[headers[0].clone(), ("origin", "https://evil.example".into())]);
        let response = cross_site.post(app.url("/firms")).header(ACCEPT, HTML)
            .form(&fields(app.csrf_token())).send().await.expect("sent");
        assert_eq!(response.status(), 403);
        let content_type = response.headers()["content-type"].to_str().expect("type").to_owned();
        assert!(content_type.starts_with("text/html"), "a page route never answers JSON: {content_type}");
        assert_eq!(app.firm_count().await, 0);
    }

    async fn a_viewer_cannot_open_the_registration_form(app) {
        let viewer = app.as_staff(Role::Viewer);
        let response = viewer.get(app.url("/firms/new")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(response.status(), 403);
        assert!(response.text().await.expect("body").contains("lang=\"zh-CN\""));
    }
}
