//! `tier-registry export` and `demo-data`.

use std::collections::BTreeMap;

use serde_json::json;
use tier_registry::cli::{ExportFormat, demo_data, export};

use crate::helpers::{test_now, uscc};
use crate::on_both_backends;

on_both_backends! {
    async fn exported_cells_that_a_spreadsheet_would_evaluate_start_with_a_quote(app) {
        let mut body = json!({
            "uscc": uscc("320411MA1N00701"),
            "name": "=HYPERLINK(\"http://evil.example\",\"点击\")",
            "name_en": "@SUM(A1:A2)",
            "region_code": "320411",
            "industry_code": "I65",
            "founded_on": "2022-01-01"
        });
        app.register(&body).await;
        body["uscc"] = json!(uscc("320411MA1N00702"));
        body["name"] = json!("常州正常科技有限公司");
        body["name_en"] = json!("-1+2");
        app.register(&body).await;

        let registry = app.registry_at(test_now());
        let mut out = Vec::new();
        let n = export(&registry, ExportFormat::Csv, None, &mut out, &|_| {}).expect("exports");
        assert_eq!(n, 2);
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
        assert!(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点击\"\")\""), "{text}");
        assert!(text.contains(",'@SUM(A1:A2),"), "{text}");
        assert!(text.contains(",'-1+2,"), "{text}");
        assert!(text.contains(",常州正常科技有限公司,"), "{text}");

        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("firms.xlsx");
        export(&registry, ExportFormat::Xlsx, Some(&path), &mut Vec::new(), &|_| {}).expect("xlsx");
        let table = tier_registry::bulk::read_xlsx(&std::fs::read(&path).expect("read back")).expect("a workbook");
        assert_eq!(table.rows.len(), 2);
        assert!(table.rows.iter().any(|r| r.cells.contains(&"'=HYPERLINK(\"http://evil.example\",\"点击\")".to_owned())));
    }

    async fn demo_data_at_a_few_thousand_firms_fills_every_default_tier(app) {
        let registry = app.registry_at(test_now());
        let summary = demo_data(&registry, 3_000, 1, &mut Vec::new(), &|_| {}).expect("loads");
        assert_eq!(summary.firms, 3_000);
        for tier in [
            "unicorn/seed_unicorn",
            "unicorn/potential_unicorn",
            "unicorn/unicorn",
            "gazelle/gazelle",
            "high_tech/high_tech_candidate",
            "high_tech/high_tech",
        ] {
            assert!(summary.tiers.get(tier).copied().unwrap_or(0) > 0, "{tier}: {:?}", summary.tiers);
        }
        let events = app.get_json("/api/v1/tier-events?limit=5").await;
        assert_eq!(events["items"][0]["cause"], "import");
        assert_eq!(events["items"][0]["actor"], "demo-data");
    }

    async fn publishing_rules_over_several_batches_of_firms_records_exactly_what_a_simulation_predicts(app) {
        // 4,500 firms: three batches of the pass (2,000 each), so one batch is classified
        // on the second thread while the next is read and the last is partly full.
        let registry = app.registry_at(test_now());
        demo_data(&registry, 4_500, 3, &mut Vec::new(), &|_| {}).expect("loads");
        let v2 = std::fs::read_to_string("config/rules/default.toml")
            .expect("the default rules")
            .replacen("version = 2", "version = 3", 1)
            .replacen("\"valuation >= 100,000,000 CNY\"", "\"valuation >= 200,000,000 CNY\"", 1);
        let predicted = registry.rule_sets().simulate(&v2, "v2.toml", None).expect("simulates");
        assert!(predicted.movers_total > 0, "the change moves no firm: {:?}", predicted.tiers);

        let published = registry.rule_sets().publish(&v2, "v2.toml", "tests", &|_| {}).expect("publishes");
        assert_eq!(published.summary.firms, 4_500);
        assert_eq!(published.summary.events, predicted.movers_total);

        let counts = app.get_json("/api/v1/tier-counts").await;
        for change in &predicted.tiers {
            let row = counts["tiers"]
                .as_array()
                .expect("tiers")
                .iter()
                .find(|t| t["track"] == change.track.as_str() && t["tier"] == change.tier.as_str())
                .unwrap_or_else(|| panic!("{}/{} missing from {counts}", change.track, change.tier));
            assert_eq!(row["firms"], change.after, "{}/{}", change.track, change.tier);
        }
        // Publishing the same content again finds nothing to do.
        let again = registry.rule_sets().publish(&v2, "v2.toml", "tests", &|_| {}).expect("again");
        assert!(!again.published);
    }

    async fn demo_data_is_deterministic_for_a_seed(app) {
        let registry = app.registry_at(test_now());
        let first = demo_data(&registry, 300, 42, &mut Vec::new(), &|_| {}).expect("loads");
        let other = tempfile::tempdir().expect("temp dir");
        let mut settings = tier_registry::configuration::Settings::default();
        settings.database.url = format!("sqlite://{}", other.path().join("again.db").display());
        let again = tier_registry::startup::open_registry(&settings, tier_registry::service::Clock::fixed(test_now()))
            .expect("second registry");
        again.rule_sets().publish_initial(&settings.rules.dir).expect("rules");
        let second = demo_data(&again, 300, 42, &mut Vec::new(), &|_| {}).expect("loads again");
        assert_eq!(first, second);
        let tiers: BTreeMap<_, _> = first.tiers.clone();
        assert!(!tiers.is_empty());
    }

    async fn the_firm_columns_of_an_export_import_back_as_all_unchanged(app) {
        let mut body = json!({
            "uscc": uscc("320411MA1N00711"),
            "name": "=SUM(1,2) 常州公式科技有限公司",
            "name_en": "-Changzhou Formula Tech",
            "region_code": "320411",
            "industry_code": "I65",
            "founded_on": "2022-01-01",
            "listed_on": "2024-01-05",
            "credit_ok": true,
            "tech_firm": false
        });
        app.register(&body).await;
        body["uscc"] = json!(uscc("320411MA1N00712"));
        body["name"] = json!("常州导出科技有限公司");
        body["name_en"] = json!(null);
        body["listed_on"] = json!(null);
        app.register(&body).await;

        let registry = app.registry_at(test_now());
        let mut out = Vec::new();
        export(&registry, ExportFormat::Csv, None, &mut out, &|_| {}).expect("exports");
        // The export's firm columns, as an operator cuts them (its tier and figure columns
        // are computed or belong in a year file).
        let text = String::from_utf8(out).expect("UTF-8");
        let dir = tempfile::tempdir().expect("temp dir");
        let whole = dir.path().join("export.csv");
        std::fs::write(&whole, &text).expect("write");
        let mut refused = Vec::new();
        let ok = tier_registry::cli::import(&registry, &whole, None, true, &mut refused, &|_| {}).expect("runs");
        let refused = String::from_utf8(refused).expect("UTF-8");
        assert!(!ok && refused.contains("this is an export") && refused.contains("first eight"), "{refused}");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut writer = csv::Writer::from_writer(Vec::new());
        for record in reader.records() {
            let record = record.expect("a CSV record");
            writer.write_record(record.iter().take(8)).expect("write");
        }
        let firms = String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8");
        let path = dir.path().join("firms.csv");
        std::fs::write(&path, firms).expect("write");
        let mut report = Vec::new();
        let ok = tier_registry::cli::import(&registry, &path, None, true, &mut report, &|_| {}).expect("imports");
        let report = String::from_utf8(report).expect("UTF-8");
        assert!(ok, "{report}");
        assert!(report.contains("firms file: 0 create, 0 update, 2 unchanged, 0 error; 0 tier change(s)"), "{report}");
    }
}
