//! Drill-down: every count links to the list behind it, and the list has as many rows.

use serde_json::Value;

use crate::helpers::{TestApp, assert_problem};
use crate::history::{all_events, generate};
use crate::on_both_backends;

/// The `total` of the firm list at `url` (its first page).
async fn list_total(app: &TestApp, url: &str) -> i64 {
    let page = app.get_json(&format!("{url}&limit=1")).await;
    page["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("no total at {url}: {page}"))
}

/// Every event of the feed at `url`, paging with `after`.
async fn feed(app: &TestApp, url: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = app.get_json(&format!("{url}&after={after}&limit=7")).await;
        let items = page["items"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("{url}: {page}"));
        if items.is_empty() {
            return events;
        }
        after = page["next_after"].as_i64().expect("next_after");
        events.extend(items);
    }
}

/// Each (firms, firms_url) of a counts answer: tiers, tier groups and their groups.
fn cells(body: &Value) -> Vec<(i64, Option<String>, String)> {
    let mut out = Vec::new();
    for key in ["tiers", "tier_groups"] {
        for row in body[key].as_array().expect("rows") {
            let name = row["tier"]
                .as_str()
                .or(row["id"].as_str())
                .unwrap_or("")
                .to_owned();
            out.push((
                row["firms"].as_i64().expect("firms"),
                row["firms_url"].as_str().map(str::to_owned),
                name.clone(),
            ));
            for g in row["groups"].as_array().expect("groups") {
                let label = format!("{name}@{}", g["key"].as_str().unwrap_or(""));
                out.push((
                    g["firms"].as_i64().expect("firms"),
                    g["firms_url"].as_str().map(str::to_owned),
                    label,
                ));
            }
        }
    }
    out
}

const FIGURES: [&str; 6] = [
    "entered",
    "promoted_in",
    "demoted_in",
    "promoted_out",
    "demoted_out",
    "exited",
];

