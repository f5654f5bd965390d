//! Correcting and withdrawing financing rounds and certificates (`PATCH`/`DELETE` with
//! `If-Match`), the plausibility checks on rounds, and founding dates checked against what is
//! stored.

use serde_json::{Value, json};
use tier_registry::domain::Role;

use crate::helpers::{TestApp, assert_problem, firm_body, round, test_now, young_tech_firm};
use crate::on_both_backends;

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).json(body);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.send().await.expect("sent")
}

async fn patch(
    app: &TestApp,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    send(app, reqwest::Method::PATCH, path, if_match, body).await
}

async fn withdraw(
    app: &TestApp,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    send(app, reqwest::Method::DELETE, path, if_match, body).await
}

/// Registers a young tech firm and records a ¥150M round: a seed unicorn. Returns the firm's
/// id and the round's path.
async fn seed_unicorn(app: &TestApp) -> (String, String) {
    let firm = app.register(&young_tech_firm("320411MA1N00001")).await;
    let id = firm["id"].as_str().expect("id").to_owned();
    let created = app
        .post_json(
            &format!("/api/v1/firms/{id}/financings"),
            &round("2024-01-15", 150_000_000, "CNY"),
        )
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(
        created.headers()["etag"],
        "\"1\"",
        "a new round is version 1"
    );
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["version"], 1);
    assert_eq!(created["withdrawn"], Value::Null);
    let round_id = created["id"].as_str().expect("round id");
    (
        id.clone(),
        format!("/api/v1/firms/{id}/financings/{round_id}"),
    )
}

async fn unicorn_tier(app: &TestApp, id: &str) -> Value {
    let assessment = app
        .get_json(&format!("/api/v1/firms/{id}/assessment"))
        .await;
    assessment["tracks"]
        .as_array()
        .expect("tracks")
        .iter()
        .find(|t| t["track"] == "unicorn")
        .expect("unicorn track")["tier"]
        .clone()
}

async fn audit(app: &TestApp, action: &str) -> Vec<Value> {
    let page: Value = app
        .as_staff(Role::Admin)
        .get(app.url(&format!("/api/v1/audit?action={action}")))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    page["items"].as_array().cloned().unwrap_or_default()
}

