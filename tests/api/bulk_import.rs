//! `tier-registry import`: dry runs, all-or-nothing commits, file hygiene, ledger causes.

use serde_json::Value;
use tier_registry::bulk::{FileKind, parse_file};
use tier_registry::domain::Firm;
use tier_registry::inputs::FirmInput;
use tier_registry::service::{Registry, RowAction};
use tier_registry::storage::{self, FirmRow};

use crate::helpers::{TestApp, test_now, uscc};
use crate::on_both_backends;

const FIRM_HEADER: &str =
    "统一社会信用代码,企业名称,所属区域,所属行业,成立日期,信用良好,科技型企业\n";

fn firm_line(body15: &str, name: &str) -> String {
    format!("{},{name},320411,I65,2022-01-01,是,是\n", uscc(body15))
}

/// A young tech firm's round that makes it a potential unicorn, as a financing file.
fn financing_file(body15: &str) -> String {
    format!(
        "uscc,closed_on,round,amount,amount_currency,post_money_valuation,valuation_currency,investor_kind\n{},2024-05-01,B轮,6000000,USD,60000000,USD,professional_institution\n",
        uscc(body15)
    )
}

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

async fn events_with_cause(app: &TestApp, cause: &str) -> Vec<Value> {
    app.get_json("/api/v1/tier-events").await["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["cause"] == cause)
        .collect()
}

on_both_backends! {
    async fn a_dry_run_reports_each_row_and_the_tier_changes_but_writes_nothing(app) {
        let file = format!("{FIRM_HEADER}{}{}", firm_line("320411MA1N00101", "常州甲科技有限公司"), firm_line("320411MA1N00102", "常州乙科技有限公司"));
        let (ok, report) = import(&app, &file, false);
        assert!(ok, "{report}");
        assert!(report.contains("row 2: create"), "{report}");
        assert!(report.contains("row 3: create"), "{report}");
        assert!(report.contains("dry run: nothing was written"), "{report}");
        assert_eq!(app.firm_count().await, 0, "a dry run wrote firms");
        assert!(events_with_cause(&app, "import").await.is_empty());
    }

    async fn a_committed_import_records_ledger_events_with_cause_import(app) {
        let firms = format!("{FIRM_HEADER}{}", firm_line("320411MA1N00201", "常州丙科技有限公司"));
        let (ok, report) = import(&app, &firms, true);
        assert!(ok && report.contains("committed"), "{report}");
        let (ok, report) = import(&app, &financing_file("320411MA1N00201"), true);
        assert!(ok, "{report}");
        assert!(report.contains("unicorn: none → potential_unicorn (entered)"), "{report}");
        let events = events_with_cause(&app, "import").await;
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["to_tier"], "potential_unicorn");
        assert_eq!(events[0]["actor"], "cli");
        let (_, again) = import(&app, &firms, true);
        assert!(again.contains("row 2: unchanged"), "{again}");
        let renamed = firms.replace("常州丙科技有限公司", "常州丙智能科技有限公司");
        let (_, edited) = import(&app, &renamed, true);
        assert!(edited.contains("row 2: update"), "{edited}");
    }

    async fn a_file_with_one_bad_row_imports_nothing(app) {
        let bad = format!("{},坏,320499,C38,2020-01-01,,\n", uscc("320411MA1N00302"));
        let file = format!("{FIRM_HEADER}{}{bad}", firm_line("320411MA1N00301", "常州丁科技有限公司"));
        let (ok, report) = import(&app, &file, true);
        assert!(!ok, "{report}");
        assert!(report.contains("row 3: error"), "{report}");
        assert!(report.contains("region_code"), "{report}");
        assert!(report.contains("nothing was imported"), "{report}");
        assert_eq!(app.firm_count().await, 0, "a refused import left firms behind");
    }

    async fn annual_figures_are_created_then_updated_by_uscc_and_year(app) {
        let firms = format!("{FIRM_HEADER}{}", firm_line("320411MA1N00801", "常州庚科技有限公司"));
        assert!(import(&app, &firms, true).0);
        let code = uscc("320411MA1N00801");
        let years = format!("统一社会信用代码,年度,营业收入,研发费用\n{code},2023,1000000,50000\n{code},2024,2000000,\n");
        let (ok, report) = import(&app, &years, true);
        assert!(ok && report.contains("row 2: create") && report.contains("row 3: create"), "{report}");
        let changed = years.replace("2000000,", "2500000,");
        let (ok, report) = import(&app, &changed, true);
        assert!(ok && report.contains("row 2: unchanged") && report.contains("row 3: update"), "{report}");
        let id = app.get_json(&format!("/api/v1/firms?q={code}")).await["items"][0]["id"].as_str().expect("id").to_owned();
        let stored = app.get_json(&format!("/api/v1/firms/{id}/years")).await;
        assert_eq!(stored["items"][1]["revenue"], 2_500_000);
        assert_eq!(stored["items"][1]["rd_expense"], Value::Null, "an empty cell is missing, not zero");
    }

    async fn figures_for_an_unknown_firm_are_a_row_error_naming_the_uscc(app) {
        let file = format!("uscc,fiscal_year,revenue\n{},2024,1000\n", uscc("320411MA1N00401"));
        let (ok, report) = import(&app, &file, true);
        assert!(!ok);
        assert!(report.contains("unknown_firm"), "{report}");
    }

    async fn a_big_file_is_reported_in_file_order_and_an_error_in_its_last_row_writes_nothing(app) {
        // More rows than one insert statement, one checker chunk and the threshold for
        // reading rows on several threads, so rows cross threads and batches.
        let n = 9_100;
        let lines: Vec<String> = (0..n)
            .map(|i| firm_line(&format!("320411MA2{i:06}"), &format!("常州{i}号科技有限公司")))
            .collect();
        let bad = format!("{},坏,320499,C38,2020-01-01,,\n", uscc("320411MA3000001"));
        let refused = format!("{FIRM_HEADER}{}{bad}", lines.concat());
        let (ok, report) = import(&app, &refused, true);
        assert!(!ok, "a bad last row was accepted");
        let reported: Vec<&str> = report.lines().filter(|l| l.starts_with("row ")).collect();
        assert_eq!(reported.len(), n + 1);
        for (i, line) in reported.iter().take(n).enumerate() {
            let code = uscc(&format!("320411MA2{i:06}"));
            assert_eq!(*line, format!("row {}: create {code}", i + 2), "rows out of order");
        }
        assert!(reported[n].starts_with(&format!("row {}: error", n + 2)), "{}", reported[n]);
        assert!(report.contains("1 row(s) refused: nothing was imported"), "{report}");
        assert_eq!(app.firm_count().await, 0, "a refused import left firms behind");

        let accepted = format!("{FIRM_HEADER}{}", lines.concat());
        let (ok, report) = import(&app, &accepted, true);
        assert!(ok, "{}", report.lines().last().unwrap_or_default());
        assert!(report.contains(&format!("firms file: {n} create, 0 update")), "{}", report.lines().last().unwrap_or_default());
        for i in [0, 999, 1_000, n - 1] {
            let code = uscc(&format!("320411MA2{i:06}"));
            let found = app.get_json(&format!("/api/v1/firms?q={code}")).await;
            assert_eq!(found["items"][0]["name"], format!("常州{i}号科技有限公司"), "row {}", i + 2);
            assert_eq!(found["items"][0]["founded_on"], "2022-01-01");
        }
        let (_, again) = import(&app, &accepted, true);
        assert!(again.contains(&format!("firms file: 0 create, 0 update, {n} unchanged")), "{}", again.lines().last().unwrap_or_default());
    }

    async fn firms_inserted_in_bulk_read_back_as_a_single_insert_stores_them(app) {
        let registry = app.registry_at(test_now());
        let mut conn = registry.conn().expect("a connection");
        let at = test_now();
        let profile = |i: usize| {
            FirmInput {
                uscc: uscc(&format!("320411MA4{i:06}")),
                name: format!("常州{i}号科技有限公司"),
                name_en: Some("Changzhou Ltd".into()),
                region_code: "320411".into(),
                industry_code: "I65".into(),
                founded_on: "2019-02-03".into(),
                listed_on: i.is_multiple_of(2).then(|| "2024-01-05".into()),
                status: None,
                credit_ok: Some(true),
                tech_firm: Some(false),
                key_tech_breakthrough: None,
                in_gazelle_pool: None,
                in_key_tech_field: Some(true),
                major_violation_on: None,
            }
            .parse(registry.parse_context())
            .expect("a valid profile")
        };
        // A full 1,000-row statement and a shorter one take different paths.
        let firms: Vec<Firm> = (0..1_003)
            .map(|i| Firm { id: uuid::Uuid::now_v7(), version: 1, created_at: at, updated_at: at, profile: profile(i) })
            .collect();
        let rows: Vec<FirmRow> = firms.iter().map(FirmRow::from).collect();
        storage::insert_firm_rows(&mut conn, &rows).expect("bulk insert");
        let single = Firm { id: uuid::Uuid::now_v7(), version: 1, created_at: at, updated_at: at, profile: profile(5_000) };
        storage::insert_firm(&mut conn, &single).expect("single insert");
        for firm in [&firms[0], &firms[1], &firms[999], &firms[1_002], &single] {
            let stored = storage::find_firm(&mut conn, firm.id).expect("read").expect("stored");
            assert_eq!(&stored, firm);
        }
        // Not only equal once parsed: the bulk path formats dates and timestamps itself on
        // SQLite, and must store the very text diesel stores.
        #[derive(diesel::QueryableByName, Debug, PartialEq)]
        struct Stored {
            #[diesel(sql_type = diesel::sql_types::Text)]
            f: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            l: Option<String>,
            #[diesel(sql_type = diesel::sql_types::Text)]
            c: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            u: String,
        }
        let mut texts = |id: uuid::Uuid| -> Stored {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "SELECT CAST(founded_on AS TEXT) AS f, CAST(listed_on AS TEXT) AS l, \
                 CAST(created_at AS TEXT) AS c, CAST(updated_at AS TEXT) AS u FROM firms WHERE id = '{id}'"
            ))
            .get_result(&mut *conn)
            .expect("stored texts")
        };
        let (bulk, one, short) = (texts(firms[0].id), texts(single.id), texts(firms[1_002].id));
        assert_eq!(bulk, one);
        assert_eq!(short, one, "the short last chunk too");
    }

    async fn a_byte_order_mark_is_stripped_before_the_headers_are_read(app) {
        let file = format!("\u{feff}{FIRM_HEADER}{}", firm_line("320411MA1N00501", "常州戊科技有限公司"));
        let (ok, report) = import(&app, &file, true);
        assert!(ok, "{report}");
        assert_eq!(app.firm_count().await, 1);
    }
}

