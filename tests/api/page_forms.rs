//! Page forms that neither lose nor double work: versioned year forms, one-time form keys,
//! and forms sent after the session ended.

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use tier_registry::domain::Role;

use crate::helpers::{TEST_PASSWORD, TestApp, client_with, firm_body, round, young_tech_firm};
use crate::on_both_backends;

const HTML: &str = "text/html";

/// Posts `fields` from `client` like a browser form; the session's token is added unless
/// `fields` carries one.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "csrf_token") {
        fields.push(("csrf_token", token));
    }
    client
        .post(app.url(path))
        .header(ACCEPT, HTML)
        .form(&fields)
        .send()
        .await
        .expect("sent")
}

async fn editor_post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    post(app, &app.browser(), &app.csrf_token(), path, fields).await
}

async fn admin_post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let (browser, token) = app.admin_browser();
    post(app, &browser, &token, path, fields).await
}

async fn html(client: &reqwest::Client, url: String) -> (u16, String) {
    let response = client
        .get(url)
        .header(ACCEPT, HTML)
        .send()
        .await
        .expect("sent");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let (pair, _) = v.to_str().ok()?.split_once(';')?;
        let (n, value) = pair.split_once('=')?;
        (n == name).then(|| value.to_owned())
    })
}

/// The value of the `<input>` named `name` in `html`.
fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no input {name}"))
        + marker.len();
    let end = start + html[start..].find('"').expect("closing quote");
    html[start..end].to_owned()
}

/// `text` with the HTML escapes askama writes decoded.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The `href` of the element with `id`, unescaped.
fn href_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\" href=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no link {id}")) + marker.len();
    let end = start + html[start..].find('"').expect("closing quote");
    unescape(&html[start..end])
}

