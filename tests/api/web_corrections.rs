//! The staff pages that correct and withdraw rounds and certificates: 修改 and 撤回 on every
//! record, an edit form carrying the version (a stale one shows the conflict), a withdrawal
//! with a confirmation step and a reason, and the confirmation of unusual figures.

use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use crate::helpers::{TestApp, round, young_tech_firm};
use crate::on_both_backends;

const HTML: &str = "text/html,application/xhtml+xml";

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app
        .browser()
        .get(app.url(path))
        .header(ACCEPT, HTML)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", token.as_str()));
    app.browser()
        .post(app.url(path))
        .header(ACCEPT, HTML)
        .form(&fields)
        .send()
        .await
        .expect("sent")
}

/// A seed unicorn with one ¥150M round; returns the firm id and the round id.
async fn seed_unicorn(app: &TestApp) -> (String, String) {
    let firm = app.register(&young_tech_firm("320411MA1N00001")).await;
    let id = firm["id"].as_str().expect("id").to_owned();
    let created: Value = app
        .post_json(
            &format!("/api/v1/firms/{id}/financings"),
            &round("2024-01-15", 150_000_000, "CNY"),
        )
        .await
        .json()
        .await
        .expect("json");
    (id, created["id"].as_str().expect("round id").to_owned())
}

const ROUND_FORM: [(&str, &str); 7] = [
    ("closed_on", "2024-01-15"),
    ("round", "A轮"),
    ("amount_value", "15000000"),
    ("amount_currency", "CNY"),
    ("post_money_valuation_value", "400,000,000"),
    ("post_money_valuation_currency", "CNY"),
    ("investor_kind", "professional_institution"),
];