#[test]
fn gbk_bytes_are_refused_with_a_save_as_utf8_message() {
    // "统一社会信用代码,企业名称" in GBK.
    let gbk: &[u8] = b"\xCD\xB3\xD2\xBB\xC9\xE7\xBB\xE1\xD0\xC5\xD3\xC3\xB4\xFA\xC2\xEB,\xC6\xF3\xD2\xB5\xC3\xFB\xB3\xC6\n";
    let err = parse_file(gbk, None).expect_err("GBK refused");
    assert!(
        err.to_string().contains("save it as \"CSV UTF-8\""),
        "{err}"
    );
}

#[test]
fn a_duplicate_uscc_in_one_file_is_refused_naming_both_rows() {
    let line = firm_line("320411MA1N00601", "常州己科技有限公司");
    let file = format!("{FIRM_HEADER}{line}{}", line.to_lowercase());
    let parsed = parse_file(file.as_bytes(), Some(FileKind::Firms)).expect("reads");
    let Err(err) = &parsed.rows[1].1 else {
        panic!("the duplicate was accepted")
    };
    assert_eq!(err.row, 3);
    assert_eq!(err.errors[0].code, "duplicate_in_file");
    assert!(err.errors[0].message.contains("row 2"));
}

#[test]
fn a_missing_or_duplicate_column_refuses_the_whole_file() {
    let missing = "统一社会信用代码,企业名称\n91320481703625269H,x\n";
    let err = parse_file(missing.as_bytes(), None).expect_err("missing columns");
    assert!(err.to_string().contains("missing required column"), "{err}");
    let duplicate =
        "uscc,name,企业名称,region_code,industry_code,founded_on\nx,y,z,320411,C38,2020-01-01\n";
    let err = parse_file(duplicate.as_bytes(), None).expect_err("duplicate column");
    assert!(err.to_string().contains("columns 2 and 3"), "{err}");
}

