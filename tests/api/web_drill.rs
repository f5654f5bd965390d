//! Drill-down on the staff pages: every number on the dashboard leads to the firms behind it.

use reqwest::header::ACCEPT;
use serde_json::json;

use crate::helpers::{TestApp, young_tech_firm};
use crate::history::generate;
use crate::on_both_backends;
use crate::target_drill::{invest, with_plan};

pub async fn page(app: &TestApp, path: &str) -> String {
    let response = app
        .browser()
        .get(app.url(path))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

/// The part of `html` from `start` to the next `end` after it.
pub fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Every `<a href="…">text</a>` in `html`, the href unescaped.
pub fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let Some(h) = rest.find("href=\"") else { break };
        let after = &rest[h + 6..];
        let href = &after[..after.find('"').expect("quote")];
        let text_start = after.find('>').expect("tag end") + 1;
        let text = &after[text_start..after.find("</a>").expect("closing")];
        out.push((
            href.replace("&amp;", "&").replace("&#38;", "&"),
            text.to_owned(),
        ));
        rest = &after[text_start..];
    }
    out
}

/// The total a list page states, and how many firm links its table holds.
pub fn listed(html: &str) -> (i64, usize) {
    let total = section(html, "data-total=\"", "\">")["data-total=\"".len()..]
        .parse()
        .expect("a total");
    let rows = if html.contains("<tbody>") {
        section(html, "<tbody>", "</tbody>")
            .matches("href=\"/firms/")
            .count()
    } else {
        0
    };
    (total, rows)
}

/// Words of Latin letters in the visible text of `html` (tags and entities removed).
pub fn latin_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2 && !matches!(*w, "US" | "amp" | "nbsp" | "mdash"))
        .map(str::to_owned)
        .collect()
}

on_both_backends! {
    async fn every_dashboard_count_links_to_a_firm_list_with_that_many_firms(app) {
        generate(&app, 0x5EED_0164).await;
        let html = page(&app, "/dashboard").await;
        let table = section(&html, "<table id=\"tier-counts\"", "</table>");
        let cells = links(table);
        assert!(cells.len() > 30, "every tier total and district cell is a link: {}", cells.len());
        let mut nonzero = 0;
        for (href, text) in cells {
            assert!(href.starts_with("/firms?tier="), "{href}");
            let count: i64 = text.trim().parse().unwrap_or_else(|_| panic!("a number: {text}"));
            let (total, rows) = listed(&page(&app, &href).await);
            assert_eq!(total, count, "{href}");
            assert_eq!(rows as i64, count.min(50), "{href} lists its firms");
            nonzero += i64::from(count > 0);
        }
        assert!(nonzero > 5, "the history fills enough cells to mean something: {nonzero}");
    }

    async fn a_target_card_leads_to_its_firms_and_its_near_misses_in_chinese(app) {
        let app = with_plan(app).await;
        invest(&app, "320411MA1W00001", "320411", 60_000_000).await;
        invest(&app, "320411MA1W00002", "320412", 70_000_000).await;
        app.register(&young_tech_firm("320411MA1W00003")).await;
        let targets = app.get_json("/api/v1/targets").await;
        let html = page(&app, "/dashboard").await;
        let cards: Vec<(String, String)> = links(&html).into_iter().filter(|(h, _)| h.starts_with("/targets/")).collect();
        for item in targets["items"].as_array().expect("targets") {
            let id = item["id"].as_str().expect("id");
            let firms = format!("/targets/{id}/firms?year=2025");
            let near = format!("/targets/{id}/near-misses?year=2025");
            assert!(cards.iter().any(|(h, t)| *h == firms && t.trim() == item["actual"].as_i64().map_or("—".to_owned(), |a| a.to_string())), "the card's figure links to {firms}: {cards:?}");
            assert!(cards.iter().any(|(h, _)| *h == near), "{near}: {cards:?}");
            let body = page(&app, &firms).await;
            let (total, rows) = listed(&body);
            let api = app.get_json(&format!("/api/v1{firms}")).await;
            assert_eq!((json!(total), rows), (api["total"].clone(), api["items"].as_array().map_or(0, Vec::len)), "{firms}");
            // A target the rules cannot measure is still named by its raw id (issue 16, item 7).
            if item["status"] != "not_tracked" {
                let words = latin_words(section(&body, "<main", "</main>"));
                assert!(words.is_empty(), "{firms} shows English: {words:?}");
            }
        }
        let body = page(&app, "/targets/seed_unicorn-stock/near-misses?year=2025").await;
        let table = section(&body, "<table id=\"near-misses\"", "</table>");
        let api = app.get_json("/api/v1/targets/seed_unicorn-stock/near-misses?year=2025").await;
        let want = api["items"].as_array().map_or(0, Vec::len);
        assert!(want >= 1, "{api}");
        assert_eq!(table.matches("href=\"/firms/").count(), want, "each firm nearly there links to its page");
        assert!(table.contains("差"), "the gap is worded in Chinese: {table}");
        let words = latin_words(section(&body, "<main", "</main>"));
        assert!(words.is_empty(), "the near-miss page shows English: {words:?}");
        let unknown = app.browser().get(app.url("/targets/dragon-stock/firms")).header(ACCEPT, "text/html").send().await.expect("sent");
        assert_eq!(unknown.status(), 404);
    }
}

