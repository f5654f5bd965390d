//! Early warnings: certificates ending, tiers lost on 1 January, missing figures, tiers held
//! narrowly; each naming its firm, filtered by kind, district and threshold. "Today" is
//! 2025-06-30, so the data year is 2024 and the coming 1 January reads 2025.

use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, firm_body, round, uscc, young_tech_firm};
use crate::on_both_backends;

/// Registers `body` and returns its id.
async fn firm(app: &TestApp, body: &Value) -> String {
    app.register(body).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn invest(app: &TestApp, id: &str, valuation_usd: i64) {
    let created = app
        .post_json(
            &format!("/api/v1/firms/{id}/financings"),
            &round("2025-01-15", valuation_usd, "USD"),
        )
        .await;
    assert_eq!(created.status(), 201);
}

struct Population {
    /// Potential unicorn by ¥305.3M against ¥300M (US$43M at 7.1): 1.8% to spare.
    narrow: String,
    /// Potential unicorn at four years old in data year 2024, five in 2025: a seed unicorn
    /// from 1 January.
    old: String,
    /// Gazelle on 2020–2024 revenue: without 2025 figures it is none on 1 January.
    gazelle: String,
    /// High-tech certificate valid to 2025-07-31, in 溧阳市.
    certified: String,
}

async fn populate(app: &TestApp) -> Population {
    let narrow = firm(app, &young_tech_firm("320411MA1W00001")).await;
    invest(app, &narrow, 43_000_000).await;

    let mut body = young_tech_firm("320411MA1W00002");
    body["name"] = json!("常州远帆科技有限公司");
    body["founded_on"] = json!("2020-03-01");
    let old = firm(app, &body).await;
    invest(app, &old, 60_000_000).await;

    let gazelle = firm(
        app,
        &json!({
            "uscc": uscc("320411MA1W00003"), "name": "常州羚跃新材料有限公司",
            "region_code": "320412", "industry_code": "C39", "founded_on": "2015-05-01",
            "in_gazelle_pool": true, "credit_ok": true
        }),
    )
    .await;
    for (year, revenue) in [
        (2020, 20_000_000),
        (2021, 26_000_000),
        (2022, 33_800_000),
        (2023, 43_940_000),
        (2024, 57_122_000),
    ] {
        let put = app
            .put_json(
                &format!("/api/v1/firms/{gazelle}/years/{year}"),
                &json!({"revenue": revenue}),
            )
            .await;
        assert!(put.status().is_success(), "{year}: {}", put.status());
    }

    let certified = firm(app, &firm_body()).await;
    let cert = app
        .post_json(
            &format!("/api/v1/firms/{certified}/certificates"),
            &json!({"kind": "high_tech", "number": "GR202232001234", "issued_on": "2022-08-01"}),
        )
        .await;
    assert_eq!(cert.status(), 201);
    Population {
        narrow,
        old,
        gazelle,
        certified,
    }
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items")
}

fn of_kind<'a>(body: &'a Value, kind: &str) -> Vec<&'a Value> {
    items(body).iter().filter(|a| a["kind"] == kind).collect()
}