#[test]
fn row_actions_are_named_as_the_report_shows_them() {
    assert_eq!(
        serde_json::to_value(RowAction::Unchanged).ok(),
        Some(Value::from("unchanged"))
    );
}

#[test]
fn an_excel_workbook_is_read_with_its_dates_and_row_numbers() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["uscc", "企业名称", "所属区域", "所属行业", "成立日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    sheet
        .write_string(1, 0, uscc("320411MA1N00901"))
        .expect("uscc");
    sheet
        .write_string(1, 1, "常州辛科技有限公司")
        .expect("name");
    sheet
        .write_number(1, 2, 320411.0)
        .expect("region as a number");
    sheet.write_string(1, 3, "I65").expect("industry");
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 3, 1).expect("date");
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 4, &day, &format)
        .expect("founded_on");
    let bytes = book.save_to_buffer().expect("xlsx bytes");

    let parsed = parse_file(&bytes, None).expect("reads the workbook");
    assert_eq!(parsed.kind, FileKind::Firms);
    let (row, Ok(tier_registry::bulk::Record::Firm(firm))) = &parsed.rows[0] else {
        panic!("a firm row: {:?}", parsed.rows[0]);
    };
    assert_eq!(*row, 2);
    assert_eq!(firm.region_code, "320411", "whole numbers lose their .0");
    assert_eq!(
        firm.founded_on, "2022-03-01",
        "Excel dates become YYYY-MM-DD"
    );
}