on_both_backends! {
    async fn a_targets_lists_download_as_spreadsheets_with_the_pages_rows(app) {
        let app = with_plan(app).await;
        invest(&app, "320411MA1T00001", "320411", 60_000_000).await;
        invest(&app, "320411MA1T00002", "320412", 70_000_000).await;
        app.register(&young_tech_firm("320411MA1T00004")).await;
        let api = app.get_json("/api/v1/targets/unicorn_family-stock/firms?year=2025").await;
        let sheets = crate::web_cockpit::xlsx(&app, "/targets/unicorn_family-stock/firms.xlsx?year=2025").await;
        let rows = &sheets[0].1;
        assert_eq!(rows[0][0], "企业名称");
        assert_eq!(rows.len() - 1, api["total"].as_u64().expect("total") as usize, "{rows:?}");
        let sum: i64 = rows[1..].iter().map(|r| r[5].parse::<i64>().expect("a count")).sum();
        assert_eq!(sum, api["target"]["actual"].as_i64().expect("actual"), "the counts add up to the figure");
        let page = page(&app, "/targets/unicorn_family-stock/firms?year=2025").await;
        assert!(page.contains("href=\"/targets/unicorn_family-stock/firms.xlsx?year=2025\""), "the page offers it");

        let near_api = app.get_json("/api/v1/targets/seed_unicorn-stock/near-misses?year=2025").await;
        let near = crate::web_cockpit::xlsx(&app, "/targets/seed_unicorn-stock/near-misses.xlsx?year=2025").await;
        let listed = near_api["items"].as_array().expect("items");
        assert!(!listed.is_empty());
        assert_eq!(near[0].1.len() - 1, listed.len());
        assert_eq!(near[0].1[1][0], listed[0]["name"].as_str().expect("name"), "in the page's order");
    }
}

on_both_backends! {
    async fn the_events_page_lists_what_the_feed_lists_with_each_firm_in_chinese(app) {
        let app = with_plan(app).await;
        let (a, _) = invest(&app, "320411MA1T00001", "320411", 60_000_000).await;
        invest(&app, "320411MA1T00002", "320412", 70_000_000).await;
        let path = "from=2025-01-01&to=2025-06-30&track=unicorn&region=320411";
        let feed = app.get_json(&format!("/api/v1/tier-events?{path}")).await;
        let html = page(&app, &format!("/events?{path}")).await;
        let rows = section(&html, "<tbody>", "</tbody>").matches("<tr>").count();
        assert_eq!(rows, feed["items"].as_array().expect("items").len(), "{html}");
        assert!(rows > 0);
        assert!(html.contains(&format!("href=\"/firms/{a}\"")), "each event links to its firm");
        assert!(html.contains("进入「独角兽梯队」") && html.contains("新北区"), "in Chinese: {html}");
        // A tier group: the union of its tiers' events, once each.
        let group = page(&app, "/events?from=2025-01-01&to=2025-06-30&tier=potential_unicorn,unicorn").await;
        let mut expected = 0;
        for tier in ["potential_unicorn", "unicorn"] {
            let feed = app.get_json(&format!("/api/v1/tier-events?from=2025-01-01&to=2025-06-30&tier={tier}")).await;
            expected += feed["items"].as_array().expect("items").len();
        }
        assert!(expected > 0);
        assert_eq!(section(&group, "<tbody>", "</tbody>").matches("<tr>").count(), expected, "{group}");
        assert!(group.contains("潜在独角兽、独角兽"), "the filter in words");
        // A malformed date or an unknown tier is said on the page, never a failure.
        let bad = page(&app, "/events?from=2025-13-01").await;
        assert!(bad.contains("id=\"error-summary\""), "{bad}");
        let unknown = page(&app, "/events?tier=unicron").await;
        assert!(unknown.contains("id=\"error-summary\""), "{unknown}");
    }
}
