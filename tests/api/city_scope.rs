//! The city counts only firms registered in the city: every tier of the default rule set
//! requires local registration, and the dashboard's totals add up over its districts.

use serde_json::{Value, json};

use crate::helpers::{TestApp, young_tech_firm};
use crate::on_both_backends;

/// Registers a firm in `region` holding a high-tech certificate valid today; returns its id.
async fn certified_firm(app: &TestApp, uscc_body: &str, region: &str) -> String {
    let mut body = young_tech_firm(uscc_body);
    body["region_code"] = json!(region);
    let id = app.register(&body).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let certificate = json!({"kind": "high_tech", "number": format!("GR2023{uscc_body}"), "issued_on": "2023-12-08"});
    let response = app
        .post_json(&format!("/api/v1/firms/{id}/certificates"), &certificate)
        .await;
    assert_eq!(response.status(), 201);
    id
}

/// The firm's tier in the high-tech track, from its assessment.
async fn high_tech_tier(app: &TestApp, id: &str) -> Value {
    let assessment = app
        .get_json(&format!("/api/v1/firms/{id}/assessment"))
        .await;
    assessment["tracks"]
        .as_array()
        .and_then(|tracks| tracks.iter().find(|t| t["track"] == "high_tech"))
        .map(|t| t["tier"].clone())
        .expect("a high_tech track")
}

fn high_tech_firms(counts: &Value) -> i64 {
    counts["tiers"]
        .as_array()
        .and_then(|tiers| tiers.iter().find(|t| t["tier"] == "high_tech"))
        .and_then(|t| t["firms"].as_i64())
        .expect("a high_tech row")
}

/// The numbers of each row of the dashboard's counts table.
fn count_rows(html: &str) -> Vec<Vec<i64>> {
    let table = html
        .split("<table id=\"tier-counts\">")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the counts table");
    let body = table.split("<tbody>").nth(1).expect("tbody");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td class=\"num\">")
                .skip(1)
                .map(|cell| {
                    // A count cell links to its firm list: the number is the link's text.
                    cell.split("</td>")
                        .next()
                        .map(|n| n.trim_end_matches("</a>"))
                        .map(|n| n.rsplit('>').next().unwrap_or(n))
                        .and_then(|n| n.trim().parse().ok())
                        .expect("a number")
                })
                .collect()
        })
        .collect()
}

on_both_backends! {
    async fn a_firm_registered_in_suzhou_with_a_valid_high_tech_certificate_is_not_counted(app) {
        let local = certified_firm(&app, "320411MA1Q00001", "320411").await;
        let suzhou = certified_firm(&app, "320500MA1Q00002", "320500").await;

        let counts = app.get_json("/api/v1/tier-counts").await;
        assert_eq!(high_tech_firms(&counts), 1, "only the Changzhou firm: {counts}");
        let as_of = app.get_json("/api/v1/tier-counts?as_of=2025-06-30").await;
        assert_eq!(high_tech_firms(&as_of), 1, "{as_of}");
        assert_eq!(high_tech_tier(&app, &local).await, json!("high_tech"));
        assert_eq!(high_tech_tier(&app, &suzhou).await, Value::Null);
    }

    async fn the_dashboard_total_of_each_tier_equals_the_sum_of_its_districts(app) {
        certified_firm(&app, "320411MA1Q00003", "320411").await;
        certified_firm(&app, "320412MA1Q00004", "320412").await;
        certified_firm(&app, "320500MA1Q00005", "320500").await;
        certified_firm(&app, "320100MA1Q00006", "320100").await;

        let response = app.browser().get(app.url("/dashboard")).header("accept", "text/html").send().await.expect("sent");
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("html");
        let rows = count_rows(&html);
        assert!(!rows.is_empty(), "{html}");
        for row in &rows {
            assert_eq!(row[0], row[1..].iter().sum::<i64>(), "total vs districts: {row:?}");
        }
        assert!(rows.iter().any(|row| row[0] == 2), "the two Changzhou firms are counted: {rows:?}");
        assert!(!html.contains("市外"), "no firm outside the city holds a tier");
    }

    async fn firms_outside_the_city_holding_a_tier_under_rules_without_the_condition_show_in_a_separate_outside_the_city_column(app) {
        certified_firm(&app, "320411MA1Q00007", "320411").await;
        certified_firm(&app, "320500MA1Q00008", "320500").await;
        // A rule set published before the condition existed counts the Suzhou firm.
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/rules/default.toml"))
            .expect("default rules");
        let without = text.replacen("version = 2", "version = 3", 1).replace(
            r#"rule.all = ["registered_in_city = true", "high_tech_certificate_valid = true"]"#,
            r#"rule.all = ["high_tech_certificate_valid = true"]"#,
        );
        app.registry.rule_sets().publish(&without, "default-v2.toml", "test", &|_| {}).expect("published");

        let response = app.browser().get(app.url("/dashboard")).header("accept", "text/html").send().await.expect("sent");
        let html = response.text().await.expect("html");
        assert!(html.contains("市外"), "{html}");
        let rows = count_rows(&html);
        for row in &rows {
            assert_eq!(row[0], row[1..].iter().sum::<i64>(), "total vs districts and 市外: {row:?}");
        }
        let high_tech = rows.iter().find(|row| row[0] == 2).expect("the high-tech row counts both");
        assert_eq!(high_tech.last(), Some(&1), "the Suzhou firm is in the 市外 column: {rows:?}");
    }
}
