//! Tier flows: every movement between the opening and the closing count.

use serde_json::Value;

use crate::helpers::{TestApp, assert_problem, round, young_tech_firm};
use crate::history::{all_events, generate};
use crate::on_both_backends;

const INS: [&str; 4] = ["entered", "promoted_in", "demoted_in", "moved_in"];
const OUTS: [&str; 4] = ["promoted_out", "demoted_out", "exited", "moved_out"];

fn field(row: &Value, name: &str) -> i64 {
    row[name]
        .as_i64()
        .unwrap_or_else(|| panic!("{name} in {row}"))
}

/// `opening + ins − outs = closing` and `net = closing − opening`, for a row.
fn assert_balances(row: &Value, context: &str) {
    let ins: i64 = INS.iter().map(|f| field(row, f)).sum();
    let outs: i64 = OUTS.iter().map(|f| field(row, f)).sum();
    assert_eq!(
        field(row, "opening") + ins - outs,
        field(row, "closing"),
        "{context}: {row}"
    );
    assert_eq!(
        field(row, "net"),
        field(row, "closing") - field(row, "opening"),
        "{context}: {row}"
    );
}

fn tier<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["tiers"]
        .as_array()
        .and_then(|t| t.iter().find(|x| x["tier"] == id))
        .unwrap_or_else(|| panic!("no {id} in {body}"))
}

async fn flows(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/tier-flows{query}")).await
}

on_both_backends! {
    async fn a_promotion_is_out_of_the_lower_tier_and_into_the_higher_one(app) {
        let firm = app.register(&young_tech_firm("320411MA1Q00001")).await;
        let path = format!("/api/v1/firms/{}/financings", firm["id"].as_str().expect("id"));
        app.post_json(&path, &round("2024-01-15", 150_000_000, "CNY")).await;
        app.post_json(&path, &round("2025-03-01", 60_000_000, "USD")).await;

        let body = flows(&app, "?from=2025-06-30&to=2025-06-30").await;
        let seed = tier(&body, "seed_unicorn");
        let potential = tier(&body, "potential_unicorn");
        assert_eq!((field(seed, "entered"), field(seed, "promoted_out"), field(seed, "closing")), (1, 1, 0));
        assert_eq!((field(potential, "promoted_in"), field(potential, "closing"), field(potential, "net")), (1, 1, 1));
        let defaults = flows(&app, "").await;
        assert_eq!((defaults["from"].clone(), defaults["to"].clone()), ("2025-01-01".into(), "2025-06-30".into()));
        assert_eq!(tier(&defaults, "potential_unicorn")["closing"], 1);
    }

    async fn flows_balance_for_every_tier_and_district_over_a_random_history(app) {
        generate(&app, 0x5EED_0003).await;
        let events = all_events(&app).await;
        let whole = app.get_json("/api/v1/tier-flows?from=2025-06-10&to=2025-06-30&group_by=region").await;
        let moves: i64 = whole["tiers"].as_array().expect("tiers").iter()
            .flat_map(|t| t["groups"].as_array().cloned().unwrap_or_default())
            .map(|g| field(&g, "moved_in"))
            .sum();
        assert!(moves > 0, "the history moved tier holders between districts");
        for (from, to) in [("2025-06-10", "2025-06-30"), ("2025-06-14", "2025-06-21"), ("2025-06-30", "2025-06-30")] {
            let query = format!("?from={from}&to={to}");
            let total = flows(&app, &query).await;
            let by_region = flows(&app, &format!("{query}&group_by=region")).await;
            let before = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").expect("date").pred_opt().expect("day");
            let opening = app.get_json(&format!("/api/v1/tier-counts?as_of={before}")).await;
            let closing = app.get_json(&format!("/api/v1/tier-counts?as_of={to}")).await;
            for row in total["tiers"].as_array().expect("tiers") {
                let id = row["tier"].as_str().expect("tier");
                assert_balances(row, &format!("{id} {from}..{to}"));
                assert_eq!((field(row, "moved_in"), field(row, "moved_out")), (0, 0), "no moves without grouping");
                assert_eq!(row["opening"], tier(&opening, id)["firms"], "opening of {id}");
                assert_eq!(row["closing"], tier(&closing, id)["firms"], "closing of {id}");
                let in_period = |e: &&Value| {
                    let d = e["effective_on"].as_str().unwrap_or("");
                    d >= from && d <= to
                };
                let entered = events.iter().filter(in_period)
                    .filter(|e| e["kind"] == "entered" && e["to_tier"] == id).count() as i64;
                let exited = events.iter().filter(in_period)
                    .filter(|e| e["kind"] == "exited" && e["from_tier"] == id).count() as i64;
                assert_eq!((field(row, "entered"), field(row, "exited")), (entered, exited), "{id} {from}..{to}");

                let regional = tier(&by_region, id);
                assert_balances(regional, "region totals");
                let groups = regional["groups"].as_array().expect("groups");
                for g in groups {
                    assert_balances(g, &format!("{id} in {}", g["key"]));
                }
                let sum = |name: &str| groups.iter().map(|g| field(g, name)).sum::<i64>();
                assert_eq!(sum("moved_in"), sum("moved_out"), "moves leave one district for another: {id}");
                assert_eq!(sum("closing"), field(row, "closing"));
            }
        }
    }

    async fn bad_flow_parameters_are_refused_naming_the_parameter(app) {
        assert_problem(app.get("/api/v1/tier-flows?from=2025-06-30&to=2025-06-01").await, 422, Some("from")).await;
        assert_problem(app.get("/api/v1/tier-flows?to=2025-07-01").await, 422, Some("to")).await;
        assert_problem(app.get("/api/v1/tier-flows?from=2025-6-1").await, 422, Some("from")).await;
        assert_problem(app.get("/api/v1/tier-flows?from=0001-01-01").await, 422, Some("from")).await;
        assert_problem(app.get("/api/v1/tier-flows?group_by=district").await, 422, Some("group_by")).await;
        assert_problem(app.get("/api/v1/tier-flows?format=pdf").await, 422, Some("format")).await;
        assert_problem(app.get("/api/v1/tier-flows?region=320411").await, 400, None).await;
        assert_eq!(app.client.delete(app.url("/api/v1/tier-flows")).send().await.expect("sent").status(), 405);
    }
}
