//! Bulk import from the admin page: a dry run first, then the same file committed.

use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::helpers::{TestApp, uscc};
use crate::on_both_backends;

const BOUNDARY: &str = "----tier-registry-test";

/// A multipart body with `fields` and one file.
fn multipart(fields: &[(&str, &str)], file: &str) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"firms.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{BOUNDARY}--\r\n"
    ));
    body.into_bytes()
}

/// Uploads from an admin's browser, with the session's form token unless `fields` has one.
async fn upload(app: &TestApp, fields: &[(&str, &str)], file: &str) -> (u16, String) {
    let (status, _, html) = upload_to(app, fields, file).await;
    (status, html)
}

/// As [`upload`], with where a redirect points (empty if none).
async fn upload_to(app: &TestApp, fields: &[(&str, &str)], file: &str) -> (u16, String, String) {
    let (browser, token) = app.admin_browser();
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "csrf_token") {
        fields.insert(0, ("csrf_token", token.as_str()));
    }
    let response = browser
        .post(app.url("/admin/import"))
        .header(ACCEPT, "text/html")
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&fields, file))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location, response.text().await.expect("body"))
}

/// The page at `location`, as the admin's browser sees it.
async fn page(app: &TestApp, location: &str) -> (u16, String) {
    let (browser, _) = app.admin_browser();
    let response = browser
        .get(app.url(location))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

fn firms_file(rows: &[(&str, &str)]) -> String {
    let mut file =
        "统一社会信用代码,企业名称,所属区域,所属行业,成立日期,信用良好,科技型企业\n".to_owned();
    for (body15, name) in rows {
        file.push_str(&format!(
            "{},{name},320411,I65,2022-01-01,是,是\n",
            uscc(body15)
        ));
    }
    file
}

/// The SHA-256 the preview page offers back for the commit.
fn previewed_hash(html: &str) -> String {
    hidden(html, "sha256")
}

/// A hidden field's value in the commit form (the last form on the page).
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.rfind(&marker).expect("a commit form") + marker.len();
    let end = html[start..].find('"').expect("closing quote");
    html[start..start + end].to_owned()
}