on_both_backends! {
    async fn every_round_on_the_firm_page_offers_edit_and_withdraw(app) {
        let (id, round_id) = seed_unicorn(&app).await;
        for path in [format!("/firms/{id}"), format!("/firms/{id}/financings/new")] {
            let (status, html) = page(&app, &path).await;
            assert_eq!(status, 200);
            assert!(html.contains(&format!("href=\"/firms/{id}/financings/{round_id}/edit\">修改</a>")), "{path}");
            assert!(html.contains(&format!("href=\"/firms/{id}/financings/{round_id}/withdraw\">撤回</a>")), "{path}");
        }
    }

    async fn the_round_edit_form_saves_a_correction_and_a_stale_one_shows_the_conflict(app) {
        let (id, round_id) = seed_unicorn(&app).await;
        let edit = format!("/firms/{id}/financings/{round_id}/edit");
        let (status, form) = page(&app, &edit).await;
        assert_eq!(status, 200);
        assert!(form.contains("name=\"version\" value=\"1\""), "the form carries the version");
        assert!(form.contains("value=\"150000000\""), "the form is filled with the round");

        let mut fields = ROUND_FORM.to_vec();
        fields.push(("version", "1"));
        let saved = post_form(&app, &edit, &fields).await;
        assert_eq!(saved.status(), 303);
        let stored = app.get_json(&format!("/api/v1/firms/{id}/financings/{round_id}")).await;
        assert_eq!(stored["post_money_valuation"]["value"], 400_000_000);
        assert_eq!(stored["version"], 2);
        let (_, firm_page) = page(&app, &format!("/firms/{id}")).await;
        assert!(firm_page.contains("更正或撤回记录"), "the history names the correction");

        // The same form again, opened at version 1: someone else saved meanwhile.
        fields[4] = ("post_money_valuation_value", "500000000");
        let stale = post_form(&app, &edit, &fields).await;
        assert_eq!(stale.status(), 409);
        let html = stale.text().await.expect("body");
        assert!(html.contains("保存冲突") && html.contains("500000000"), "shows what was typed");
        let stored = app.get_json(&format!("/api/v1/firms/{id}/financings/{round_id}")).await;
        assert_eq!(stored["post_money_valuation"]["value"], 400_000_000, "nothing written");
    }

    async fn withdrawing_a_round_takes_a_confirmation_step_with_a_reason(app) {
        let (id, round_id) = seed_unicorn(&app).await;
        let path = format!("/firms/{id}/financings/{round_id}/withdraw");
        let (status, confirm) = page(&app, &path).await;
        assert_eq!(status, 200);
        assert!(confirm.contains("确认撤回") && confirm.contains("撤回原因"), "asks for a reason and a confirmation");
        assert!(confirm.contains("name=\"version\" value=\"1\""));

        let no_reason = post_form(&app, &path, &[("version", "1"), ("reason", "")]).await;
        assert_eq!(no_reason.status(), 422);
        assert!(no_reason.text().await.expect("body").contains("id=\"e-reason\""));
        let listed = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(listed["items"][0]["withdrawn"], Value::Null, "nothing withdrawn without a reason");

        let done = post_form(&app, &path, &[("version", "1"), ("reason", "重复录入")]).await;
        assert_eq!(done.status(), 303);
        let listed = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(listed["items"][0]["withdrawn"]["reason"], "重复录入");
        let (_, html) = page(&app, &format!("/firms/{id}")).await;
        assert!(html.contains("已撤回") && html.contains("重复录入"), "shown as withdrawn with its reason");
        assert!(!html.contains(&format!("/firms/{id}/financings/{round_id}/edit")), "no more actions");
        assert!(!html.contains("<span class=\"tag\">种子独角兽</span>"), "no longer a seed unicorn");

        let again = post_form(&app, &path, &[("version", "1"), ("reason", "再次")]).await;
        assert_eq!(again.status(), 409, "a stale withdrawal shows the conflict");
    }

    async fn a_certificate_is_edited_and_withdrawn_from_its_page(app) {
        let firm = app.register(&young_tech_firm("320411MA1N00001")).await;
        let id = firm["id"].as_str().expect("id").to_owned();
        let created: Value = app.post_json(&format!("/api/v1/firms/{id}/certificates"),
            &json!({"kind": "high_tech", "number": "GR202332001234", "issued_on": "2023-12-08"})).await.json().await.expect("json");
        let cert_id = created["id"].as_str().expect("id");
        let (_, list) = page(&app, &format!("/firms/{id}/certificates/new")).await;
        assert!(list.contains(&format!("/firms/{id}/certificates/{cert_id}/edit")));
        let edit = format!("/firms/{id}/certificates/{cert_id}/edit");
        let fields = [("version", "1"), ("kind", "high_tech"), ("number", "GR202332009999"), ("issued_on", "2023-12-08"), ("expires_on", "2026-12-07")];
        assert_eq!(post_form(&app, &edit, &fields).await.status(), 303);
        let stale = post_form(&app, &edit, &fields).await;
        assert_eq!(stale.status(), 409);
        let withdraw = format!("/firms/{id}/certificates/{cert_id}/withdraw");
        assert_eq!(post_form(&app, &withdraw, &[("version", "2"), ("reason", "证书号录错")]).await.status(), 303);
        let stored = app.get_json(&format!("/api/v1/firms/{id}/certificates/{cert_id}")).await;
        assert_eq!(stored["number"], "GR202332009999");
        assert_eq!(stored["withdrawn"]["reason"], "证书号录错");
    }

    async fn a_tiny_round_in_the_form_asks_for_confirmation_and_saves_once_confirmed(app) {
        let firm = app.register(&young_tech_firm("320411MA1N00001")).await;
        let id = firm["id"].as_str().expect("id").to_owned();
        let fields = [
            ("closed_on", "2024-01-15"), ("round", "天使轮"),
            ("amount_value", "5000"), ("amount_currency", "CNY"),
            ("post_money_valuation_value", "30000"), ("post_money_valuation_currency", "CNY"),
            ("investor_kind", "other"),
        ];
        let first = post_form(&app, &format!("/firms/{id}/financings"), &fields).await;
        assert_eq!(first.status(), 422);
        let html = first.text().await.expect("body");
        assert!(html.contains("name=\"confirm\""), "offers the confirmation");
        assert!(html.contains("value=\"5000\""), "keeps what was typed");
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "yes"));
        assert_eq!(post_form(&app, &format!("/firms/{id}/financings"), &confirmed).await.status(), 303);
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().map(Vec::len), Some(1));
    }

    async fn the_firm_edit_form_refuses_a_founding_date_after_a_stored_round(app) {
        let (id, _) = seed_unicorn(&app).await;
        let firm = app.get_json(&format!("/api/v1/firms/{id}")).await;
        let fields = [
            ("version", "1"), ("uscc", firm["uscc"].as_str().expect("uscc")), ("name", "常州星河智能科技有限公司"),
            ("region_code", "320411"), ("industry_code", "I65"), ("founded_on", "2024-03-01"),
            ("status", "active"), ("credit_ok", "yes"), ("tech_firm", "yes"),
        ];
        let response = post_form(&app, &format!("/firms/{id}/edit"), &fields).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.expect("body");
        assert!(html.contains("id=\"e-founded_on\""), "the error is on the founding date");
        assert!(html.contains("value=\"2024-03-01\""), "keeps what was typed");
        assert_eq!(app.get_json(&format!("/api/v1/firms/{id}")).await["founded_on"], "2022-01-01");
    }
}
