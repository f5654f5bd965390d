//! An official in headless Chromium: from the dashboard, by clicking only, to the firms behind
//! a number and to a target's firms and near misses; the Chinese pages carry no English.
//! Skipped like `browser.rs` when chromedriver is missing, unless `REQUIRE_BROWSER=1`.

use thirtyfour::prelude::*;

use crate::browser::{browser, fill, full_shot, shot, source, start_chromedriver, submit};
use crate::helpers::{Backend, spawn_app};

/// Words of three or more Latin letters in `text` (codes that mix letters and digits, such as
/// a USCC or `C38`, are not words), less those the Chinese pages may show.
fn english_words(text: &str) -> Vec<String> {
    // Identifiers shown as written, like a USCC: the rule set's id (`changzhou-default`) and
    // the account that recorded a change (account names are Latin by rule; `test` here).
    // The menu, with its language switch and the signed-in name, is outside the text read.
    const ALLOWED: [&str; 3] = ["changzhou", "default", "test"];
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|w| !ALLOWED.contains(w))
        .map(str::to_owned)
        .collect()
}

/// The page's own text: the menu and the signed-in name (a login name) aside.
async fn body_text(driver: &WebDriver) -> String {
    driver
        .find(By::Tag("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text")
}

/// The number a list page states as its total.
async fn list_total(driver: &WebDriver) -> i64 {
    driver
        .find(By::Css("[data-total]"))
        .await
        .expect("a stated total")
        .attr("data-total")
        .await
        .expect("attr")
        .unwrap_or_default()
        .parse()
        .expect("a number")
}

#[actix_web::test]
async fn an_official_clicks_from_the_dashboard_to_the_firms_behind_each_number() {
    let Some((_chromedriver, port)) = start_chromedriver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    crate::history::generate(&app, 0x0FF1_C1A1).await;
    app.registry
        .bulk()
        .load_demo(800, 11, "tests", &|_| {})
        .expect("demo population");
    let name = app.add_staff("wang.fang", tier_registry::domain::Role::Viewer);
    let profile = tempfile::tempdir().expect("profile dir");
    let driver = browser(port, profile.path()).await;
    driver.goto(app.url("/login")).await.expect("login");
    fill(&driver, "username", &name).await;
    fill(&driver, "password", crate::helpers::TEST_PASSWORD).await;
    submit(&driver).await;

    // A district × tier cell: its list states the same number and lists that many firms.
    driver.goto(app.url("/dashboard")).await.expect("dashboard");
    let dashboard_words = english_words(&body_text(&driver).await);
    assert!(
        dashboard_words.is_empty(),
        "English on the Chinese dashboard: {dashboard_words:?}"
    );
    let mut cell = None;
    for link in driver
        .find_all(By::Css("#tier-counts tbody td a"))
        .await
        .expect("cells")
    {
        let n: i64 = link.text().await.expect("text").trim().parse().unwrap_or(0);
        if n > 0 {
            cell = Some((n, link));
            break;
        }
    }
    let (number, link) = cell.expect("a non-zero district × tier cell");
    link.click().await.expect("click");
    link.wait_until().stale().await.expect("the list loads");
    assert_eq!(list_total(&driver).await, number, "the list behind a cell");
    let rows = driver
        .find_all(By::Css("#firm-table tbody tr"))
        .await
        .expect("rows")
        .len() as i64;
    assert_eq!(
        rows,
        number.min(50),
        "the first page lists the firms counted"
    );
    shot(&driver, "drill-list").await;

    // One of them: its page says why it holds its tier, in Chinese.
    let first = driver
        .find(By::Css("#firm-table tbody tr a"))
        .await
        .expect("a firm");
    first.click().await.expect("click");
    first
        .wait_until()
        .stale()
        .await
        .expect("the firm page loads");
    let firm_text = body_text(&driver).await;
    assert!(
        driver.find(By::Id("current-tiers")).await.is_ok(),
        "the firm's tiers"
    );
    let firm_words = english_words(&firm_text);
    assert!(
        firm_words.is_empty(),
        "English on the Chinese firm page: {firm_words:?} in {}",
        firm_text
            .lines()
            .filter(|l| !english_words(l).is_empty())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    full_shot(&driver, "drill-firm").await;

    // A target: the firms it counts, then those nearly there, each a link to its firm.
    driver.goto(app.url("/dashboard")).await.expect("dashboard");
    let target = driver
        .find(By::Css("a.target-firms"))
        .await
        .expect("a target's firms link");
    target.click().await.expect("click");
    target
        .wait_until()
        .stale()
        .await
        .expect("the target's firms load");
    let heading = body_text(&driver).await;
    assert!(
        heading.contains("目标"),
        "the page names the target: {heading}"
    );
    shot(&driver, "drill-target-firms").await;
    driver.back().await.expect("back");
    let near = driver
        .find(By::Css("a.target-near"))
        .await
        .expect("a target's near-miss link");
    near.click().await.expect("click");
    near.wait_until()
        .stale()
        .await
        .expect("the near misses load");
    let html = source(&driver).await;
    assert!(
        html.contains("id=\"near-misses\"") || html.contains("id=\"no-results\""),
        "a near-miss table, or the sentence that there is none"
    );
    if html.contains("id=\"near-misses\"") {
        let firm = driver
            .find(By::Css("#near-misses tbody a"))
            .await
            .expect("a near miss links to its firm");
        firm.click().await.expect("click");
        firm.wait_until().stale().await.expect("the firm page");
        assert!(driver.find(By::Id("firm-name")).await.is_ok());
    }
    shot(&driver, "drill-near-misses").await;

    // On a phone the pages fit the screen's width: wide tables scroll inside their frame, the
    // page itself never does.
    driver
        .set_window_rect(0, 0, 390, 844)
        .await
        .expect("phone size");
    for path in ["/dashboard", "/alerts", "/targets", "/firms?sort=founded"] {
        driver.goto(app.url(path)).await.expect("page");
        let overflow = driver
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                Vec::new(),
            )
            .await
            .expect("script")
            .json()
            .as_i64()
            .unwrap_or(i64::MAX);
        assert!(overflow <= 0, "{path} is {overflow} px wider than a phone");
    }
    shot(&driver, "firms-phone").await;
    driver.quit().await.expect("quit");
}