on_both_backends! {
    async fn a_previewed_file_writes_nothing_and_the_same_file_is_then_committed(app) {
        let file = firms_file(&[("320411MA1N00001", "常州甲科技有限公司"), ("320411MA1N00002", "常州乙科技有限公司")]);
        let (status, html) = upload(&app, &[("action", "preview")], &file).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("新建 2"), "both rows would be created");
        assert_eq!(app.firm_count().await, 0, "a preview writes nothing");
        let hash = previewed_hash(&html);

        let other = firms_file(&[("320411MA1N00003", "常州丙科技有限公司")]);
        let (status, html) = upload(&app, &[("action", "commit"), ("sha256", &hash)], &other).await;
        assert_eq!(status, 409, "another file than the one previewed is refused");
        assert!(html.contains("与预览的文件不同"));
        assert_eq!(app.firm_count().await, 0);

        let (status, location, _) = upload_to(&app, &[("action", "commit"), ("sha256", &hash)], &file).await;
        assert_eq!(status, 303, "a commit redirects to its result");
        assert!(location.starts_with("/admin/import?report="), "{location}");
        assert_eq!(app.firm_count().await, 2);
        let (status, html) = page(&app, &location).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("id=\"import-committed\"") && html.contains("导入完成。"), "{html}");
        assert!(html.contains("导入结果") && html.contains("新建 2"), "the commit's counts: {html}");
        let (again, html_again) = page(&app, &location).await;
        assert_eq!((again, app.firm_count().await), (200, 2), "a refresh of the result writes nothing");
        assert!(html_again.contains("新建 2"));
    }

    async fn a_commit_form_posted_twice_with_its_key_commits_once_and_shows_the_first_result(app) {
        let file = firms_file(&[("320411MA1N00001", "常州甲科技有限公司")]);
        let (_, html) = upload(&app, &[("action", "preview")], &file).await;
        let hash = previewed_hash(&html);
        let key = hidden(&html, "form_key");
        assert_eq!(key.len(), 32, "the commit form carries a one-time key: {html}");
        let fields = [("action", "commit"), ("sha256", hash.as_str()), ("form_key", key.as_str())];
        let first = upload_to(&app, &fields, &file).await;
        let second = upload_to(&app, &fields, &file).await;
        assert_eq!((first.0, second.0), (303, 303));
        assert_eq!(first.1, second.1, "the resubmission lands on the first commit's result");
        let admin = app.as_staff(tier_registry::domain::Role::Admin);
        let audit: serde_json::Value = admin.get(app.url("/api/v1/audit?action=import.committed"))
            .send().await.expect("sent").json().await.expect("json");
        assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "one import: {audit}");
        assert_eq!(app.firm_count().await, 1);
        let (status, html) = page(&app, &second.1).await;
        assert!(status == 200 && html.contains("新建 1"), "the first result, not an all-unchanged second import: {html}");

        let (status, _) = page(&app, "/admin/import?report=0190a000-0000-7000-8000-000000000000").await;
        assert_eq!(status, 404, "no such import");
    }

    async fn an_unusual_round_in_a_file_is_refused_on_its_row_and_sends_the_clerk_to_the_firms_page(app) {
        let code = uscc("320411MA1N00001");
        app.register(&serde_json::json!({
            "uscc": code, "name": "常州甲科技有限公司", "region_code": "320411",
            "industry_code": "I65", "founded_on": "2015-03-01"
        })).await;
        let file = format!("uscc,closed_on,round,amount,amount_currency,post_money_valuation,valuation_currency,investor_kind\n{code},2024-05-01,天使轮,5000,CNY,,,other\n");
        let (status, html) = upload(&app, &[("action", "preview")], &file).await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("错误 1") && html.contains("导入不能确认"), "{html}");
        assert!(!html.contains("name=\"sha256\""), "no commit while a row is refused");
    }

    async fn refused_rows_are_listed_first_with_their_errors_and_offer_no_commit(app) {
        let mut file = firms_file(&[("320411MA1N00001", "常州甲科技有限公司")]);
        file.push_str("91320411MA1N00009A,坏代码公司,320411,I65,2022-01-01,是,是\n");
        let (status, html) = upload(&app, &[("action", "preview")], &file).await;
        assert_eq!(status, 422);
        assert!(html.contains("错误 1") && html.contains("校验码不正确"), "{html}");
        assert!(!html.contains("name=\"sha256\""), "no commit while a row is refused");
        let gbk = upload(&app, &[("action", "preview")], "\u{0}").await;
        assert_ne!(gbk.0, 500, "an unreadable file is a clear refusal");
    }

    async fn the_preview_lists_each_changed_field_with_its_old_and_new_value(app) {
        let file = firms_file(&[("320411MA1N00001", "常州甲科技有限公司")]);
        let (status, html) = upload(&app, &[("action", "preview")], &file).await;
        let hash = previewed_hash(&html);
        assert_eq!(upload(&app, &[("action", "commit"), ("sha256", &hash)], &file).await.0, 303);

        let (status_again, html) = upload(&app, &[("action", "preview")], &file).await;
        assert_eq!((status, status_again), (200, 200));
        assert!(html.contains("无变化 1") && html.contains("更新 0"), "{html}");
        let header = "统一社会信用代码,企业名称,所属区域,所属行业,成立日期,信用良好\n";
        let changed = format!("{header}{},,,,,否\n", uscc("320411MA1N00001"));
        let (status, html) = upload(&app, &[("action", "preview")], &changed).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("更新 1"), "{html}");
        assert!(html.contains("无不良信用记录：是 → 否"), "the field, the stored value and the file's: {html}");
        let firm = app.get_json(&format!("/api/v1/firms?q={}", uscc("320411MA1N00001"))).await;
        assert_eq!(firm["items"][0]["credit_ok"], true, "a preview writes nothing");
    }
}