on_both_backends! {
    async fn every_count_links_to_a_firm_list_whose_total_equals_it(app) {
        generate(&app, 0x5EED_0161).await;
        let mut nonzero = 0;
        for query in ["", "?group_by=region", "?group_by=industry", "?region=320412&group_by=industry", "?industry=C&group_by=region"] {
            let body = app.get_json(&format!("/api/v1/tier-counts{query}")).await;
            for (firms, url, name) in cells(&body) {
                let url = url.unwrap_or_else(|| panic!("{name} under {query:?} has no firms_url"));
                assert!(url.starts_with("/api/v1/firms?"), "{url}");
                assert_eq!(list_total(&app, &url).await, firms, "{name} under {query:?}: {url}");
                nonzero += i64::from(firms > 0);
            }
        }
        assert!(nonzero > 20, "the history fills enough cells to mean something: {nonzero}");
        let family = app.get_json("/api/v1/tier-counts?region=320412").await["tier_groups"][0].clone();
        assert_eq!(family["firms_url"], "/api/v1/firms?tier=potential_unicorn%2Cunicorn&region=320412");
        // The total is stated once, on the first page.
        let first = app.get_json("/api/v1/firms?limit=1").await;
        let cursor = first["next_cursor"].as_str().expect("more than one firm");
        let next = app.get_json(&format!("/api/v1/firms?limit=1&cursor={cursor}")).await;
        assert_eq!((first["total"].as_i64().map(|t| t > 1), next["total"].clone()), (Some(true), Value::Null));
        let past = app.get_json("/api/v1/tier-counts?as_of=2025-06-20&group_by=region").await;
        assert!(cells(&past).iter().all(|(_, url, _)| url.is_none()), "a past day's firms are not today's list: {past}");
    }

    async fn every_flow_figure_links_to_as_many_events(app) {
        generate(&app, 0x5EED_0162).await;
        let mut followed = 0;
        for query in ["?from=2025-06-10&to=2025-06-30", "?from=2025-06-14&to=2025-06-21&group_by=region", "?from=2025-06-10&to=2025-06-30&group_by=industry"] {
            let body = app.get_json(&format!("/api/v1/tier-flows{query}")).await;
            for t in body["tiers"].as_array().expect("tiers") {
                let rows = std::iter::once(t).chain(t["groups"].as_array().expect("groups").iter());
                for row in rows {
                    for figure in FIGURES {
                        let want = row[figure].as_i64().expect("figure");
                        let url = row["events_urls"][figure].as_str().unwrap_or_else(|| panic!("no link for {figure}: {row}"));
                        if want == 0 && followed > 40 {
                            continue;
                        }
                        let events = feed(&app, url).await;
                        assert_eq!(events.len() as i64, want, "{figure} of {} {} under {query}: {url}", t["tier"], row["key"]);
                        followed += 1;
                    }
                }
            }
        }
        assert!(followed > 40, "{followed}");
    }

    async fn tier_event_filters_each_narrow_the_feed_to_the_matching_events(app) {
        generate(&app, 0x5EED_0163).await;
        let all = all_events(&app).await;
        let text = |e: &Value, f: &str| e[f].as_str().unwrap_or("").to_owned();
        type Keep = Box<dyn Fn(&Value) -> bool>;
        // Every filter at once, from an event that surely exists.
        let sample = all.iter().find(|e| e["kind"] == "entered").expect("an entry").clone();
        let (tier, region) = (text(&sample, "to_tier"), text(&sample, "region_code"));
        let section = text(&sample, "industry_code")[..1].to_owned();
        let combined = format!("tier={tier}&kind=entered&region={region}&industry={section}&from=2025-06-10&to=2025-06-30&track={}", text(&sample, "track"));
        let cases: Vec<(&str, Keep)> = vec![
            (combined.as_str(), Box::new(move |e: &Value| {
                (e["from_tier"] == tier.as_str() || e["to_tier"] == tier.as_str()) && text(e, "kind") == "entered"
                    && text(e, "region_code") == region && text(e, "industry_code").starts_with(section.as_str())
            })),
            ("from=2025-06-20", Box::new(move |e: &Value| text(e, "effective_on").as_str() >= "2025-06-20")),
            ("to=2025-06-15", Box::new(move |e: &Value| text(e, "effective_on").as_str() <= "2025-06-15")),
            ("from=2025-06-16&to=2025-06-16", Box::new(move |e: &Value| text(e, "effective_on") == "2025-06-16")),
            ("track=unicorn", Box::new(move |e: &Value| text(e, "track") == "unicorn")),
            ("tier=seed_unicorn", Box::new(move |e: &Value| e["from_tier"] == "seed_unicorn" || e["to_tier"] == "seed_unicorn")),
            ("from_tier=high_tech", Box::new(move |e: &Value| e["from_tier"] == "high_tech")),
            ("to_tier=high_tech", Box::new(move |e: &Value| e["to_tier"] == "high_tech")),
            ("kind=promoted", Box::new(move |e: &Value| text(e, "kind") == "promoted")),
            ("kind=exited", Box::new(move |e: &Value| text(e, "kind") == "exited")),
            ("region=320412", Box::new(move |e: &Value| text(e, "region_code") == "320412")),
            ("industry=C38", Box::new(move |e: &Value| text(e, "industry_code").starts_with("C38"))),
            ("industry=i", Box::new(move |e: &Value| text(e, "industry_code").starts_with('I'))),
        ];
        let positions = |events: &[Value]| events.iter().map(|e| e["position"].as_i64().expect("position")).collect::<Vec<_>>();
        for (query, keep) in cases {
            let want: Vec<Value> = all.iter().filter(|e| keep(e)).cloned().collect();
            assert!(!want.is_empty() && want.len() < all.len(), "{query} must narrow the feed to something: {} of {}", want.len(), all.len());
            let got = feed(&app, &format!("/api/v1/tier-events?{query}")).await;
            assert_eq!(positions(&got), positions(&want), "{query}");
        }
    }

    async fn bad_tier_event_filters_are_refused_naming_the_parameter(app) {
        for (query, field) in [
            ("from=2025-13-01", "from"),
            ("to=yesterday", "to"),
            ("from=2025-06-02&to=2025-06-01", "to"),
            ("tier=dragon", "tier"),
            ("from_tier=dragon", "from_tier"),
            ("to_tier=dragon", "to_tier"),
            ("track=dragons", "track"),
            ("kind=moving", "kind"),
            ("region=3204", "region"),
            ("region=32041x", "region"),
            ("industry=Z9", "industry"),
            ("industry=C3", "industry"),
            ("limit=0", "limit"),
        ] {
            let response = app.get(&format!("/api/v1/tier-events?{query}")).await;
            assert_problem(response, 422, Some(field)).await;
        }
        assert_problem(app.get("/api/v1/tier-events?district=320412").await, 400, None).await;
        assert_eq!(app.get("/api/v1/tier-events?tier=gazelle&region=320412&industry=C38&from=2025-01-01&to=2025-06-30").await.status(), 200);
    }
}
