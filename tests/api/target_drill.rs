//! From a target to the firms it counts and to those nearly there.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, round, spawn_app_at, young_tech_firm};
use crate::on_both_backends;

const PLAN: &str = r#"
[[group]]
id = "unicorn_family"
label_zh = "独角兽及潜在独角兽"
label_en = "Unicorns and potential unicorns"
tiers = ["potential_unicorn", "unicorn"]

[[target]]
year = 2025
subject = "unicorn_family"
kind = "stock"
comparison = ">"
value = 1

[[target]]
year = 2025
subject = "unicorn_family"
kind = "net_increase"
comparison = ">="
value = 4

[[target]]
year = 2025
subject = "unicorn_family"
kind = "flow"
comparison = ">="
value = 1
region = "320412"

[[target]]
year = 2025
subject = "seed_unicorn"
kind = "stock"
comparison = ">="
value = 5

[[target]]
year = 2025
subject = "tech_sme"
kind = "flow"
comparison = ">="
value = 1200
"#;

pub async fn with_plan(app: TestApp) -> TestApp {
    with_plan_at(app, crate::helpers::test_now()).await
}

/// `with_plan` on a server whose clock starts at `start`.
async fn with_plan_at(app: TestApp, start: chrono::DateTime<chrono::Utc>) -> TestApp {
    let backend = if app.database_url.starts_with("sqlite://") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    drop(app);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("targets.toml");
    std::fs::write(&path, PLAN).expect("write targets");
    spawn_app_at(backend, |s| s.targets.path = path, start)
        .await
        .expect("the app starts")
}

/// Registers a young tech firm in `region` with one round; returns the firm id and the
/// round's path.
pub async fn invest(
    app: &TestApp,
    uscc_body: &str,
    region: &str,
    valuation: i64,
) -> (String, String) {
    let mut body = young_tech_firm(uscc_body);
    body["region_code"] = json!(region);
    let firm = app.register(&body).await;
    let id = firm["id"].as_str().expect("id").to_owned();
    let created = app
        .post_json(
            &format!("/api/v1/firms/{id}/financings"),
            &round("2025-01-15", valuation, "USD"),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.expect("json");
    let path = format!(
        "/api/v1/firms/{id}/financings/{}",
        created["id"].as_str().expect("round id")
    );
    (id, path)
}

fn target<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["items"]
        .as_array()
        .and_then(|t| t.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {body}"))
}

fn sum_counts(page: &Value) -> i64 {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["counts"].as_i64().expect("counts"))
        .sum()
}

