//! Honest target status: a closed year judged on 31 December, a ledger that begins inside the
//! period, per-district targets, the recruited tech-SME flow and the Chinese target card.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tier_registry::domain::Role;

use crate::helpers::{TestApp, assert_problem, uscc, young_tech_firm};
use crate::on_both_backends;
use crate::targets::{with_plan, with_plan_at};

/// 04:00 UTC (noon in Beijing) on `day`.
fn at(day: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{day}T04:00:00Z"))
        .expect("an instant")
        .with_timezone(&Utc)
}

/// Registers a firm of `region` and returns its id.
async fn firm_in(app: &TestApp, body: &str, region: &str) -> String {
    let mut firm = young_tech_firm(body);
    firm["region_code"] = json!(region);
    firm["uscc"] = json!(uscc(body));
    app.register(&firm).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Records a high-tech certificate issued on `issued_on` (valid three years).
async fn certify(app: &TestApp, id: &str, number: &str, issued_on: &str) {
    let cert = json!({"kind": "high_tech", "number": number, "issued_on": issued_on});
    let response = app
        .post_json(&format!("/api/v1/firms/{id}/certificates"), &cert)
        .await;
    assert_eq!(response.status(), 201);
}

/// 2024 figures of a small firm scoring 100 on the tech-based SME evaluation.
async fn small_tech_figures(app: &TestApp, id: &str) {
    let year = json!({
        "revenue": 10_000_000, "rd_expense": 600_000, "rd_expense_domestic": 600_000,
        "high_tech_revenue": 5_000_000, "total_assets": 10_000_000, "net_assets": 5_000_000,
        "employees": 100, "tech_staff": 30, "ip_class1": 1, "ip_class2": 0, "innovation_score": 70
    });
    let response = app
        .put_json(&format!("/api/v1/firms/{id}/years/2024"), &year)
        .await;
    assert!(response.status().is_success(), "{}", response.status());
}

fn item<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["items"]
        .as_array()
        .and_then(|items| items.iter().find(|t| t["id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {body}"))
}

const RECRUIT_PLAN: &str = r#"
[[target]]
year = 2025
subject = "tech_sme"
kind = "recruited"
comparison = ">="
value = 2

[[target]]
year = 2025
subject = "tech_sme"
kind = "flow"
comparison = ">="
value = 1
"#;

const CLOSED_PLAN: &str = r#"
[[target]]
year = 2024
subject = "high_tech"
kind = "stock"
comparison = ">="
value = 2

[[target]]
year = 2024
subject = "high_tech"
kind = "net_increase"
comparison = ">="
value = 5
"#;

const FRESH_PLAN: &str = r#"
[[target]]
year = 2025
subject = "high_tech"
kind = "stock"
comparison = ">="
value = 1

[[target]]
year = 2025
subject = "high_tech"
kind = "net_increase"
comparison = ">"
value = 1

[[target]]
year = 2025
subject = "high_tech"
kind = "flow"
comparison = ">="
value = 5

[[target]]
year = 2025
subject = "tech_sme"
kind = "recruited"
comparison = ">="
value = 1200

[[target]]
year = 2025
subject = "high_tech"
kind = "stock"
comparison = ">="
value = 1
region = "320412"
"#;

on_both_backends! {
    async fn recruited_counts_registrations_and_moves_into_the_city_not_firms_already_here(app) {
        // December 2024: the registry already holds A (in the city) and C (in Suzhou); A's
        // certificate starts the ledger.
        let app = with_plan_at(app, RECRUIT_PLAN, at("2024-12-02")).await;
        let a = firm_in(&app, "320411MA1R00001", "320411").await;
        certify(&app, &a, "GR202432000001", "2024-11-01").await;
        let c = firm_in(&app, "320500MA1R00003", "320500").await;

        app.clock.set(crate::helpers::test_now());
        // A, already here, newly qualifies: a flow, not a recruitment.
        small_tech_figures(&app, &a).await;
        // B registers in 2025 and qualifies: recruited.
        let b = firm_in(&app, "320412MA1R00002", "320412").await;
        small_tech_figures(&app, &b).await;
        // C qualifies on its figures but is not in the city until it moves in: recruited.
        small_tech_figures(&app, &c).await;
        let moved = app
            .client
            .patch(app.url(&format!("/api/v1/firms/{c}")))
            .header("If-Match", "\"1\"")
            .json(&json!({"region_code": "320412"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(moved.status(), 200);
        // D registers in 2025 but does not qualify: nothing to count.
        firm_in(&app, "320402MA1R00004", "320402").await;

        let body = app.get_json("/api/v1/targets?year=2025").await;
        let recruited = item(&body, "tech_sme-recruited");
        assert_eq!((recruited["actual"].clone(), recruited["status"].clone()), (json!(2), json!("met")), "{recruited}");
        assert_eq!(recruited["kind"], "recruited");
        assert_eq!(recruited["history_from"], Value::Null, "the ledger began in 2024");
        assert_eq!(item(&body, "tech_sme-flow")["actual"], json!(3), "A, B and C entered the track");

        let firms = app.get_json("/api/v1/targets/tech_sme-recruited/firms?year=2025").await;
        let mut ids: Vec<&str> = firms["items"].as_array().expect("items").iter().filter_map(|f| f["firm_id"].as_str()).collect();
        ids.sort_unstable();
        let mut want = vec![b.as_str(), c.as_str()];
        want.sort_unstable();
        assert_eq!(ids, want, "the firms behind the figure are B and C, not A");
    }

    async fn a_closed_year_is_met_or_missed_on_its_31_december_figure(app) {
        // The registry started in December 2023 (its rules in force from 1 January 2024, when
        // X1 enters the high-tech tier), so 2024's history is whole.
        let app = with_plan_at(app, CLOSED_PLAN, at("2023-12-01")).await;
        let x1 = firm_in(&app, "320411MA1X00001", "320411").await;
        certify(&app, &x1, "GR202332000001", "2023-06-01").await;
        app.clock.set(at("2024-03-01"));
        let x2 = firm_in(&app, "320411MA1X00002", "320411").await;
        certify(&app, &x2, "GR202432000002", "2024-02-01").await;
        app.clock.set(crate::helpers::test_now());
        let x3 = firm_in(&app, "320411MA1X00003", "320411").await;
        certify(&app, &x3, "GR202532000003", "2025-01-10").await;

        let body = app.get_json("/api/v1/targets?year=2024").await;
        let stock = item(&body, "high_tech-stock");
        assert_eq!(stock["as_of"], "2024-12-31");
        assert_eq!(stock["closed"], true);
        assert_eq!(stock["history_from"], Value::Null, "the registry began in 2023");
        assert_eq!((stock["actual"].clone(), stock["status"].clone()), (json!(2), json!("met")), "today's third firm is not counted");
        let net = item(&body, "high_tech-net_increase");
        assert_eq!((net["actual"].clone(), net["status"].clone()), (json!(2), json!("missed")), "{net}");

        let page = app
            .as_staff(Role::Viewer)
            .get(app.url("/targets/high_tech-net_increase/firms?year=2024"))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("a page");
        assert!(page.contains("年度已结束，按 2024-12-31 的数字评定"), "{page}");
        assert!(page.contains("未完成"), "{page}");
        assert!(!page.contains("进度落后"), "{page}");

        // The targets page of the closed year: both cards with their final status.
        let viewer = app.as_staff(Role::Viewer);
        let list = viewer.get(app.url("/targets?year=2024")).send().await.expect("sent").text().await.expect("a page");
        let cards = visible_text(&list[list.find("id=\"target-cards\"").expect("the cards")..]);
        assert!(cards.contains("已完成") && cards.contains("未完成"), "{cards}");
        assert!(cards.contains("存量 不少于 2") && cards.contains("净增 不少于 5"), "{cards}");
        assert!(!cards.contains("进度落后") && !cards.contains(">"), "{cards}");
        let empty = viewer.get(app.url("/targets?year=2025")).send().await.expect("sent").text().await.expect("a page");
        assert!(empty.contains("2025年未配置目标。"), "{empty}");
    }

    async fn a_ledger_beginning_inside_the_year_says_so_instead_of_counting_the_load(app) {
        let app = with_plan(app, FRESH_PLAN).await;
        let x = firm_in(&app, "320411MA1Y00001", "320411").await;
        certify(&app, &x, "GR202532000011", "2025-01-10").await;

        let body = app.get_json("/api/v1/targets").await;
        let net = item(&body, "high_tech-net_increase");
        assert_eq!(net["history_from"], "2025-06-30", "{net}");
        assert_eq!(net["counted_from"], "2025-07-01");
        assert_eq!((net["actual"].clone(), net["status"].clone()), (json!(0), json!("incomplete_history")), "the initial load is not growth");
        let flow = item(&body, "high_tech-flow");
        assert_eq!((flow["actual"].clone(), flow["status"].clone()), (json!(0), json!("incomplete_history")));
        let stock = item(&body, "high_tech-stock");
        assert_eq!((stock["actual"].clone(), stock["status"].clone()), (json!(1), json!("met")), "a stock is whole on its day");

        // The 2024 plan of a registry started in 2025: nothing recorded, no figure.
        let shipped = app.get_json("/api/v1/targets?year=2024").await;
        assert!(shipped["items"].as_array().is_some_and(Vec::is_empty), "this plan has no 2024 targets");

        let page = app
            .as_staff(Role::Viewer)
            .get(app.url("/dashboard"))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("a page");
        let start = page.find("id=\"targets-title\"").expect("the targets section");
        let section = &page[start..];
        let section = &section[..section.find("</section>").expect("its end")];
        let text = visible_text(section);
        assert!(text.contains("台账自 2025-06-30 起才有记录"), "{text}");
        assert!(text.contains("统计截至 2025-06-30"), "{text}");
        assert!(text.contains("科技型中小企业"), "{text}");
        assert!(text.contains("招引 不少于 1200"), "{text}");
        assert!(text.contains("净增 超过 1"), "{text}");
        for bad in ["tech_sme", "high_tech", ">", "&gt;", "recruited"] {
            assert!(!text.contains(bad), "{bad} on a Chinese card: {text}");
        }
    }

    async fn a_district_target_stands_beside_the_city_wide_one(app) {
        let app = with_plan(app, FRESH_PLAN).await;
        let x = firm_in(&app, "320411MA1W00001", "320411").await;
        certify(&app, &x, "GR202532000021", "2025-01-10").await;

        let all = app.get_json("/api/v1/targets").await;
        assert_eq!(item(&all, "high_tech-stock")["actual"], json!(1), "city-wide");
        let district = item(&all, "high_tech-stock-320412");
        assert_eq!((district["actual"].clone(), district["region"].clone()), (json!(0), json!("320412")), "the Xinbei firm is not Wujin's");
        assert_eq!(district["status"], "behind");

        let wujin = app.get_json("/api/v1/targets?region=320412").await;
        let ids: Vec<&str> = wujin["items"].as_array().expect("items").iter().filter_map(|t| t["id"].as_str()).collect();
        assert_eq!(ids, vec!["high_tech-stock-320412"], "only that district's targets");
        assert_problem(app.get("/api/v1/targets?region=32041").await, 422, Some("region")).await;

        // The targets page: every card, or one district's.
        let viewer = app.as_staff(Role::Viewer);
        let all = viewer.get(app.url("/targets")).send().await.expect("sent").text().await.expect("a page");
        assert_eq!(all.matches("class=\"card\"").count(), 5, "the five 2025 targets");
        let wujin = viewer.get(app.url("/targets?region=320412")).send().await.expect("sent").text().await.expect("a page");
        assert_eq!(wujin.matches("class=\"card\"").count(), 1, "{wujin}");
        assert!(wujin.contains("2025 · 高新技术企业 · 武进区"), "{wujin}");
    }
}

/// The text a reader sees: everything outside tags.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