on_both_backends! {
    async fn a_round_is_corrected_with_if_match_and_a_stale_or_missing_tag_changes_nothing(app) {
        let (id, path) = seed_unicorn(&app).await;
        let read = app.get(&path).await;
        assert_eq!(read.headers()["etag"], "\"1\"");
        assert_problem(patch(&app, &path, None, &json!({"round": "A+轮"})).await, 428, None).await;
        let corrected = patch(&app, &path, Some("\"1\""), &json!({"round": "A+轮"})).await;
        assert_eq!(corrected.status(), 200);
        assert_eq!(corrected.headers()["etag"], "\"2\"");
        let corrected: Value = corrected.json().await.expect("json");
        assert_eq!(corrected["round"], "A+轮");
        assert_eq!(corrected["post_money_valuation"], json!({"value": 150_000_000, "currency": "CNY"}), "absent fields stay");
        assert_problem(patch(&app, &path, Some("\"1\""), &json!({"round": "B轮"})).await, 412, None).await;
        let listed = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(listed["items"][0]["round"], "A+轮", "the stale edit wrote nothing");
        assert_eq!(listed["items"][0]["version"], 2);
    }

    async fn correcting_a_valuation_reclassifies_the_firm_as_a_correction_with_before_and_after(app) {
        let (id, path) = seed_unicorn(&app).await;
        let corrected = patch(&app, &path, Some("\"1\""), &json!({"post_money_valuation": {"value": 400_000_000, "currency": "CNY"}})).await;
        assert_eq!(corrected.status(), 200);
        assert_eq!(unicorn_tier(&app, &id).await, "potential_unicorn");
        let last = app.history(&id).await.pop().expect("an event");
        assert_eq!((last["kind"].as_str(), last["cause"].as_str()), (Some("promoted"), Some("correction")));
        let entries = audit(&app, "financing.corrected").await;
        assert_eq!(entries.len(), 1);
        let detail = &entries[0]["detail"];
        assert_eq!(detail["before"]["post_money_valuation"]["value"], 150_000_000);
        assert_eq!(detail["after"]["post_money_valuation"]["value"], 400_000_000);
        assert_eq!(entries[0]["target_id"], id.as_str());
    }

    async fn a_withdrawn_round_is_kept_marked_and_no_longer_makes_the_firm_a_seed_unicorn(app) {
        let (id, path) = seed_unicorn(&app).await;
        assert_eq!(unicorn_tier(&app, &id).await, "seed_unicorn");
        assert_problem(withdraw(&app, &path, None, &json!({"reason": "录入错误"})).await, 428, None).await;
        assert_problem(withdraw(&app, &path, Some("\"1\""), &json!({"reason": "  "})).await, 422, Some("reason")).await;
        assert_problem(withdraw(&app, &path, Some("\"1\""), &json!({})).await, 422, Some("reason")).await;
        assert_problem(withdraw(&app, &path, Some("\"7\""), &json!({"reason": "录入错误"})).await, 412, None).await;
        assert_eq!(unicorn_tier(&app, &id).await, "seed_unicorn", "refusals change nothing");

        let done = withdraw(&app, &path, Some("\"1\""), &json!({"reason": "录入错误：重复记录"})).await;
        assert_eq!(done.status(), 200);
        assert_eq!(done.headers()["etag"], "\"2\"");
        let done: Value = done.json().await.expect("json");
        assert_eq!(done["withdrawn"]["reason"], "录入错误：重复记录");
        assert!(done["withdrawn"]["by"].as_str().is_some_and(|by| !by.is_empty()), "{done}");
        assert!(done["withdrawn"]["at"].is_string());

        let listed = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        let items = listed["items"].as_array().expect("items");
        assert_eq!(items.len(), 1, "the round is still stored and listed");
        assert_eq!(items[0]["withdrawn"]["reason"], "录入错误：重复记录");
        assert_eq!(unicorn_tier(&app, &id).await, Value::Null, "it no longer counts");
        let last = app.history(&id).await.pop().expect("an event");
        assert_eq!((last["kind"].as_str(), last["cause"].as_str()), (Some("exited"), Some("correction")));

        let entries = audit(&app, "financing.withdrawn").await;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["detail"]["before"]["withdrawn"], Value::Null);
        assert_eq!(entries[0]["detail"]["after"]["withdrawn"]["reason"], "录入错误：重复记录");

        assert_problem(withdraw(&app, &path, Some("*"), &json!({"reason": "again"})).await, 409, None).await;
        assert_problem(patch(&app, &path, Some("*"), &json!({"round": "B轮"})).await, 409, None).await;
    }

    async fn an_unknown_round_or_certificate_is_404(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let other = "0190b5d4-0000-7000-8000-000000000000";
        assert_problem(app.get(&format!("/api/v1/firms/{id}/financings/{other}")).await, 404, None).await;
        assert_problem(patch(&app, &format!("/api/v1/firms/{id}/certificates/{other}"), Some("*"), &json!({})).await, 404, None).await;
    }

    async fn a_certificate_is_corrected_and_withdrawn_and_its_number_is_free_again(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let list = format!("/api/v1/firms/{id}/certificates");
        let body = json!({"kind": "high_tech", "number": "GR202332001234", "issued_on": "2023-12-08"});
        let created = app.post_json(&list, &body).await;
        assert_eq!(created.headers()["etag"], "\"1\"");
        let created: Value = created.json().await.expect("json");
        let path = format!("{list}/{}", created["id"].as_str().expect("id"));

        assert_problem(patch(&app, &path, None, &json!({"issued_on": "2023-12-09"})).await, 428, None).await;
        let corrected = patch(&app, &path, Some("\"1\""), &json!({"issued_on": "2023-12-09"})).await;
        assert_eq!(corrected.status(), 200);
        let corrected: Value = corrected.json().await.expect("json");
        assert_eq!(corrected["expires_on"], "2026-12-08", "a default expiry follows the issue date");
        assert_problem(patch(&app, &path, Some("\"1\""), &json!({"number": "GR1"})).await, 412, None).await;

        let done = withdraw(&app, &path, Some("\"2\""), &json!({"reason": "证书号录错"})).await;
        assert_eq!(done.status(), 200);
        assert_eq!(app.post_json(&list, &body).await.status(), 201, "the withdrawn number is free");
        let items = app.get_json(&list).await["items"].as_array().cloned().expect("items");
        assert_eq!(items.len(), 2);
        assert_eq!(items.iter().filter(|c| c["withdrawn"].is_null()).count(), 1);
        let entries = audit(&app, "certificate.withdrawn").await;
        assert_eq!(entries[0]["detail"]["before"]["issued_on"], "2023-12-09");
    }

    async fn an_amount_above_the_valuation_is_refused_even_across_currencies(app) {
        let id = app.register(&young_tech_firm("320411MA1N00001")).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/financings");
        let mut body = round("2024-01-15", 300_000_000, "CNY");
        body["amount"] = json!({"value": 900_000_000, "currency": "USD"});
        body["confirm"] = json!(true);
        let refused = assert_problem(app.post_json(&path, &body).await, 422, Some("amount.value")).await;
        assert_eq!(refused["errors"][0]["code"], "exceeds_valuation");
        assert!(app.get_json(&path).await["items"].as_array().expect("items").is_empty());
        assert_eq!(unicorn_tier(&app, &id).await, Value::Null, "no seed unicorn on the spot");
    }

    async fn unusual_figures_need_confirmation_and_are_accepted_with_it(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/financings");
        let small = json!({
            "closed_on": "2024-01-15", "round": "天使轮", "investor_kind": "other",
            "amount": {"value": 5_000, "currency": "CNY"},
            "post_money_valuation": {"value": 30_000, "currency": "CNY"}
        });
        let refused = assert_problem(app.post_json(&path, &small).await, 422, Some("amount.value")).await;
        assert_eq!(refused["errors"][0]["code"], "needs_confirmation");
        let mut confirmed = small.clone();
        confirmed["confirm"] = json!(true);
        assert_eq!(app.post_json(&path, &confirmed).await.status(), 201);

        // ¥30,000 → ¥1,000,000 is more than 20 times the previous valuation.
        let jump = json!({
            "closed_on": "2024-06-01", "round": "A轮", "investor_kind": "other",
            "amount": {"value": 100_000, "currency": "CNY"},
            "post_money_valuation": {"value": 1_000_000, "currency": "CNY"}
        });
        let refused = assert_problem(app.post_json(&path, &jump).await, 422, Some("post_money_valuation.value")).await;
        assert_eq!(refused["errors"][0]["code"], "needs_confirmation");
        let mut confirmed = jump.clone();
        confirmed["confirm"] = json!(true);
        assert_eq!(app.post_json(&path, &confirmed).await.status(), 201);
        assert_eq!(app.get_json(&path).await["items"].as_array().map(Vec::len), Some(2));
    }

    async fn a_founding_date_after_stored_years_rounds_or_certificates_is_refused(app) {
        let firm = app.register(&firm_body()).await;
        let id = firm["id"].as_str().expect("id").to_owned();
        let firm_path = format!("/api/v1/firms/{id}");
        assert_eq!(app.put_json(&format!("{firm_path}/years/2023"), &json!({"revenue": 1_000_000})).await.status().as_u16(), 201);
        let refused = assert_problem(patch(&app, &firm_path, Some("\"1\""), &json!({"founded_on": "2024-02-01"})).await, 422, Some("founded_on")).await;
        assert!(refused["errors"][0]["message"].as_str().is_some_and(|m| m.contains("2023")), "{refused}");

        let later = app.register(&young_tech_firm("320411MA1N00002")).await;
        let later_id = later["id"].as_str().expect("id").to_owned();
        app.post_json(&format!("/api/v1/firms/{later_id}/financings"), &round("2023-03-01", 10_000_000, "CNY")).await;
        app.post_json(&format!("/api/v1/firms/{later_id}/certificates"), &json!({"kind": "high_tech", "number": "GR1", "issued_on": "2022-06-01"})).await;
        let later_path = format!("/api/v1/firms/{later_id}");
        assert_problem(patch(&app, &later_path, Some("*"), &json!({"founded_on": "2023-01-01"})).await, 422, Some("founded_on")).await;
        assert_problem(patch(&app, &later_path, Some("*"), &json!({"founded_on": "2023-04-01"})).await, 422, Some("founded_on")).await;
        assert_eq!(app.get_json(&later_path).await["founded_on"], "2022-01-01", "nothing written");
        assert_eq!(patch(&app, &later_path, Some("*"), &json!({"founded_on": "2022-05-01"})).await.status(), 200, "still before both");
    }

    async fn a_withdrawn_certificate_no_longer_counts_now_or_as_days_pass(app) {
        let id = app.register(&young_tech_firm("320411MA1N00003")).await["id"].as_str().expect("id").to_owned();
        let created: Value = app.post_json(&format!("/api/v1/firms/{id}/certificates"),
            &json!({"kind": "high_tech", "number": "GR202432000003", "issued_on": "2024-01-01"})).await.json().await.expect("json");
        let path = format!("/api/v1/firms/{id}/certificates/{}", created["id"].as_str().expect("id"));
        let high_tech = |events: &[Value]| events.iter().filter(|e| e["track"] == "high_tech").cloned().collect::<Vec<_>>();
        assert_eq!(high_tech(&app.history(&id).await).len(), 1, "entered high_tech");
        assert_eq!(withdraw(&app, &path, Some("\"1\""), &json!({"reason": "不是本企业的证书"})).await.status(), 200);
        let events = high_tech(&app.history(&id).await);
        assert_eq!((events[1]["kind"].as_str(), events[1]["cause"].as_str()), (Some("exited"), Some("correction")));

        // The daily passes load firms in batches; the withdrawn certificate must stay out there too.
        let later = test_now() + chrono::Duration::days(3);
        app.registry_at(later).time().pass(later.date_naive(), "test", &|_| {}).expect("time passes");
        assert_eq!(high_tech(&app.history(&id).await).len(), 2, "no re-entry as days pass");
    }
}