on_both_backends! {
    async fn warnings_name_the_firms_about_to_lose_a_tier_or_a_certificate(app) {
        let p = populate(&app).await;
        let all = app.get_json("/api/v1/alerts").await;
        assert_eq!(all["as_of"], "2025-06-30");
        assert_eq!(all["new_year"], "2026-01-01");
        assert_eq!(all["data_year"], 2024);
        assert_eq!(
            all["totals"],
            json!({"certificate_expiring": 1, "leaves_at_new_year": 2, "missing_figures": 3, "near_loss": 1}),
            "{all}"
        );
        assert_eq!(all["total"], 7);

        let cert = of_kind(&all, "certificate_expiring");
        assert_eq!(cert[0]["firm_id"], p.certified.as_str());
        assert_eq!(cert[0]["date"], "2025-07-31");
        assert_eq!(cert[0]["days_left"], 31);
        assert_eq!(cert[0]["certificate"], "GR202232001234");
        assert_eq!(cert[0]["firm_url"], format!("/api/v1/firms/{}", p.certified));

        let leaving = of_kind(&all, "leaves_at_new_year");
        let old = leaving.iter().find(|a| a["firm_id"] == p.old.as_str()).expect("old firm");
        assert_eq!(old["tier"], "potential_unicorn");
        assert_eq!(old["to_tier"], "seed_unicorn");
        assert_eq!(old["cause"], "age");
        assert_eq!(old["date"], "2026-01-01");
        assert_eq!(old["days_left"], 185);
        let gazelle = leaving.iter().find(|a| a["firm_id"] == p.gazelle.as_str()).expect("gazelle");
        assert_eq!(gazelle["tier"], "gazelle");
        assert_eq!(gazelle["to_tier"], Value::Null);
        assert_eq!(gazelle["cause"], "data_year_rollover");
        assert_eq!(gazelle["data_year"], 2025);

        let missing: Vec<&str> = of_kind(&all, "missing_figures").iter()
            .map(|a| a["firm_id"].as_str().expect("id")).collect();
        assert!(!missing.contains(&p.gazelle.as_str()), "the gazelle has 2024 figures");
        for id in [&p.narrow, &p.old, &p.certified] {
            assert!(missing.contains(&id.as_str()), "{id} has no 2024 figures");
        }

        let near = of_kind(&all, "near_loss");
        assert_eq!(near[0]["firm_id"], p.narrow.as_str());
        assert_eq!(near[0]["tier"], "potential_unicorn");
        assert_eq!(near[0]["margin"], 0.0177);
        assert!(near[0]["conditions"][0].as_str().expect("text").contains("valuation"), "{}", near[0]);
    }

    async fn thresholds_kind_and_district_narrow_the_warnings(app) {
        let p = populate(&app).await;
        let near = app.get_json("/api/v1/alerts?kind=near_loss&margin_percent=1").await;
        assert_eq!(near["total"], 0, "1.8% is not under 1%");
        assert_eq!(near["margin_percent"], 1);
        let wide = app.get_json("/api/v1/alerts?kind=near_loss&margin_percent=50").await;
        assert_eq!(wide["total"], 2, "the old firm holds by 42% through its yuan valuation: {wide}");

        let soon = app.get_json("/api/v1/alerts?kind=certificate_expiring&within_days=30").await;
        assert_eq!(soon["total"], 0, "31 days left is not within 30");
        assert_eq!(soon["totals"]["certificate_expiring"], 0);

        let liyang = app.get_json("/api/v1/alerts?region=320481").await;
        assert_eq!(liyang["totals"], json!({"certificate_expiring": 1, "leaves_at_new_year": 0, "missing_figures": 1, "near_loss": 0}));
        assert!(items(&liyang).iter().all(|a| a["firm_id"] == p.certified.as_str()));

        let first = app.get_json("/api/v1/alerts?limit=2").await;
        assert_eq!(items(&first).len(), 2);
        assert_eq!(first["next_offset"], 2);
        let rest = app.get_json("/api/v1/alerts?offset=2&limit=100").await;
        assert_eq!(items(&rest).len(), 5);
        assert_eq!(rest["next_offset"], Value::Null);

        // A renewal that starts the day after the expiry continues the cover: no warning,
        // at once (a new version of the data is scanned again).
        let renewed = app
            .post_json(
                &format!("/api/v1/firms/{}/certificates", p.certified),
                &json!({"kind": "high_tech", "number": "GR202532009999", "issued_on": "2025-06-01"}),
            )
            .await;
        assert_eq!(renewed.status(), 201);
        let after = app.get_json("/api/v1/alerts?kind=certificate_expiring").await;
        assert_eq!(after["total"], 0, "{after}");
    }

    async fn bad_warning_queries_are_refused_by_name(app) {
        for (query, field) in [
            ("kind=soon", "kind"),
            ("within_days=0", "within_days"),
            ("within_days=367", "within_days"),
            ("margin_percent=51", "margin_percent"),
            ("region=3204", "region"),
            ("offset=-1", "offset"),
            ("limit=0", "limit"),
        ] {
            assert_problem(app.get(&format!("/api/v1/alerts?{query}")).await, 422, Some(field)).await;
        }
        assert_eq!(app.get("/api/v1/alerts?colour=red").await.status(), 400);
        let anonymous = app.anonymous().get(app.url("/api/v1/alerts")).send().await.expect("sent");
        assert_eq!(anonymous.status(), 401);
    }

    async fn the_warnings_page_lists_each_kind_in_chinese_with_links_to_the_firms(app) {
        let p = populate(&app).await;
        let page = |path: &'static str| {
            let client = app.browser();
            let url = app.url(path);
            async move {
                let response = client.get(url).header(ACCEPT, "text/html").send().await.expect("sent");
                assert_eq!(response.status(), 200, "{path}");
                response.text().await.expect("body")
            }
        };
        let html = page("/alerts").await;
        assert!(html.contains("证书即将到期"), "{html}");
        assert!(html.contains("data-total=\"7\""));
        assert!(html.contains(&format!("href=\"/firms/{}\"", p.certified)));
        assert!(html.contains("还剩 31 天"));
        assert!(html.contains("成立年限将超出条件"));
        assert!(html.contains("按 2025 年度数据认定"), "{html}");
        let near = page("/alerts?alert_kind=near_loss").await;
        assert!(near.contains("data-total=\"1\""), "{near}");
        assert!(near.contains(&format!("href=\"/firms/{}\"", p.narrow)));
        assert!(near.contains("仅超出 1.8%"));
        assert!(near.contains("href=\"/alerts.xlsx?alert_kind=near_loss"), "the list offers its spreadsheet");
        let sheets = crate::web_cockpit::xlsx(&app, "/alerts.xlsx?alert_kind=&within_days=90").await;
        let (name, rows) = &sheets[0];
        assert_eq!(name, "预警");
        assert_eq!(rows[0], ["预警类型", "企业名称", "所在区（市）", "当前梯度", "情况", "日期"]);
        assert_eq!(rows.len(), 1 + 7, "a row per warning, every page");
        assert!(rows.iter().any(|r| r[4].contains("还剩 31 天") && r[5] == "2025-07-31"), "{rows:?}");
        let bad = page("/alerts?within_days=abc").await;
        assert!(bad.contains("请输入整数"), "a typed threshold that is no number is named beside its field");
    }
}
