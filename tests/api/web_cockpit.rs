//! The dashboard's cockpit on the staff pages: headline figures, trend, ranking and industry
//! breakdown equal the API's counts and link to the firms or events behind them; the charts
//! are readable; the spreadsheets hold the pages' rows.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use reqwest::header::ACCEPT;
use serde_json::Value;

use crate::helpers::{TestApp, firm_body, uscc};
use crate::history::generate;
use crate::on_both_backends;
use crate::web_drill::{latin_words, links, listed, page, section};

fn firms_of(body: &Value, tier: &str) -> i64 {
    body["tiers"]
        .as_array()
        .and_then(|tiers| tiers.iter().find(|t| t["tier"] == tier))
        .and_then(|t| t["firms"].as_i64())
        .unwrap_or_else(|| panic!("no tier {tier} in {body}"))
}

/// The numbers of attribute `name` in `html`.
fn attribute_values(html: &str, name: &str) -> Vec<u32> {
    html.split(&format!(" {name}=\""))
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').expect("quote")]
                .parse()
                .expect("a number")
        })
        .collect()
}

/// The signed value of a "▲ 3" / "▼ 2" / "– 0" figure.
fn signed(text: &str) -> i64 {
    let n: i64 = text
        .trim()
        .split(' ')
        .next_back()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    if text.contains('▼') { -n } else { n }
}

