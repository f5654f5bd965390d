//! The staff pages over plain HTTP: status codes, escaping, forms that keep what was typed,
//! Post/Redirect/Get, stale edits, error pages.

use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::{Value, json};

use crate::helpers::{TestApp, firm_body, round, young_tech_firm};
use crate::on_both_backends;

const HTML: &str = "text/html,application/xhtml+xml";

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app
        .browser()
        .get(app.url(path))
        .header(ACCEPT, HTML)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Posts a form from the editor's browser; an empty `csrf_token` field gets the session's.
async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf_token();
    let mut fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(k, v)| {
            if k == "csrf_token" && v.is_empty() {
                (k, token.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    if !fields.iter().any(|(k, _)| *k == "csrf_token") {
        fields.push(("csrf_token", token.as_str()));
    }
    app.browser()
        .post(app.url(path))
        .header(ACCEPT, HTML)
        .form(&fields)
        .send()
        .await
        .expect("request sent")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

const REGISTRATION: [(&str, &str); 6] = [
    ("csrf_token", ""),
    ("uscc", "91320481703625269H"),
    ("name", "江苏上上电缆集团有限公司"),
    ("region_code", "320481"),
    ("industry_code", "C38"),
    ("founded_on", "1994-03-01"),
];

on_both_backends! {
    async fn every_main_page_renders_in_chinese_with_a_strict_content_policy(app) {
        for path in ["/dashboard", "/firms", "/firms/new", "/rules"] {
            let response = app.browser().get(app.url(path)).header(ACCEPT, HTML).send().await.expect("sent");
            assert_eq!(response.status(), 200, "{path}");
            let csp = response.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert!(response.headers()[CONTENT_TYPE].to_str().expect("ascii").starts_with("text/html"));
            let body = response.text().await.expect("body");
            assert!(body.contains("<html lang=\"zh-CN\">"), "{path}");
            assert!(!body.contains("<script"), "{path} carries no script");
            assert!(!body.contains("style=\""), "{path} carries no inline style");
        }
        let (_, rules) = page(&app, "/rules").await;
        assert!(rules.contains("常科发〔2024〕129号"), "the rules page cites its sources");
        assert!(rules.contains("研发费用占比"), "metrics have Chinese names");
    }

    async fn browsers_opening_the_root_go_to_the_dashboard_and_programs_keep_the_json_map(app) {
        let response = app.browser().get(app.url("/")).header(ACCEPT, HTML).send().await.expect("sent");
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/dashboard");
        let map = app.get_json("/").await;
        assert_eq!(map["api"], "/api/v1");
    }

    async fn a_script_tag_in_a_firm_name_is_shown_as_text(app) {
        let mut body = firm_body();
        body["name"] = json!("<script>alert(1)</script>常州\"公司'");
        let firm = app.register(&body).await;
        let id = firm["id"].as_str().expect("id");
        for path in [format!("/firms/{id}"), "/firms".to_owned(), format!("/firms/{id}/edit")] {
            let (status, html) = page(&app, &path).await;
            assert_eq!(status, 200, "{path}");
            assert!(!html.contains("<script>alert(1)"), "{path} escapes the name");
            assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path} shows it as text");
        }
    }

    async fn unknown_pages_and_firms_get_the_styled_not_found_page(app) {
        for path in ["/firms/not-a-uuid", "/firms/01890000-0000-7000-8000-000000000000", "/nothing-here", "/firms/01890000-0000-7000-8000-000000000000/years"] {
            let (status, html) = page(&app, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("页面不存在"), "{path}: {html}");
            assert!(html.contains("/static/app.css"), "{path} is in the site's style");
        }
        let english = app.browser().get(app.url("/firms/not-a-uuid")).header(ACCEPT, HTML)
            .header(COOKIE, format!("lang=en; {}", app.session_cookie())).send().await.expect("sent");
        assert_eq!(english.status(), 404);
        assert!(english.text().await.expect("body").contains("Page not found"));
        let (status, html) = page(&app, "/firms?q=a&q=b").await;
        assert_eq!(status, 400, "a query that does not decode (a repeated field) is the HTML 400 page");
        assert!(html.contains("请求无法处理"));
        // The JSON API keeps problem+json for the same kind of miss.
        crate::helpers::assert_problem(app.get("/api/v1/firms/not-a-uuid").await, 404, None).await;
    }

    async fn registering_through_the_form_redirects_to_the_firm_with_a_message(app) {
        let response = post_form(&app, "/firms", &REGISTRATION).await;
        assert_eq!(response.status(), 303);
        let to = location(&response);
        assert!(to.starts_with("/firms/") && to.ends_with("?notice=firm_registered"), "{to}");
        let (status, html) = page(&app, &to).await;
        assert_eq!(status, 200);
        assert!(html.contains("江苏上上电缆集团有限公司"));
        assert!(html.contains("企业已登记。"), "the flash message shows once redirected");
        assert_eq!(app.firm_count().await, 1);
    }

    async fn a_bad_uscc_shows_the_error_beside_the_field_keeps_the_input_and_registers_nothing(app) {
        let mut fields = REGISTRATION.to_vec();
        fields[1] = ("uscc", "91320481703625269A");
        fields[2] = ("name", "常州<b>测试</b>公司");
        fields[5] = ("founded_on", "1994-02-30");
        let response = post_form(&app, "/firms", &fields).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.expect("body");
        assert!(html.contains("id=\"e-uscc\""), "an error beside the USCC field");
        assert!(html.contains("校验码不正确"), "in Chinese");
        assert!(html.contains("id=\"e-founded_on\""), "every error at once");
        assert!(html.contains("href=\"#f-uscc\""), "the summary links to the field");
        assert!(html.contains("value=\"91320481703625269A\""), "what was typed is kept");
        assert!(html.contains("value=\"常州&#60;b&#62;测试&#60;/b&#62;公司\""), "escaped, and kept");
        assert!(html.contains("<option value=\"320481\" selected>"), "the chosen district is kept");
        assert_eq!(app.firm_count().await, 0);
    }

    async fn a_stale_edit_form_shows_the_conflict_and_writes_nothing(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let (_, form) = page(&app, &format!("/firms/{id}/edit")).await;
        assert!(form.contains("name=\"version\" value=\"1\""), "the form carries the version");
        // Someone else saves first.
        let patched = app.browser().patch(app.url(&format!("/api/v1/firms/{id}")))
            .header("If-Match", "\"1\"").json(&json!({"name": "江苏上上电缆集团股份有限公司"}))
            .send().await.expect("sent");
        assert_eq!(patched.status(), 200);
        let mut fields = REGISTRATION.to_vec();
        fields[2] = ("name", "上上电缆（改）");
        fields.push(("version", "1"));
        fields.push(("status", "active"));
        let response = post_form(&app, &format!("/firms/{id}/edit"), &fields).await;
        assert_eq!(response.status(), 409);
        let html = response.text().await.expect("body");
        assert!(html.contains("保存冲突"));
        assert!(html.contains("江苏上上电缆集团股份有限公司") && html.contains("上上电缆（改）"), "shows both values");
        let stored = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(stored["name"], "江苏上上电缆集团股份有限公司", "nothing written");
        assert_eq!(stored["version"], 2);
    }

    async fn a_fresh_edit_form_saves_and_bumps_the_version(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let mut fields = REGISTRATION.to_vec();
        fields.push(("version", "1"));
        fields.push(("status", "active"));
        fields.push(("credit_ok", "yes"));
        let response = post_form(&app, &format!("/firms/{id}/edit"), &fields).await;
        assert_eq!(response.status(), 303);
        let stored = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(stored["credit_ok"], true);
        assert_eq!(stored["version"], 2);
    }

    async fn figures_typed_with_full_width_digits_are_saved_and_empty_ones_stay_unreported(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let response = post_form(&app, &format!("/firms/{id}/years"), &[
            ("csrf_token", ""), ("fiscal_year", "２０２４"), ("revenue", "１，２３４，５６７"), ("employees", ""),
        ]).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
        let years: Value = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        assert_eq!(years["items"][0]["revenue"], 1_234_567);
        assert_eq!(years["items"][0]["employees"], Value::Null);
        let (_, html) = page(&app, &format!("/firms/{id}/years")).await;
        assert!(html.contains("1,234,567"), "the table shows the year");
        let bad = post_form(&app, &format!("/firms/{id}/years"), &[("fiscal_year", "2024"), ("revenue", "12元")]).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.expect("body").contains("value=\"12元\""));
    }

    async fn a_financing_round_entered_in_the_form_promotes_the_firm_on_its_page_and_the_dashboard(app) {
        let firm = app.register(&young_tech_firm("320411MA1N00001")).await;
        let id = firm["id"].as_str().expect("id");
        let (_, before) = page(&app, "/dashboard").await;
        assert!(!before.contains("常州星河智能科技有限公司"));
        let r = round("2024-01-15", 150_000_000, "CNY");
        let response = post_form(&app, &format!("/firms/{id}/financings"), &[
            ("csrf_token", ""),
            ("closed_on", r["closed_on"].as_str().expect("date")),
            ("round", "A轮"),
            ("amount_value", "15000000"), ("amount_currency", "CNY"),
            ("post_money_valuation_value", "150,000,000"), ("post_money_valuation_currency", "CNY"),
            ("investor_kind", "professional_institution"),
        ]).await;
        assert_eq!(response.status(), 303);
        let (_, html) = page(&app, &format!("/firms/{id}")).await;
        assert!(html.contains("<span class=\"tag\">种子独角兽</span>"), "the tier held is shown");
        assert!(html.contains("新增融资"), "the history names the cause");
        assert!(html.contains("，差 1.5 亿元"), "the next tier's gap is explained in Chinese, in 亿元");
        let (_, dashboard) = page(&app, "/dashboard").await;
        assert!(dashboard.contains("常州星河智能科技有限公司"), "a recent entry");
        let (_, list) = page(&app, "/firms?tier=seed_unicorn").await;
        assert!(list.contains("常州星河智能科技有限公司"), "the tier filter finds it");
        let (_, none) = page(&app, "/firms?tier=unicorn").await;
        assert!(!none.contains("常州星河智能科技有限公司"), "and only where it belongs");
    }

    async fn a_bad_round_keeps_what_was_typed_and_records_nothing(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id");
        let response = post_form(&app, &format!("/firms/{id}/financings"), &[
            ("closed_on", "2030-01-01"), ("round", "B轮"), ("amount_value", "lots"),
            ("amount_currency", "CNY"), ("investor_kind", ""),
        ]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.expect("body");
        for field in ["closed_on", "amount_value", "investor_kind"] {
            assert!(html.contains(&format!("id=\"e-{field}\"")), "an error on {field}");
        }
        assert!(html.contains("value=\"lots\""));
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().map(Vec::len), Some(0));
    }

    async fn the_language_switch_sets_a_cookie_and_comes_back(app) {
        let response = app.browser().get(app.url("/lang?to=en&back=%2Ffirms%3Fq%3D1")).send().await.expect("sent");
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/firms?q=1");
        let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(cookie.starts_with("lang=en"), "{cookie}");
        let english = app.browser().get(app.url("/firms")).header(COOKIE, format!("lang=en; {}", app.session_cookie())).send().await.expect("sent");
        let html = english.text().await.expect("body");
        assert!(html.contains("<html lang=\"en\">") && html.contains("Register a firm"));
        let away = app.browser().get(app.url("/lang?to=en&back=%2F%2Fevil.example")).send().await.expect("sent");
        assert_eq!(location(&away), "/dashboard", "never an open redirect");
    }
}

on_both_backends! {
    async fn a_viewer_is_offered_no_edit_action_an_editor_is(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let put = app.put_json(&format!("/api/v1/firms/{id}/years/2024"), &json!({"revenue": 1_000_000})).await;
        assert!(put.status().is_success());
        let edit_links = [
            "href=\"/firms/new\"".to_owned(),
            format!("href=\"/firms/{id}/edit\""),
            format!("href=\"/firms/{id}/financings/new\""),
            format!("href=\"/firms/{id}/certificates/new\""),
            format!("action=\"/firms/{id}/years\""),
        ];
        for (role, offered) in [(tier_registry::domain::Role::Viewer, false), (tier_registry::domain::Role::Editor, true)] {
            let client = app.as_staff(role);
            let mut html = String::new();
            for path in ["/firms".to_owned(), format!("/firms/{id}"), format!("/firms/{id}/years?year=2024")] {
                let response = client.get(app.url(&path)).header(ACCEPT, HTML).send().await.expect("sent");
                assert_eq!(response.status(), 200, "{role:?} {path}");
                html.push_str(&response.text().await.expect("body"));
            }
            for link in &edit_links {
                assert_eq!(html.contains(link.as_str()), offered, "{role:?}: {link}");
            }
        }
    }
}

on_both_backends! {
    async fn forms_read_chinese_date_spellings_and_ask_for_what_is_missing(app) {
        let mut fields = REGISTRATION.to_vec();
        fields.retain(|(k, _)| *k != "founded_on" && *k != "region_code");
        fields.push(("founded_on", ""));
        fields.push(("region_code", ""));
        let response = post_form(&app, "/firms", &fields).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.expect("body");
        assert!(html.contains("请填写此项"), "a blank date is missing, not malformed");
        assert!(html.contains("请选择一项"), "a blank choice asks for a choice");
        assert!(!html.contains("日期写法不正确"));

        fields.retain(|(k, _)| *k != "founded_on" && *k != "region_code");
        fields.push(("founded_on", "1994年3月1日"));
        fields.push(("region_code", "320481"));
        let response = post_form(&app, "/firms", &fields).await;
        assert_eq!(response.status(), 303, "1994年3月1日 is a date");
        let listed = app.get_json("/api/v1/firms").await;
        assert_eq!(listed["items"][0]["founded_on"], "1994-03-01");
    }
}

on_both_backends! {
    async fn the_firm_list_sorts_states_its_total_and_names_the_industry(app) {
        for (body, name, founded) in [
            ("320411MA1P00001", "常州甲科技有限公司", "2018-05-01"),
            ("320411MA1P00002", "常州乙科技有限公司", "2012-05-01"),
            ("320411MA1P00003", "常州丙科技有限公司", "2020-05-01"),
        ] {
            let mut firm = young_tech_firm(body);
            firm["name"] = json!(name);
            firm["founded_on"] = json!(founded);
            app.register(&firm).await;
        }
        let order = |html: &str| -> Vec<char> {
            ["甲", "乙", "丙"]
                .iter()
                .filter_map(|n| html.find(&format!("常州{n}科技")).map(|i| (i, n.chars().next().expect("char"))))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .collect()
        };
        let (status, oldest_first) = page(&app, "/firms?sort=founded").await;
        assert_eq!(status, 200);
        assert_eq!(order(&oldest_first), ['乙', '甲', '丙']);
        assert!(oldest_first.contains("data-total=\"3\""));
        assert!(oldest_first.contains("I65（信息传输、软件和信息技术服务业）"));
        assert!(oldest_first.contains("<option value=\"founded\" selected>"), "the order chosen is kept");
        let (_, newest_first) = page(&app, "/firms?sort=founded_desc").await;
        assert_eq!(order(&newest_first), ['丙', '甲', '乙']);
        let (_, registered) = page(&app, "/firms").await;
        assert_eq!(order(&registered), ['甲', '乙', '丙']);
        let (_, beyond) = page(&app, "/firms?page=2").await;
        assert!(beyond.contains("data-total=\"3\""), "the total shows on every page");
        assert!(beyond.contains("id=\"prev-page\""));
    }
}
