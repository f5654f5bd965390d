//! Imports merge into stored records and never erase: an absent column or an empty cell
//! keeps the stored value, a row equal to the stored record is `unchanged` and writes
//! nothing, and the report lists each changed field with its old and new value.

use serde_json::{Value, json};
use tier_registry::service::Registry;

use crate::helpers::{TestApp, test_now, uscc};
use crate::on_both_backends;

const BODY: &str = "320411MA1N07001";

fn import(app: &TestApp, text: &str, commit: bool) -> (bool, String) {
    let registry: Registry = app.registry_at(test_now());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("import.csv");
    std::fs::write(&path, text).expect("write the file");
    let mut out = Vec::new();
    let ok = tier_registry::cli::import(&registry, &path, None, commit, &mut out, &|_| {})
        .expect("the import runs");
    (ok, String::from_utf8(out).expect("UTF-8 report"))
}

/// The report's line for `row`.
fn line(report: &str, row: usize) -> String {
    let prefix = format!("row {row}: ");
    report
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for row {row} in {report}"))
        .to_owned()
}

/// A firm with every yes/no fact set and three years of figures that make it a high-tech
/// candidate, as the reproduction had it. Returns its id.
async fn firm_with_every_fact(app: &TestApp) -> String {
    let firm = app
        .register(&json!({
            "uscc": uscc(BODY),
            "name": "常州恒信科技有限公司",
            "region_code": "320411",
            "industry_code": "I65",
            "founded_on": "2015-03-01",
            "credit_ok": true,
            "tech_firm": true,
            "key_tech_breakthrough": true,
            "in_gazelle_pool": true,
            "in_key_tech_field": true
        }))
        .await;
    let id = firm["id"].as_str().expect("id").to_owned();
    for year in 2022..=2024 {
        let response = app
            .put_json(&format!("/api/v1/firms/{id}/years/{year}"), &year_figures())
            .await;
        assert!(response.status().is_success(), "{}", response.status());
    }
    id
}

fn year_figures() -> Value {
    json!({
        "revenue": 40_000_000, "rd_expense": 3_000_000, "rd_expense_domestic": 3_000_000,
        "high_tech_revenue": 30_000_000, "total_assets": 60_000_000, "net_assets": 20_000_000,
        "employees": 100, "tech_staff": 30, "ip_class1": 2, "ip_class2": 5, "innovation_score": 80
    })
}

fn five_columns(name: &str) -> String {
    format!(
        "uscc,name,region_code,industry_code,founded_on\n{},{name},320411,I65,2015-03-01\n",
        uscc(BODY)
    )
}

async fn events_with_cause(app: &TestApp, cause: &str) -> usize {
    app.get_json("/api/v1/tier-events").await["items"]
        .as_array()
        .map_or(0, |items| {
            items.iter().filter(|e| e["cause"] == cause).count()
        })
}

