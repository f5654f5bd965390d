//! The staff pages in headless Chromium against the real server (SQLite only; few and
//! slow on purpose). Skipped with a notice when chromedriver is missing, unless
//! `REQUIRE_BROWSER=1`. With `SCREENSHOTS=1` the main pages are saved to `docs/screenshots/`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::helpers::{Backend, TestApp, spawn_app, uscc};

/// Kills chromedriver when the test ends, however it ends.
pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts chromedriver on a free port, or `None` (skip) when it is not installed.
pub(crate) async fn start_chromedriver() -> Option<(Driver, u16)> {
    let installed = Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var("REQUIRE_BROWSER").as_deref() != Ok("1"),
            "REQUIRE_BROWSER=1 but chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("chromedriver not installed: browser test skipped");
        return None;
    }
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let status = format!("http://127.0.0.1:{port}/status");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if reqwest::get(&status)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Some((driver, port));
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

pub(crate) async fn browser(port: u16, profile: &std::path::Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--lang=zh-CN",
    ] {
        caps.add_arg(arg).expect("argument");
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display()))
        .expect("argument");
    if std::path::Path::new("/usr/bin/chromium").exists() {
        caps.set_binary("/usr/bin/chromium").expect("binary");
    }
    WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
        .await
        .expect("a browser session")
}

/// Saves a screenshot of the current page when `SCREENSHOTS=1`.
pub(crate) async fn shot(driver: &WebDriver, name: &str) {
    if std::env::var("SCREENSHOTS").as_deref() != Ok("1") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    driver
        .screenshot(&dir.join(format!("{name}.png")))
        .await
        .expect("screenshot");
}