pub(crate) async fn xlsx(app: &TestApp, path: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let response = app.browser().get(app.url(path)).send().await.expect("sent");
    assert_eq!(response.status(), 200, "{path}");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("a workbook");
    book.worksheets()
        .into_iter()
        .map(|(name, range)| {
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Float(f) => format!("{f}"),
                            Data::Int(i) => i.to_string(),
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

on_both_backends! {
    async fn the_cockpit_figures_equal_the_counts_and_lead_to_what_lies_behind_them(app) {
        generate(&app, 0x5EED_0166).await;
        let html = page(&app, "/dashboard").await;
        let now = app.get_json("/api/v1/tier-counts").await;
        let year_end = app.get_json("/api/v1/tier-counts?as_of=2024-12-31").await;
        let year_ago = app.get_json("/api/v1/tier-counts?as_of=2024-06-30").await;
        let series = app.get_json("/api/v1/tier-counts/series?from=2023-07-01").await;
        let cards = section(&html, "<section aria-labelledby=\"headlines-title\"", "</section>");
        let mut seen = 0;
        for (card, tier) in cards.split("class=\"card headline\"").skip(1).zip(now["tiers"].as_array().expect("tiers")) {
            let id = tier["tier"].as_str().expect("tier");
            let track = tier["track"].as_str().expect("track");
            let figures = links(card);
            let today = &figures[0];
            assert_eq!(today.0, format!("/firms?tier={id}"));
            assert_eq!(today.1.parse::<i64>().ok(), tier["firms"].as_i64(), "{id} today");
            let (total, _) = listed(&page(&app, &today.0).await);
            assert_eq!(total, firms_of(&now, id), "the firm list behind {id}");
            assert_eq!(signed(&figures[1].1), firms_of(&now, id) - firms_of(&year_end, id), "{id} net this year");
            assert_eq!(figures[1].0, format!("/events?from=2025-01-01&to=2025-06-30&track={track}&tier={id}"));
            assert_eq!(signed(&figures[2].1), firms_of(&now, id) - firms_of(&year_ago, id), "{id} year on year");
            assert_eq!(figures[2].0, format!("/events?from=2024-07-01&to=2025-06-30&track={track}&tier={id}"));
            // The trend: a column per month of the series, each linking to its month's events.
            let titles: Vec<&str> = card.split("<title>").skip(1).map(|t| &t[..t.find("</title>").expect("end")]).collect();
            let points = series["points"].as_array().expect("points");
            assert_eq!(titles.len(), 24);
            assert_eq!(titles[23], format!("2025-06 · {}", firms_of(&now, id)), "the last month is today");
            for (title, point) in titles.iter().zip(points) {
                // Before the first rule set was in force no tier existed: the month shows 0.
                let value = point["tiers"].as_array().and_then(|t| t.iter().find(|v| v["id"] == id))
                    .and_then(|v| v["firms"].as_i64()).unwrap_or(0);
                assert_eq!(*title, format!("{} · {value}", &point["end"].as_str().expect("end")[..7]));
            }
            assert!(figures[3..].iter().all(|(h, _)| h.starts_with("/events?from=")), "{figures:?}");
            let month = page(&app, &figures[26].0).await;
            assert!(month.contains("id=\"events\"") || month.contains("id=\"no-results\""), "the last month's events page: {month}");
            seen += 1;
        }
        let tiers = now["tiers"].as_array().expect("tiers").len();
        assert_eq!(tiers, 7, "three unicorn tiers, gazelle, two high-tech tiers, tech-SME");
        assert_eq!(seen, tiers, "a card per tier, then the tier groups");
        assert!(cards.contains("独角兽及潜在独角兽"));
        // The ledger of this history starts in June 2025: the page says the comparisons
        // include the first entries and the earlier months are no record.
        assert!(cards.contains("id=\"no-baseline\"") && cards.contains("2024-12-31"), "{cards}");
        assert!(cards.contains("台账自 2025-06 起有记录"), "{cards}");

        // Districts: ordered by firms in any tier, each figure the row count of its list.
        let ranking = section(&html, "<table id=\"district-ranking\"", "</table>");
        let mut previous = i64::MAX;
        for (href, text) in links(ranking).into_iter().filter(|(h, _)| h.starts_with("/firms?")) {
            let n: i64 = text.parse().expect("a number");
            assert!(n <= previous, "ranked most first");
            previous = n;
            assert_eq!(listed(&page(&app, &href).await).0, n, "{href}");
        }
        // Industries: every column adds up to the tier's total; cells lead to their firms.
        let industries = section(&html, "<table id=\"industry-counts\"", "</table>");
        let body = section(industries, "<tbody>", "</tbody>");
        let totals: Vec<i64> = links(section(industries, "<tfoot>", "</tfoot>")).iter().map(|(_, t)| t.parse().expect("n")).collect();
        let expected: Vec<i64> = now["tiers"].as_array().expect("tiers").iter().filter_map(|t| t["firms"].as_i64()).collect();
        assert_eq!(totals, expected);
        let mut sums = vec![0; totals.len()];
        for row in body.split("<tr>").skip(1) {
            for (i, (href, text)) in links(row).into_iter().enumerate() {
                let n: i64 = text.parse().expect("n");
                sums[i] += n;
                if n > 0 && i == 5 {
                    assert_eq!(listed(&page(&app, &href).await).0, n, "{href}");
                }
            }
        }
        assert_eq!(sums, totals, "the industry rows add up");
        assert!(body.contains("制造业"), "sections are named in Chinese");

        // Readable charts: drawn at their own size, no text under 12 px, every tier visible.
        for svg in html.split("<svg").skip(1) {
            let svg = &svg[..svg.find("</svg>").expect("end")];
            let width = attribute_values(svg, "width")[0];
            let view_box = svg.split("viewBox=\"0 0 ").nth(1).expect("viewBox");
            assert_eq!(view_box.split(' ').next().and_then(|w| w.parse().ok()), Some(width), "not scaled");
            let fonts = attribute_values(svg, "font-size");
            assert!(!fonts.is_empty() && fonts.iter().all(|f| *f >= 12), "fonts {fonts:?}");
        }
        let chart = section(&html, "id=\"tier-chart\"", "</svg>");
        let bars: Vec<u32> = chart.split("class=\"bar\"").skip(1).map(|b| attribute_values(b, "width")[0]).collect();
        assert_eq!(bars.len(), tiers, "a bar per tier");
        for (bar, tier) in bars.iter().zip(now["tiers"].as_array().expect("tiers")) {
            if tier["firms"].as_i64() > Some(0) {
                assert!(*bar >= 4, "{} is visible: {bar}", tier["tier"]);
            }
        }
        let css = app.browser().get(app.url("/static/app.css")).send().await.expect("sent").text().await.expect("css");
        assert!(css.contains("@media print") && css.contains("size: A4"), "a print stylesheet");
        let mine = [cards, ranking, industries].concat();
        let words = latin_words(&mine);
        assert!(words.is_empty(), "the cockpit shows English: {words:?}");
    }

    async fn the_dashboard_spreadsheet_holds_the_pages_tables(app) {
        generate(&app, 0x5EED_0167).await;
        let html = page(&app, "/dashboard").await;
        let book = xlsx(&app, "/dashboard.xlsx").await;
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["核心指标", "各区县", "区县排名", "各行业", "月度趋势"]);
        let counts = &book[1].1;
        let table = section(&html, "<table id=\"tier-counts\"", "</table>");
        let body = section(table, "<tbody>", "</tbody>");
        let page_rows: Vec<Vec<String>> = body.split("<tr>").skip(1).map(|row| {
            let name = section(row, "<th scope=\"row\">", "</th>")["<th scope=\"row\">".len()..].replace("&#183;", "·");
            let mut cells = vec![name];
            cells.extend(links(row).into_iter().map(|(_, t)| t));
            cells
        }).collect();
        assert_eq!(counts.len(), page_rows.len() + 1, "a header, then the page's rows");
        for (sheet_row, page_row) in counts[1..].iter().zip(&page_rows) {
            assert_eq!(&sheet_row[..page_row.len()], &page_row[..], "the same row");
        }
        let ranking = section(&html, "<table id=\"district-ranking\"", "</table>");
        let figures: Vec<String> = links(ranking).into_iter().filter(|(h, _)| h.starts_with("/firms?")).map(|(_, t)| t).collect();
        let sheet: Vec<String> = book[2].1[1..].iter().map(|r| r[2].clone()).collect();
        assert_eq!(sheet, figures);
        assert_eq!(book[4].1.len(), 25, "24 months under a header");
        let anonymous = app.anonymous().get(app.url("/dashboard.xlsx")).header(ACCEPT, "text/html").send().await.expect("sent");
        assert_ne!(anonymous.status(), 200, "staff only");
    }

    async fn the_firm_list_spreadsheet_holds_every_page_of_the_search(app) {
        // More firms than one page of the service (200): the download pages through them.
        for i in 0..205 {
            let mut body = firm_body();
            body["uscc"] = Value::String(uscc(&format!("320411MA1X{i:05}")));
            body["name"] = Value::String(format!("常州导出测试{i:03}有限公司"));
            app.register(&body).await;
        }
        let html = page(&app, "/firms?q=导出测试").await;
        let (total, _) = listed(&html);
        assert_eq!(total, 205);
        assert!(html.contains("href=\"/firms.xlsx?q="), "the list links to its download");
        let book = xlsx(&app, "/firms.xlsx?q=%E5%AF%BC%E5%87%BA%E6%B5%8B%E8%AF%95&region=&industry=&tier=").await;
        let rows = &book[0].1;
        assert_eq!(rows.len(), 206, "a header and every firm of every page");
        assert_eq!(rows[0][0], "企业名称");
        let api = app.get_json("/api/v1/firms?q=导出测试&limit=200").await;
        let first_page: Vec<&str> = api["items"].as_array().expect("items").iter().filter_map(|f| f["name"].as_str()).collect();
        let sheet: Vec<&str> = rows[1..201].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(sheet, first_page, "the list's order");
        let bad = app.browser().get(app.url(&format!("/firms.xlsx?q={}", "x".repeat(201)))).send().await.expect("sent");
        assert_eq!(bad.status(), 400);
    }
}
