//! Target progress: actual figures, pace, status and the firms closest to a tier.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, round, spawn_app_at, young_tech_firm};
use crate::on_both_backends;

/// Targets for 2025 sized for a handful of firms.
const SMALL_PLAN: &str = r#"
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
subject = "seed_unicorn"
kind = "stock"
comparison = ">="
value = 2

[[target]]
year = 2025
subject = "gazelle"
kind = "flow"
comparison = ">="
value = 1
region = "320412"

[[target]]
year = 2025
subject = "specialised_sme"
kind = "flow"
comparison = ">="
value = 100
"#;

/// The same database backend as `app`, serving `plan` as its targets file.
pub(crate) async fn with_plan(app: TestApp, plan: &str) -> TestApp {
    with_plan_at(app, plan, crate::helpers::test_now()).await
}

/// `with_plan` on a server whose clock starts at `start`.
pub(crate) async fn with_plan_at(
    app: TestApp,
    plan: &str,
    start: chrono::DateTime<chrono::Utc>,
) -> TestApp {
    let backend = if app.database_url.starts_with("sqlite://") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    drop(app);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("targets.toml");
    std::fs::write(&path, plan).expect("write targets");
    spawn_app_at(backend, |s| s.targets.path = path, start)
        .await
        .expect("the app starts")
}

async fn invest(app: &TestApp, uscc_body: &str, valuation: i64, currency: &str) {
    let firm = app.register(&young_tech_firm(uscc_body)).await;
    let path = format!(
        "/api/v1/firms/{}/financings",
        firm["id"].as_str().expect("id")
    );
    assert_eq!(
        app.post_json(&path, &round("2025-01-15", valuation, currency))
            .await
            .status(),
        201
    );
}

fn by_subject<'a>(body: &'a Value, subject: &str, kind: &str) -> &'a Value {
    body["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|t| t["subject"] == subject && t["kind"] == kind)
        })
        .unwrap_or_else(|| panic!("no {subject} {kind} in {body}"))
}

on_both_backends! {
    async fn targets_report_met_on_track_behind_and_not_tracked_with_near_misses(app) {
        let app = with_plan_at(app, SMALL_PLAN, crate::helpers::december_2024()).await;
        // The registry was running before 2025, so the year's history is whole and the flows
        // and net increase count from 1 January.
        crate::helpers::ledger_from_2024(&app).await;
        invest(&app, "320411MA1U00001", 60_000_000, "USD").await;
        invest(&app, "320411MA1U00002", 70_000_000, "USD").await;
        invest(&app, "320411MA1U00003", 90_000_000, "CNY").await;
        invest(&app, "320411MA1U00004", 50_000_000, "CNY").await;
        app.register(&young_tech_firm("320411MA1U00005")).await;

        let body = app.get_json("/api/v1/targets").await;
        assert_eq!(body["year"], 2025);
        let stock = by_subject(&body, "unicorn_family", "stock");
        assert_eq!((stock["actual"].clone(), stock["status"].clone()), (json!(2), json!("met")));
        assert_eq!(stock["tiers"], json!(["potential_unicorn", "unicorn"]));
        assert_eq!(stock["near_misses"], json!([]), "a met target lists no near misses");

        let net = by_subject(&body, "unicorn_family", "net_increase");
        assert_eq!((net["actual"].clone(), net["progress"].clone()), (json!(2), json!(0.5)));
        // 181 of 365 days have passed on 2025-06-30.
        assert_eq!(net["expected_progress"], json!(0.4959));
        assert_eq!(net["status"], "on_track");

        let seed = by_subject(&body, "seed_unicorn", "stock");
        assert_eq!((seed["actual"].clone(), seed["status"].clone()), (json!(0), json!("behind")));
        let near = seed["near_misses"].as_array().expect("near misses");
        assert_eq!(near.len(), 4, "the four firms without the seed tier: {near:?}");
        assert_eq!((near[0]["failing"].clone(), near[0]["relative_gap"].clone()), (json!(1), json!(0.1)), "¥90M is 10% short of ¥100M");
        assert_eq!((near[1]["failing"].clone(), near[1]["relative_gap"].clone()), (json!(1), json!(0.5)));
        assert!(near[2]["failing"].as_u64() > Some(1), "a firm with no round misses more: {}", near[2]);
        assert!(near[0]["gaps"][0].as_str().is_some_and(|g| g.contains("valuation")), "{}", near[0]);

        let gazelle = by_subject(&body, "gazelle", "flow");
        assert_eq!((gazelle["actual"].clone(), gazelle["region"].clone(), gazelle["status"].clone()), (json!(0), json!("320412"), json!("behind")));

        let sme = by_subject(&body, "specialised_sme", "flow");
        assert_eq!(sme["status"], "not_tracked");
        assert_eq!(sme["actual"], Value::Null);
        assert!(sme["note"].as_str().is_some_and(|n| n.contains("specialised_sme")), "{sme}");
    }

    async fn the_shipped_plan_lists_the_2024_targets(app) {
        let body = app.get_json("/api/v1/targets?year=2024").await;
        let items = body["items"].as_array().expect("items");
        assert_eq!(items.len(), 6);
        let family = by_subject(&body, "unicorn_family", "stock");
        assert_eq!((family["comparison"].clone(), family["value"].clone()), (json!(">"), json!(70)));
        assert_eq!(family["expected_progress"], json!(1.0), "2024 is over");
        assert_eq!(family["as_of"], "2024-12-31");
        assert_eq!(by_subject(&body, "high_tech", "net_increase")["value"], 1000);
        // The registry began on 2025-06-30, after 2024: no 2024 figure is recorded.
        assert_eq!(family["history_from"], "2025-06-30");
        assert_eq!((family["actual"].clone(), family["status"].clone()), (Value::Null, json!("incomplete_history")));
        assert_eq!(family["closed"], true);
        let sme = by_subject(&body, "tech_sme", "recruited");
        assert_eq!(sme["tiers"], json!(["tech_sme"]), "tracked by the default rules' fourth track");
        assert_eq!(sme["status"], "incomplete_history");
        assert_eq!(app.get_json("/api/v1/targets?year=2030").await["items"], json!([]));
    }

    async fn a_malformed_year_is_refused(app) {
        assert_problem(app.get("/api/v1/targets?year=abc").await, 422, Some("year")).await;
        assert_problem(app.get("/api/v1/targets?year=1999").await, 422, Some("year")).await;
        assert_problem(app.get("/api/v1/targets?year=99999999999").await, 422, Some("year")).await;
        assert_problem(app.get("/api/v1/targets?yr=2024").await, 400, None).await;
    }
}

#[test]
fn a_broken_targets_file_stops_start_up_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("targets.toml");
    std::fs::write(&path, "[[target]]\nyear = 2024\nsubject = \"gazelle\"\nkind = \"stock\"\ncomparison = \">\"\nvalue = 1\nvalues = 2\n").expect("write");
    let (mut settings, _db) = crate::helpers::test_settings(Backend::Sqlite).expect("sqlite");
    settings.targets.path = path.clone();
    let error = tier_registry::startup::Application::build(
        &settings,
        tier_registry::service::Clock::system(),
    )
    .err()
    .expect("start-up is refused")
    .to_string();
    assert!(
        error.contains(&format!("{}:", path.display())) && error.contains("values"),
        "{error}"
    );
}