pub(crate) async fn fill(driver: &WebDriver, field: &str, value: &str) {
    let input = driver
        .find(By::Id(format!("f-{field}")))
        .await
        .unwrap_or_else(|e| panic!("field {field}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

async fn choose(driver: &WebDriver, field: &str, value: &str) {
    driver
        .find(By::Css(format!("#f-{field} option[value='{value}']")))
        .await
        .unwrap_or_else(|e| panic!("option {value} of {field}: {e}"))
        .click()
        .await
        .expect("choose");
}

/// Submits the form and waits until the next page replaced this one, so what follows reads
/// the answer and not the form.
pub(crate) async fn submit(driver: &WebDriver) {
    click_and_wait(driver, "submit").await;
}

pub(crate) async fn click_and_wait(driver: &WebDriver, id: &str) {
    let button = driver.find(By::Id(id)).await.expect("a button");
    button.click().await.expect("click");
    button
        .wait_until()
        .stale()
        .await
        .expect("the next page loads");
}

pub(crate) async fn source(driver: &WebDriver) -> String {
    driver.source().await.expect("page source")
}

async fn add_round(
    driver: &WebDriver,
    app: &TestApp,
    id: &str,
    closed_on: &str,
    valuation: &str,
    currency: &str,
) {
    driver
        .goto(app.url(&format!("/firms/{id}/financings/new")))
        .await
        .expect("financing page");
    fill(driver, "closed_on", closed_on).await;
    fill(driver, "round", "A轮").await;
    fill(driver, "post_money_valuation_value", valuation).await;
    choose(driver, "post_money_valuation_currency", currency).await;
    choose(driver, "investor_kind", "professional_institution").await;
    submit(driver).await;
}

#[actix_web::test]
async fn staff_register_find_fund_and_promote_a_firm_in_a_real_browser() {
    let Some((_chromedriver, port)) = start_chromedriver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let profile = tempfile::tempdir().expect("profile dir");
    let driver = browser(port, profile.path()).await;

    // A new clerk: the registration form sends them to the login page, the one-time password
    // to the password page, and then back to work.
    let account = app
        .registry
        .accounts()
        .add_user("zhang.wei", tier_registry::domain::Role::Editor, "tests")
        .expect("account");
    driver.goto(app.url("/firms/new")).await.expect("form");
    let url = driver.current_url().await.expect("url");
    assert_eq!(url.path(), "/login", "anonymous staff are sent to log in");
    shot(&driver, "login").await;
    fill(&driver, "username", "zhang.wei").await;
    fill(&driver, "password", &account.one_time_password).await;
    submit(&driver).await;
    let url = driver.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        "/account/password",
        "a one-time password must be changed first"
    );
    fill(&driver, "current_password", &account.one_time_password).await;
    fill(&driver, "new_password", "长城永远不倒 2025 clerk").await;
    fill(&driver, "confirm_password", "长城永远不倒 2025 clerk").await;
    submit(&driver).await;
    assert!(
        source(&driver).await.contains("密码已修改"),
        "the new password is set"
    );

    // A bad USCC: the error is beside the field, the summary links to it, nothing registered.
    driver.goto(app.url("/firms/new")).await.expect("form");
    fill(&driver, "uscc", "91320411MA1N00001A").await;
    fill(&driver, "name", "常州星河智能科技有限公司").await;
    choose(&driver, "region_code", "320411").await;
    fill(&driver, "industry_code", "I65").await;
    fill(&driver, "founded_on", "2022-01-01").await;
    choose(&driver, "credit_ok", "yes").await;
    choose(&driver, "tech_firm", "yes").await;
    submit(&driver).await;
    let html = source(&driver).await;
    assert!(
        html.contains("id=\"e-uscc\""),
        "the USCC error shows beside the field"
    );
    assert!(
        driver
            .find(By::Css("#error-summary a[href='#f-uscc']"))
            .await
            .is_ok()
    );
    let typed = driver
        .find(By::Id("f-name"))
        .await
        .expect("name field")
        .value()
        .await
        .expect("value");
    assert_eq!(
        typed.as_deref(),
        Some("常州星河智能科技有限公司"),
        "what was typed is kept"
    );
    shot(&driver, "form-errors").await;
    assert_eq!(app.firm_count().await, 0, "nothing registered");

    // Corrected: registered, then found in the list by name.
    fill(&driver, "uscc", &uscc("320411MA1N00001")).await;
    submit(&driver).await;
    let heading = driver
        .find(By::Id("firm-name"))
        .await
        .expect("the firm page")
        .text()
        .await
        .expect("text");
    assert_eq!(heading, "常州星河智能科技有限公司");
    let url = driver.current_url().await.expect("url");
    let id = url.path().trim_start_matches("/firms/").to_owned();
    driver.goto(app.url("/firms")).await.expect("list");
    fill(&driver, "q", "星河").await;
    // The unfiltered list has the row too: read the answer's, not the page before it.
    click_and_wait(&driver, "search").await;
    let row = driver
        .find(By::Css("#firm-table tbody tr"))
        .await
        .expect("a result row");
    assert!(
        row.text()
            .await
            .expect("text")
            .contains("常州星河智能科技有限公司")
    );
    shot(&driver, "firms").await;

    // Figures and two rounds: entered as seed unicorn, then promoted to potential unicorn.
    driver
        .goto(app.url(&format!("/firms/{id}/years")))
        .await
        .expect("years");
    // Another year than the data year is opened by its number, then filled in.
    fill(&driver, "open-year", "2024").await;
    let open = driver
        .find(By::Css("#open-year button"))
        .await
        .expect("open button");
    open.click().await.expect("click");
    open.wait_until()
        .stale()
        .await
        .expect("the year's form loads");
    fill(&driver, "revenue", "２０,０００,０００").await;
    fill(&driver, "employees", "120").await;
    submit(&driver).await;
    assert!(
        source(&driver).await.contains("20,000,000"),
        "the year is in the table"
    );
    shot(&driver, "years").await;
    add_round(&driver, &app, &id, "2024-01-15", "150000000", "CNY").await;
    add_round(&driver, &app, &id, "2025-03-01", "60000000", "USD").await;
    let tiers = driver
        .find(By::Id("current-tiers"))
        .await
        .expect("tiers")
        .text()
        .await
        .expect("text");
    assert!(
        tiers.contains("潜在独角兽"),
        "promoted on its page: {tiers}"
    );
    let history = driver
        .find(By::Id("history"))
        .await
        .expect("history")
        .text()
        .await
        .expect("text");
    assert!(
        history.contains("晋级"),
        "the promotion is in the timeline: {history}"
    );
    shot(&driver, "firm").await;
    driver.goto(app.url("/dashboard")).await.expect("dashboard");
    let counts = driver
        .find(By::Id("tier-counts"))
        .await
        .expect("counts")
        .text()
        .await
        .expect("text");
    let potential = counts
        .lines()
        .find(|l| l.contains("潜在独角兽"))
        .unwrap_or_else(|| panic!("a potential-unicorn row in {counts}"));
    assert!(
        potential.contains(" 1 "),
        "counted once on the dashboard: {potential}"
    );
    assert!(
        driver.find(By::Css("#tier-chart rect.bar")).await.is_ok(),
        "the chart is drawn"
    );
    shot(&driver, "dashboard").await;
    driver.goto(app.url("/admin/import")).await.expect("import");
    shot(&driver, "import").await;
    // A certificate ending next month: the warnings page names the firm.
    let cert = app
        .post_json(
            &format!("/api/v1/firms/{id}/certificates"),
            &serde_json::json!({"kind": "high_tech", "number": "GR202232001234", "issued_on": "2022-08-01"}),
        )
        .await;
    assert_eq!(cert.status(), 201);
    driver.goto(app.url("/alerts")).await.expect("alerts");
    let kinds = driver
        .find(By::Id("alert-kinds"))
        .await
        .expect("the count of each kind of warning")
        .text()
        .await
        .expect("text");
    assert!(kinds.contains("证书即将到期"), "{kinds}");
    let expiring = driver
        .find(By::Css("a[data-kind='certificate_expiring'] strong"))
        .await
        .expect("the count of certificates ending")
        .text()
        .await
        .expect("text");
    assert_eq!(expiring, "1");
    assert!(source(&driver).await.contains("还剩 31 天"));
    shot(&driver, "alerts").await;
    driver.goto(app.url("/rules")).await.expect("rules");
    shot(&driver, "rules").await;

    // The language switch.
    click_and_wait(&driver, "lang-switch").await;
    let html = source(&driver).await;
    assert!(html.contains("<html lang=\"en\">"), "switched to English");
    assert!(
        html.contains("Rules in force"),
        "and stays on the same page"
    );
    driver
        .goto(app.url(&format!("/firms/{id}")))
        .await
        .expect("firm page");
    assert!(
        source(&driver).await.contains("Potential unicorn"),
        "the choice is remembered"
    );
    shot(&driver, "firm-en").await;

    driver.quit().await.expect("quit");
}

/// The smallest chart text on the page, in CSS pixels as rendered (font size times the
/// drawing's scale).
const SMALLEST_CHART_TEXT: &str = "let min = 1e9;
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  for (const t of svg.querySelectorAll('text')) {
    min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
  }
}
return min;";

/// Saves the whole page (not only the window) when `SCREENSHOTS=1`: the window is made as
/// tall as the document for the shot.
pub(crate) async fn full_shot(driver: &WebDriver, name: &str) {
    if std::env::var("SCREENSHOTS").as_deref() != Ok("1") {
        return;
    }
    let height = driver
        .execute("return document.documentElement.scrollHeight;", Vec::new())
        .await
        .expect("height")
        .json()
        .as_i64()
        .unwrap_or(1000);
    let rect = driver.get_window_rect().await.expect("window");
    driver
        .set_window_rect(
            0,
            0,
            rect.width as u32,
            (height + 140).clamp(600, 12_000) as u32,
        )
        .await
        .expect("resize");
    shot(driver, name).await;
    driver
        .set_window_rect(0, 0, rect.width as u32, rect.height as u32)
        .await
        .expect("restore");
}

#[actix_web::test]
async fn the_dashboard_reads_as_a_cockpit_in_a_real_browser() {
    let Some((_chromedriver, port)) = start_chromedriver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    // Three weeks of movements, then a demonstration population loaded today.
    crate::history::generate(&app, 0x5EED_0B0B).await;
    app.registry
        .bulk()
        .load_demo(1500, 7, "tests", &|_| {})
        .expect("demo population");
    let name = app.add_staff("li.na", tier_registry::domain::Role::Viewer);
    let profile = tempfile::tempdir().expect("profile dir");
    let driver = browser(port, profile.path()).await;
    driver.goto(app.url("/login")).await.expect("login");
    fill(&driver, "username", &name).await;
    fill(&driver, "password", crate::helpers::TEST_PASSWORD).await;
    submit(&driver).await;
    driver.goto(app.url("/dashboard")).await.expect("dashboard");
    driver
        .find(By::Id("headlines"))
        .await
        .expect("the headline cards");
    let smallest = driver
        .execute(SMALLEST_CHART_TEXT, Vec::new())
        .await
        .expect("script")
        .json()
        .as_f64()
        .expect("a size");
    assert!(smallest >= 12.0, "the smallest chart text is {smallest} px");
    // A phone: the charts keep their size (the card scrolls), so the text does too.
    driver
        .set_window_rect(0, 0, 390, 900)
        .await
        .expect("phone size");
    let on_phone = driver
        .execute(SMALLEST_CHART_TEXT, Vec::new())
        .await
        .expect("script")
        .json()
        .as_f64()
        .expect("a size");
    shot(&driver, "dashboard-phone").await;
    assert!(
        on_phone >= 12.0,
        "on a phone the smallest chart text is {on_phone} px"
    );
    driver
        .set_window_rect(0, 0, 1280, 1000)
        .await
        .expect("desktop size");
    let bars = driver
        .find_all(By::Css("#tier-chart rect.bar"))
        .await
        .expect("bars");
    for bar in &bars {
        let width = bar.rect().await.expect("rect").width;
        let label = bar.attr("width").await.expect("attr").unwrap_or_default();
        assert!(
            label == "0" || width >= 4.0,
            "a drawn bar is visible: {width} px"
        );
    }
    full_shot(&driver, "dashboard-cockpit").await;
    // Printed, the page is a briefing: no navigation, no buttons. The driver is used without
    // DevTools, so print media is approximated by turning the stylesheet's print rules on
    // for the screen (everything but @page).
    let printed = driver
        .execute(
            "let n = 0;
             for (const sheet of document.styleSheets) {
               for (const rule of sheet.cssRules) {
                 if (rule.media && rule.media.mediaText === 'print') { rule.media.mediaText = 'all'; n++; }
               }
             }
             return n;",
            Vec::new(),
        )
        .await
        .expect("script")
        .json()
        .as_i64()
        .unwrap_or(0);
    if printed > 0 {
        let nav_shown = driver
            .execute(
                "return getComputedStyle(document.querySelector('header.site')).display;",
                Vec::new(),
            )
            .await
            .expect("script")
            .json()
            .as_str()
            .map(str::to_owned);
        assert_eq!(nav_shown.as_deref(), Some("none"), "no menu on paper");
        driver
            .set_window_rect(0, 0, 794, 1123)
            .await
            .expect("A4 width");
        full_shot(&driver, "dashboard-print").await;
    } else {
        eprintln!("no print rules reachable from the page: print screenshot skipped");
    }
    driver.quit().await.expect("quit");
}