on_both_backends! {
    async fn a_target_lists_the_firms_it_counts_and_those_nearly_there(app) {
        let app = with_plan_at(app, crate::helpers::december_2024()).await;
        crate::helpers::ledger_from_2024(&app).await;
        let (a, _) = invest(&app, "320411MA1T00001", "320411", 60_000_000).await;
        let (b, _) = invest(&app, "320411MA1T00002", "320412", 70_000_000).await;
        let (_c, withdrawn) = invest(&app, "320411MA1T00003", "320411", 80_000_000).await;
        app.register(&young_tech_firm("320411MA1T00004")).await;
        let gone = app.client.delete(app.url(&withdrawn)).header("If-Match", "\"1\"")
            .json(&json!({"reason": "录入错误"})).send().await.expect("sent");
        assert_eq!(gone.status(), 200, "the third firm's round is withdrawn, and its tier with it");

        let targets = app.get_json("/api/v1/targets").await;
        let stock = target(&targets, "unicorn_family-stock");
        assert_eq!(stock["actual"], 2);
        assert_eq!(stock["firms_url"], "/api/v1/targets/unicorn_family-stock/firms?year=2025");
        assert_eq!(stock["near_misses_url"], "/api/v1/targets/unicorn_family-stock/near-misses?year=2025");

        // A stock: the firms holding the tiers, each with the event that gave it.
        let page = app.get_json(stock["firms_url"].as_str().expect("url")).await;
        assert_eq!((page["total"].clone(), sum_counts(&page)), (json!(2), 2), "{page}");
        let ids: Vec<&str> = page["items"].as_array().expect("items").iter().filter_map(|i| i["firm_id"].as_str()).collect();
        let mut want = vec![a.as_str(), b.as_str()];
        want.sort();
        assert_eq!(ids, want);
        for item in page["items"].as_array().expect("items") {
            assert_eq!(item["event"]["to_tier"], item["tier"], "{item}");
            assert_eq!(item["name"], young_tech_firm("320411MA1T00001")["name"], "{item}");
            assert_eq!(item["firm_url"], format!("/api/v1/firms/{}", item["firm_id"].as_str().expect("id")));
        }
        assert_eq!(page["target"]["id"], "unicorn_family-stock");

        // Paged: one at a time, the pages make up the list.
        let first = app.get_json("/api/v1/targets/unicorn_family-stock/firms?limit=1").await;
        assert_eq!((first["items"].as_array().map(Vec::len), first["next_offset"].clone()), (Some(1), json!(1)));
        let second = app.get_json("/api/v1/targets/unicorn_family-stock/firms?limit=1&offset=1").await;
        assert_eq!(second["next_offset"], Value::Null);
        assert_eq!(second["items"][0]["firm_id"], page["items"][1]["firm_id"]);

        // A net increase: three arrivals and one departure make +2.
        let net = target(&targets, "unicorn_family-net_increase");
        let page = app.get_json(net["firms_url"].as_str().expect("url")).await;
        assert_eq!(net["actual"], 2);
        assert_eq!((page["total"].clone(), sum_counts(&page)), (json!(4), 2), "{page}");
        assert!(page["items"].as_array().expect("items").iter().any(|i| i["counts"] == -1 && i["event"]["from_tier"] == i["tier"]), "{page}");

        // A flow in one district: the one arrival there.
        let flow = target(&targets, "unicorn_family-flow-320412");
        let page = app.get_json(flow["firms_url"].as_str().expect("url")).await;
        assert_eq!((flow["actual"].clone(), page["total"].clone()), (json!(1), json!(1)));
        assert_eq!((page["items"][0]["firm_id"].as_str(), page["items"][0]["region_code"].clone()), (Some(b.as_str()), json!("320412")));

        // Near misses: the list /targets computed, smallest gap first, each with its condition.
        let seed = target(&targets, "seed_unicorn-stock");
        let near = app.get_json(seed["near_misses_url"].as_str().expect("url")).await;
        assert_eq!(near["items"], seed["near_misses"]);
        let items = near["items"].as_array().expect("items");
        assert!(items.len() >= 2, "{near}");
        let gaps: Vec<f64> = items.iter().filter_map(|i| i["relative_gap"].as_f64()).collect();
        assert!(gaps.windows(2).all(|w| w[0] <= w[1]), "ranked by gap: {gaps:?}");
        assert!(items.iter().all(|i| i["gaps"].as_array().is_some_and(|g| !g.is_empty())), "{near}");
        for item in items {
            let firm = app.get_json(item["firm_url"].as_str().expect("firm_url")).await;
            assert_eq!(firm["id"], item["firm_id"], "{item}");
        }
        assert_eq!(near["target"]["status"], "behind");

        // No firm entered the tech-SME track: nothing to list.
        let sme = app.get_json("/api/v1/targets/tech_sme-flow/firms").await;
        assert_eq!((sme["total"].clone(), sme["items"].clone()), (json!(0), json!([])));
    }

    async fn on_a_random_history_each_target_lists_entries_that_add_up_to_its_figure(app) {
        let app = with_plan(app).await;
        crate::history::generate(&app, 0x5EED_0165).await;
        let targets = app.get_json("/api/v1/targets").await;
        let mut listed = 0;
        for item in targets["items"].as_array().expect("targets") {
            let Some(actual) = item["actual"].as_i64() else { continue };
            let mut sum = 0;
            let mut offset = Some(0);
            while let Some(at) = offset {
                let page = app.get_json(&format!("{}&offset={at}&limit=3", item["firms_url"].as_str().expect("url"))).await;
                sum += sum_counts(&page);
                listed += page["items"].as_array().map_or(0, Vec::len);
                offset = page["next_offset"].as_u64();
            }
            assert_eq!(sum, actual, "{}", item["id"]);
        }
        assert!(listed > 3, "the history gives the targets firms to list: {listed}");
    }

    async fn unknown_targets_are_404_and_bad_parameters_are_refused_by_name(app) {
        let app = with_plan(app).await;
        for path in ["/api/v1/targets/dragon-stock/firms", "/api/v1/targets/dragon-stock/near-misses", "/api/v1/targets/gazelle-stock/firms?year=2024"] {
            assert_problem(app.get(path).await, 404, None).await;
        }
        for (query, field) in [("year=20x5", "year"), ("offset=-1", "offset"), ("limit=0", "limit"), ("limit=1001", "limit")] {
            assert_problem(app.get(&format!("/api/v1/targets/unicorn_family-stock/firms?{query}")).await, 422, Some(field)).await;
        }
        assert_problem(app.get("/api/v1/targets/unicorn_family-stock/near-misses?year=1").await, 422, Some("year")).await;
        assert_problem(app.get("/api/v1/targets/unicorn_family-stock/firms?page=2").await, 400, None).await;
    }
}
