use serde_json::{Value, json};

use crate::helpers::{assert_problem, firm_body};
use crate::on_both_backends;

fn round() -> Value {
    json!({
        "closed_on": "2024-09-30", "round": "B轮",
        "amount": {"value": 20_000_000, "currency": "USD"},
        "post_money_valuation": {"value": 150_000_000, "currency": "USD"},
        "investor_kind": "professional_institution"
    })
}

on_both_backends! {
    async fn a_round_is_recorded_and_listed_by_closing_date(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/financings");
        let mut earlier = round();
        earlier["closed_on"] = json!("2021-03-01");
        earlier["round"] = json!("A轮");
        earlier.as_object_mut().expect("object").remove("post_money_valuation");
        let created = app.post_json(&path, &round()).await;
        assert_eq!(created.status(), 201);
        let created: Value = created.json().await.expect("json");
        assert_eq!(created["post_money_valuation"], json!({"value": 150_000_000, "currency": "USD"}));
        assert_eq!(app.post_json(&path, &earlier).await.status(), 201);

        let listed = app.get_json(&path).await;
        let rounds: Vec<&str> = listed["items"].as_array().expect("items").iter()
            .map(|r| r["round"].as_str().expect("round")).collect();
        assert_eq!(rounds, ["A轮", "B轮"]);
        assert_eq!(listed["items"][0]["post_money_valuation"], Value::Null, "an undisclosed valuation is not zero");
    }

    async fn bad_amounts_currencies_dates_and_kinds_are_refused_by_name(app) {
        let id = app.register(&firm_body()).await["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/firms/{id}/financings");
        let cases = [
            ("/amount/value", json!(-1), "amount.value"),
            ("/amount/currency", json!("EUR"), "amount.currency"),
            ("/post_money_valuation/value", json!(i64::MAX), "post_money_valuation.value"),
            ("/closed_on", json!("2025-07-01"), "closed_on"),
            ("/closed_on", json!("1990-01-01"), "closed_on"),
            ("/investor_kind", json!("angel"), "investor_kind"),
            ("/round", json!(""), "round"),
        ];
        for (pointer, value, field) in cases {
            let mut body = round();
            *body.pointer_mut(pointer).expect("pointer") = value;
            assert_problem(app.post_json(&path, &body).await, 422, Some(field)).await;
        }
        let mut body = round();
        body["amount"]["extra"] = json!(1);
        assert_problem(app.post_json(&path, &body).await, 422, Some("amount.extra")).await;
        assert!(app.get_json(&path).await["items"].as_array().expect("items").is_empty());
    }

    async fn a_round_for_an_unknown_firm_is_404(app) {
        let path = "/api/v1/firms/0190b5d4-0000-7000-8000-000000000000/financings";
        assert_problem(app.post_json(path, &round()).await, 404, None).await;
    }
}