on_both_backends! {
    async fn a_five_column_file_over_a_firm_with_every_fact_set_changes_nothing(app) {
        let id = firm_with_every_fact(&app).await;
        let before = app.get_json(&format!("/api/v1/firms/{id}")).await;
        let history = app.history(&id).await;
        assert!(
            history.iter().any(|e| e["to_tier"] == "high_tech_candidate"),
            "the firm holds a tier to lose: {history:?}"
        );
        let file = five_columns("常州恒信科技有限公司");

        let (ok, dry) = import(&app, &file, false);
        assert!(ok, "{dry}");
        assert_eq!(line(&dry, 2), format!("row 2: unchanged {}", uscc(BODY)));
        assert!(dry.contains("0 create, 0 update, 1 unchanged, 0 error; 0 tier change(s)"), "{dry}");

        let (ok, committed) = import(&app, &file, true);
        assert!(ok && committed.contains("row 2: unchanged"), "{committed}");
        let after = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(after, before, "no fact erased, no version bump, no new updated_at");
        assert_eq!(app.history(&id).await, history, "no tier event");
        assert_eq!(events_with_cause(&app, "import").await, 0);
    }

    async fn a_file_changing_one_field_reports_it_old_and_new_and_writes_only_it(app) {
        let id = firm_with_every_fact(&app).await;
        let file = format!(
            "uscc,name,region_code,industry_code,founded_on,in_gazelle_pool\n{},常州恒信科技有限公司,320411,I65,2015-03-01,否\n",
            uscc(BODY)
        );
        let (ok, dry) = import(&app, &file, false);
        assert!(ok, "{dry}");
        assert_eq!(
            line(&dry, 2),
            format!("row 2: update {}: in_gazelle_pool true → false", uscc(BODY)),
            "only the changed field is listed"
        );
        let unchanged = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(unchanged["in_gazelle_pool"], true, "a dry run writes nothing");

        let (ok, committed) = import(&app, &file, true);
        assert!(ok, "{committed}");
        let after = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(after["in_gazelle_pool"], false);
        assert_eq!(after["version"], unchanged["version"].as_i64().expect("version") + 1);
        for kept in ["credit_ok", "tech_firm", "key_tech_breakthrough", "in_key_tech_field"] {
            assert_eq!(after[kept], true, "{kept} kept");
        }
        let renamed = five_columns("常州恒信智能科技有限公司");
        let (_, report) = import(&app, &renamed, false);
        assert!(report.contains(": name 常州恒信科技有限公司 → 常州恒信智能科技有限公司"), "{report}");
    }

    async fn empty_cells_keep_stored_values_even_in_required_columns(app) {
        let id = firm_with_every_fact(&app).await;
        app.raw_sql(&format!("UPDATE firms SET listed_on = '2024-01-05' WHERE id = '{id}'"))
            .expect("a listing date");
        let header = "统一社会信用代码,企业名称,英文名称,所属区域,所属行业,成立日期,上市日期,经营状态,信用良好,科技型企业,关键核心技术突破,瞪羚培育库,重点支持领域,重大违法日期";
        let empty = format!("{header}\n{},,,,,,,,,,,,,\n", uscc(BODY));
        let (ok, report) = import(&app, &empty, true);
        assert!(ok && line(&report, 2).starts_with("row 2: unchanged"), "{report}");
        let moved = format!("{header}\n{},,,320412,,,,,,,,,,\n", uscc(BODY));
        let (ok, report) = import(&app, &moved, true);
        assert!(ok, "{report}");
        assert_eq!(line(&report, 2), format!("row 2: update {}: region_code 320411 → 320412", uscc(BODY)));
        let after = app.get_json(&format!("/api/v1/firms/{id}")).await;
        assert_eq!(after["region_code"], "320412");
        assert_eq!(after["listed_on"], "2024-01-05", "an empty cell is not a clear");
        assert_eq!(after["name"], "常州恒信科技有限公司");
        assert_eq!(after["credit_ok"], true);
        let new_firm = format!("{header}\n{},,,320411,I65,2020-01-01,,,,,,,,\n", uscc("320411MA1N07002"));
        let (ok, report) = import(&app, &new_firm, false);
        assert!(!ok && report.contains("row 2: error") && report.contains("[name:"), "a new firm still needs its name: {report}");
    }

    async fn a_year_file_merges_into_the_stored_year_field_by_field(app) {
        let id = firm_with_every_fact(&app).await;
        let code = uscc(BODY);
        let same = format!("uscc,fiscal_year,revenue,employees\n{code},2024,40000000,\n");
        let (ok, report) = import(&app, &same, true);
        assert!(ok && line(&report, 2).starts_with("row 2: unchanged"), "{report}");
        let changed = format!("uscc,fiscal_year,revenue,rd_expense\n{code},2024,41000000,\n{code},2023,,\n");
        let (ok, dry) = import(&app, &changed, false);
        assert!(ok, "{dry}");
        assert_eq!(line(&dry, 2), format!("row 2: update {code}: revenue 40000000 → 41000000"));
        assert!(line(&dry, 3).starts_with("row 3: unchanged"), "{dry}");
        let (ok, report) = import(&app, &changed, true);
        assert!(ok, "{report}");
        let years = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        let stored = years["items"].as_array().expect("items").iter().find(|y| y["fiscal_year"] == 2024).cloned().expect("2024");
        assert_eq!(stored["revenue"], 41_000_000);
        assert_eq!(stored["rd_expense"], 3_000_000, "an empty cell keeps the figure");
        assert_eq!(stored["employees"], 100, "an absent column keeps the figure");
    }

    async fn a_financing_file_imported_again_is_unchanged_and_a_conflicting_round_is_refused(app) {
        firm_with_every_fact(&app).await;
        let code = uscc(BODY);
        let header = "uscc,closed_on,round,amount,amount_currency,post_money_valuation,valuation_currency,investor_kind";
        let file = format!("{header}\n{code},2024-05-01,B轮,6000000,USD,60000000,USD,professional_institution\n");
        let (ok, report) = import(&app, &file, true);
        assert!(ok && report.contains("row 2: create"), "{report}");
        let (ok, again) = import(&app, &file, true);
        assert!(ok && line(&again, 2).starts_with("row 2: unchanged"), "{again}");
        let undisclosed = format!("{header}\n{code},2024-05-01,B轮,,,,,professional_institution\n");
        let (ok, report) = import(&app, &undisclosed, true);
        assert!(ok && line(&report, 2).starts_with("row 2: unchanged"), "empty cells keep the amounts: {report}");

        let corrected = format!("{header}\n{code},2024-05-01,B轮,7000000,USD,,,professional_institution\n");
        let (ok, report) = import(&app, &corrected, true);
        assert!(!ok, "{report}");
        let refused = line(&report, 2);
        assert!(refused.starts_with(&format!("row 2: error {code}: amount 6000000 → 7000000 [amount:")), "{refused}");
        assert!(refused.contains("differs_from_stored"), "{refused}");
        assert!(report.contains("nothing was imported"), "{report}");

        let twice = format!("{header}\n{code},2024-06-01,C轮,,,,,strategic\n{code},2024-06-01,C轮,,,,,other\n");
        let (ok, report) = import(&app, &twice, true);
        assert!(!ok && report.contains("duplicate_in_file"), "{report}");
        let id = app.get_json(&format!("/api/v1/firms?q={code}")).await["items"][0]["id"].as_str().expect("id").to_owned();
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().expect("items").len(), 1, "never doubled: {rounds}");
        assert_eq!(rounds["items"][0]["amount"]["value"], 6_000_000);
    }

    async fn a_financing_file_gets_the_apis_plausibility_checks_and_a_refused_row_imports_nothing(app) {
        firm_with_every_fact(&app).await;
        let code = uscc(BODY);
        let header = "uscc,closed_on,round,amount,amount_currency,post_money_valuation,valuation_currency,investor_kind";
        let sound = format!("{code},2023-01-01,A轮,1000000,CNY,10000000,CNY,professional_institution");
        let above = format!("{header}\n{sound}\n{code},2024-05-01,B轮,900000000,USD,300000000,CNY,professional_institution\n");
        let (ok, report) = import(&app, &above, true);
        assert!(!ok, "{report}");
        assert!(line(&report, 2).starts_with("row 2: create"), "{report}");
        let refused = line(&report, 3);
        assert!(refused.contains("[amount.value:") && refused.contains("exceeds_valuation"), "US$900M at a ¥300M valuation, converted at the rule set's rate: {refused}");
        assert!(report.contains("nothing was imported"), "{report}");

        let small = format!("{header}\n{sound}\n{code},2024-05-01,天使轮,5000,CNY,,,other\n");
        let (ok, report) = import(&app, &small, true);
        assert!(!ok && line(&report, 3).contains("[amount.value:") && line(&report, 3).contains("needs_confirmation"), "{report}");
        let jump = format!("{header}\n{sound}\n{code},2024-05-01,B轮,,,200000001,CNY,other\n");
        let (ok, report) = import(&app, &jump, true);
        let refused = line(&report, 3);
        assert!(!ok && refused.contains("[post_money_valuation.value:") && refused.contains("needs_confirmation"), "more than 20× the file's earlier round: {report}");

        let id = app.get_json(&format!("/api/v1/firms?q={code}")).await["items"][0]["id"].as_str().expect("id").to_owned();
        let rounds = app.get_json(&format!("/api/v1/firms/{id}/financings")).await;
        assert_eq!(rounds["items"].as_array().expect("items").len(), 0, "all or nothing: {rounds}");
        let (ok, report) = import(&app, &format!("{header}\n{sound}\n"), true);
        assert!(ok, "the sound round alone imports: {report}");
    }
}