async fn firm(app: &TestApp) -> String {
    app.register(&firm_body()).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn year_version(app: &TestApp, id: &str, year: i32) -> Value {
    app.get_json(&format!("/api/v1/firms/{id}/years/{year}"))
        .await["version"]
        .clone()
}

on_both_backends! {
    async fn the_year_form_of_a_year_without_figures_opens_empty(app) {
        let id = firm(&app).await;
        app.put_json(&format!("/api/v1/firms/{id}/years/2024"), &json!({"revenue": 7_654_321, "employees": 55})).await;
        let (status, page) = html(&app.browser(), app.url(&format!("/firms/{id}/years?year=2022"))).await;
        assert_eq!(status, 200);
        assert_eq!(input_value(&page, "revenue"), "", "never another year's numbers");
        assert_eq!(input_value(&page, "employees"), "");
        assert_eq!(input_value(&page, "fiscal_year"), "2022");
        assert_eq!(input_value(&page, "version"), "", "a new year has no version yet");
        let (_, stored) = html(&app.browser(), app.url(&format!("/firms/{id}/years?year=2024"))).await;
        assert_eq!(input_value(&stored, "revenue"), "7654321");
        assert_eq!(input_value(&stored, "version"), "1");
    }

    async fn every_stored_year_is_reachable_from_the_years_page(app) {
        let id = firm(&app).await;
        for year in [1998, 2010, 2024] {
            app.put_json(&format!("/api/v1/firms/{id}/years/{year}"), &json!({"revenue": year})).await;
        }
        let (_, page) = html(&app.browser(), app.url(&format!("/firms/{id}/years"))).await;
        for year in [1998, 2010, 2024] {
            assert!(page.contains(&format!("href=\"/firms/{id}/years?year={year}\"")), "{year} has a link");
        }
        assert!(page.contains("id=\"open-year\""), "any year can be opened");
        let (_, old) = html(&app.browser(), app.url(&format!("/firms/{id}/years?year=1998"))).await;
        assert_eq!(input_value(&old, "revenue"), "1998");
    }

    async fn a_stale_year_form_shows_the_conflict_page_and_writes_nothing(app) {
        let id = firm(&app).await;
        let path = format!("/api/v1/firms/{id}/years/2024");
        app.put_json(&path, &json!({"revenue": 100})).await;
        let other_clerk = app.client.put(app.url(&path)).header("If-Match", "\"1\"")
            .json(&json!({"revenue": 200})).send().await.expect("sent");
        assert_eq!(other_clerk.status(), 200);
        let stale = editor_post(&app, &format!("/firms/{id}/years"), &[
            ("fiscal_year", "2024"), ("version", "1"), ("revenue", "300"),
        ]).await;
        assert_eq!(stale.status(), 409);
        let body = stale.text().await.expect("body");
        assert!(body.contains("id=\"conflict\"") && body.contains("id=\"changes\""), "{body}");
        assert!(body.contains(&format!("href=\"/firms/{id}/years?year=2024\"")));
        // A form opened for a new year, when someone created that year meanwhile.
        let new_form = editor_post(&app, &format!("/firms/{id}/years"), &[
            ("fiscal_year", "2024"), ("version", ""), ("revenue", "400"),
        ]).await;
        assert_eq!(new_form.status(), 409);
        assert_eq!(app.get_json(&path).await["revenue"], 200);
        let fresh = editor_post(&app, &format!("/firms/{id}/years"), &[
            ("fiscal_year", "2024"), ("version", "2"), ("revenue", "300"),
        ]).await;
        assert_eq!(fresh.status(), 303);
        assert_eq!(app.get_json(&path).await["revenue"], 300);
    }

    async fn a_year_form_sent_twice_saves_once_and_lands_where_the_first_did(app) {
        let id = firm(&app).await;
        let fields = [("fiscal_year", "2023"), ("version", ""), ("revenue", "5000"), ("form_key", "year-key-1")];
        let first = editor_post(&app, &format!("/firms/{id}/years"), &fields).await;
        assert_eq!(first.status(), 303);
        let again = editor_post(&app, &format!("/firms/{id}/years"), &fields).await;
        assert_eq!(again.status(), 303, "not a conflict with itself");
        assert_eq!(location(&again), location(&first));
        assert_eq!(year_version(&app, &id, 2023).await, 1, "written once");
    }

    async fn a_registration_sent_twice_registers_one_firm(app) {
        let fields = [
            ("uscc", "91320481703625269H"), ("name", "江苏上上电缆集团有限公司"), ("region_code", "320481"),
            ("industry_code", "C38"), ("founded_on", "1994-03-01"), ("form_key", "firm-key-1"),
        ];
        let first = editor_post(&app, "/firms", &fields).await;
        assert_eq!(first.status(), 303);
        let again = editor_post(&app, "/firms", &fields).await;
        assert_eq!(again.status(), 303, "the first result, not a USCC conflict");
        assert_eq!(location(&again), location(&first));
        assert_eq!(app.firm_count().await, 1);
    }

    async fn a_financing_or_certificate_form_sent_twice_records_one(app) {
        let id = app.register(&young_tech_firm("320411MA1N00001")).await["id"].as_str().expect("id").to_owned();
        let r = round("2024-01-15", 150_000_000, "CNY");
        let financing = [
            ("closed_on", r["closed_on"].as_str().expect("date")), ("round", "A轮"),
            ("amount_value", "15000000"), ("amount_currency", "CNY"),
            ("post_money_valuation_value", "150000000"), ("post_money_valuation_currency", "CNY"),
            ("investor_kind", "professional_institution"), ("form_key", "round-key-1"),
        ];
        for _ in 0..2 {
            let response = editor_post(&app, &format!("/firms/{id}/financings"), &financing).await;
            assert_eq!(response.status(), 303);
            assert_eq!(location(&response), format!("/firms/{id}?notice=financing_added"));
        }
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().expect("items").len(), 1);

        let certificate = [("kind", "high_tech"), ("number", "GR202332001234"), ("issued_on", "2023-12-08"), ("form_key", "cert-key-1")];
        for _ in 0..2 {
            let response = editor_post(&app, &format!("/firms/{id}/certificates"), &certificate).await;
            assert_eq!(response.status(), 303, "the second is not a duplicate-number error");
        }
        let certificates = app.get_json(&format!("/api/v1/firms/{id}/certificates")).await;
        assert_eq!(certificates["items"].as_array().expect("items").len(), 1);
    }

    async fn a_token_form_sent_twice_makes_one_live_token_and_says_so(app) {
        let fields = [("token_name", "nightly"), ("scope", "read"), ("form_key", "token-key-1")];
        let first = admin_post(&app, "/admin/tokens", &fields).await;
        assert_eq!(first.status(), 303);
        let again = admin_post(&app, "/admin/tokens", &fields).await;
        assert_eq!(again.status(), 303);
        assert_eq!(location(&again), location(&first));
        let live = app.registry.accounts().list_tokens().expect("tokens").into_iter()
            .filter(|t| t.name == "nightly" && t.revoked_at.is_none()).count();
        assert_eq!(live, 1);
        // The redirect shows the secret once; coming back says it was made and is gone.
        let (browser, _) = app.admin_browser();
        let (status, shown) = html(&browser, app.url(&location(&first))).await;
        assert_eq!(status, 200);
        assert!(shown.contains("id=\"secret-value\">trk_"), "{shown}");
        let (_, refreshed) = html(&browser, app.url(&location(&again))).await;
        assert!(refreshed.contains("id=\"secret-gone\"") && !refreshed.contains("trk_"));
    }

    async fn an_account_form_sent_twice_adds_one_account(app) {
        let fields = [("username", "zhou.min"), ("role", "editor"), ("form_key", "user-key-1")];
        let first = admin_post(&app, "/admin/users", &fields).await;
        assert_eq!(first.status(), 303);
        let again = admin_post(&app, "/admin/users", &fields).await;
        assert_eq!(again.status(), 303, "not 'name taken'");
        let (browser, _) = app.admin_browser();
        let (_, shown) = html(&browser, app.url(&location(&again))).await;
        assert!(shown.contains("id=\"one-time-password\""), "the first result: the password, once");
        let users = app.registry.accounts().list_users().expect("users");
        assert_eq!(users.iter().filter(|u| u.username == "zhou.min").count(), 1);
    }

    async fn a_form_sent_after_logout_keeps_the_values_and_comes_back_filled_after_login(app) {
        let id = firm(&app).await;
        let name = app.add_staff("chen.jie", Role::Editor);
        let issued = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login");
        let old_token = issued.session.csrf_token.clone();
        app.registry.accounts().logout(&issued.cookie_value, "127.0.0.1").expect("logout");
        let ended = client_with(&[("cookie", format!("tr_session={}", issued.cookie_value)), ("origin", app.address.clone())]);
        let late = post(&app, &ended, &old_token, &format!("/firms/{id}/years"), &[
            ("fiscal_year", "2024"), ("version", ""), ("revenue", "8765432"), ("employees", "42"),
        ]).await;
        assert_eq!(late.status(), 401);
        assert!(late.headers()[CONTENT_TYPE].to_str().expect("type").starts_with("text/html"), "a page, never JSON");
        let draft = set_cookie(&late, "tr_draft").expect("the kept form is tied to this browser");
        let page = late.text().await.expect("body");
        assert!(page.contains("登录已失效") && !page.contains("无权访问"), "{page}");
        assert!(page.contains("8765432") && page.contains("42"), "every typed value is shown");
        assert_eq!(app.get(&format!("/api/v1/firms/{id}/years/2024")).await.status(), 404, "nothing was written");

        // Logging in through the page leads back to the form, filled in.
        let next = href_of(&page, "continue");
        assert!(next.starts_with("/login?next="), "{next}");
        let login_page = client_with(&[]).get(app.url(&next)).header(ACCEPT, HTML).send().await.expect("sent");
        let login_cookie = set_cookie(&login_page, "tr_login").expect("login cookie");
        let login_html = login_page.text().await.expect("body");
        let back_to = unescape(&input_value(&login_html, "next"));
        let logged_in = client_with(&[("cookie", format!("tr_login={login_cookie}")), ("origin", app.address.clone())])
            .post(app.url("/login")).header(ACCEPT, HTML)
            .form(&[("csrf_token", login_cookie.as_str()), ("username", "chen.jie"), ("password", TEST_PASSWORD), ("next", back_to.as_str())])
            .send().await.expect("sent");
        assert_eq!(logged_in.status(), 303);
        let form_url = location(&logged_in);
        assert!(form_url.starts_with(&format!("/firms/{id}/years?year=2024&draft=")), "{form_url}");
        let session = set_cookie(&logged_in, "tr_session").expect("session");
        let browser = client_with(&[("cookie", format!("tr_session={session}; tr_draft={draft}")), ("origin", app.address.clone())]);
        let (status, form) = html(&browser, app.url(&form_url)).await;
        assert_eq!(status, 200);
        assert_eq!(input_value(&form, "revenue"), "8765432");
        assert_eq!(input_value(&form, "employees"), "42");
        let fresh_token = input_value(&form, "csrf_token");
        assert_ne!(fresh_token, old_token, "the restored form needs the new session's token");
        let key = input_value(&form, "form_key");

        // Another browser with the same link fills in nothing.
        let (_, elsewhere) = html(&app.browser(), app.url(&form_url)).await;
        assert_eq!(input_value(&elsewhere, "revenue"), "");

        let fields = [("csrf_token", fresh_token.as_str()), ("form_key", key.as_str()), ("fiscal_year", "2024"),
            ("version", ""), ("revenue", "8765432"), ("employees", "42")];
        for _ in 0..2 {
            let saved = browser.post(app.url(&format!("/firms/{id}/years"))).header(ACCEPT, HTML)
                .form(&fields).send().await.expect("sent");
            assert_eq!(saved.status(), 303);
        }
        assert_eq!(year_version(&app, &id, 2024).await, 1, "saved once");
        assert_eq!(app.get_json(&format!("/api/v1/firms/{id}/years/2024")).await["revenue"], 8_765_432);
    }

    async fn a_form_opened_before_logging_in_again_keeps_its_values_instead_of_403(app) {
        let name = app.add_staff("lin.yu", Role::Editor);
        let old = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login");
        app.registry.accounts().logout(&old.cookie_value, "127.0.0.1").expect("logout");
        let new = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login again");
        let browser = client_with(&[("cookie", format!("tr_session={}", new.cookie_value)), ("origin", app.address.clone())]);
        let response = post(&app, &browser, &old.session.csrf_token, "/firms", &[
            ("uscc", "91320481703625269H"), ("name", "江苏上上电缆集团有限公司"), ("region_code", "320481"),
            ("industry_code", "C38"), ("founded_on", "1994-03-01"),
        ]).await;
        assert_eq!(response.status(), 409);
        let draft = set_cookie(&response, "tr_draft").expect("kept");
        let page = response.text().await.expect("body");
        assert!(page.contains("表单已过期") && page.contains("江苏上上电缆集团有限公司") && !page.contains("无权访问"), "{page}");
        assert_eq!(app.firm_count().await, 0, "nothing written without the session's token");
        let back = href_of(&page, "continue");
        assert!(back.starts_with("/firms/new?draft="), "{back}");
        let with_draft = client_with(&[("cookie", format!("tr_session={}; tr_draft={draft}", new.cookie_value)), ("origin", app.address.clone())]);
        let (status, form) = html(&with_draft, app.url(&back)).await;
        assert_eq!(status, 200);
        assert_eq!(input_value(&form, "uscc"), "91320481703625269H");
        assert_eq!(input_value(&form, "csrf_token"), new.session.csrf_token);
    }

    async fn a_page_form_without_any_session_gets_the_chinese_page_not_json(app) {
        let response = client_with(&[]).post(app.url("/firms")).header(ACCEPT, HTML)
            .form(&[("name", "某公司")]).send().await.expect("sent");
        assert_eq!(response.status(), 401);
        assert!(response.headers()[CONTENT_TYPE].to_str().expect("type").starts_with("text/html"));
        assert!(response.text().await.expect("body").contains("某公司"));
        let logout = client_with(&[]).post(app.url("/logout")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(logout.status(), 303);
        assert_eq!(location(&logout), "/login?notice=logged_out");
    }

    async fn a_firm_edit_sent_after_the_session_ended_comes_back_with_its_version(app) {
        let id = firm(&app).await;
        let name = app.add_staff("he.ping", Role::Editor);
        let issued = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login");
        app.registry.accounts().logout(&issued.cookie_value, "127.0.0.1").expect("logout");
        let ended = client_with(&[("cookie", format!("tr_session={}", issued.cookie_value)), ("origin", app.address.clone())]);
        let late = post(&app, &ended, &issued.session.csrf_token, &format!("/firms/{id}/edit"), &[
            ("version", "1"), ("uscc", "91320481703625269H"), ("name", "江苏上上电缆集团股份有限公司"),
            ("region_code", "320481"), ("industry_code", "C38"), ("founded_on", "1994-03-01"), ("status", "active"),
        ]).await;
        assert_eq!(late.status(), 401);
        let draft = set_cookie(&late, "tr_draft").expect("kept");
        let page = late.text().await.expect("body");
        let next = href_of(&page, "continue");
        let query: Vec<(String, String)> = serde_urlencoded::from_str(next.trim_start_matches("/login?")).expect("query");
        let back = query.into_iter().find(|(k, _)| k == "next").map(|(_, v)| v).expect("next");
        assert!(back.starts_with(&format!("/firms/{id}/edit?draft=")), "{back}");
        let again = app.registry.accounts().login(&name, TEST_PASSWORD, "127.0.0.1").expect("login again");
        let browser = client_with(&[("cookie", format!("tr_session={}; tr_draft={draft}", again.cookie_value)), ("origin", app.address.clone())]);
        let (status, form) = html(&browser, app.url(&back)).await;
        assert_eq!(status, 200);
        assert_eq!(input_value(&form, "name"), "江苏上上电缆集团股份有限公司");
        assert_eq!(input_value(&form, "version"), "1", "the version the form was opened at");
    }
}
