use serde_json::json;

use crate::helpers::{TestApp, firm_body, uscc};
use crate::on_both_backends;

async fn register(app: &TestApp, i: usize, name: &str, region: &str, industry: &str) {
    let mut body = firm_body();
    body["uscc"] = json!(uscc(&format!("{region}MA1M{i:05}")));
    body["name"] = json!(name);
    body["region_code"] = json!(region);
    body["industry_code"] = json!(industry);
    app.register(&body).await;
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect()
}

on_both_backends! {
    async fn the_list_filters_by_district_industry_and_text(app) {
        register(&app, 1, "常州天宁智能科技有限公司", "320402", "I65").await;
        register(&app, 2, "常州新北电缆有限公司", "320411", "C38").await;
        register(&app, 3, "Changzhou Smart Grid Co", "320411", "C3831").await;

        assert_eq!(names(&app.get_json("/api/v1/firms?region=320411").await).len(), 2);
        assert_eq!(names(&app.get_json("/api/v1/firms?industry=C38").await).len(), 2);
        assert_eq!(names(&app.get_json("/api/v1/firms?industry=c3831").await), ["Changzhou Smart Grid Co"]);
        assert_eq!(names(&app.get_json("/api/v1/firms?q=%E6%99%BA%E8%83%BD").await), ["常州天宁智能科技有限公司"]);
        assert_eq!(names(&app.get_json("/api/v1/firms?q=smart").await), ["Changzhou Smart Grid Co"], "Latin text matches case-insensitively");
        assert_eq!(names(&app.get_json(&format!("/api/v1/firms?q={}", &uscc("320402MA1M00001")[..12])).await).len(), 1, "a USCC prefix matches");
    }

    async fn like_wildcards_and_sql_in_search_text_match_literally(app) {
        register(&app, 1, "百分之百_科技有限公司", "320402", "I65").await;
        register(&app, 2, "Robert'); DROP TABLE firms;--", "320402", "I65").await;
        assert!(names(&app.get_json("/api/v1/firms?q=%25").await).is_empty(), "% is not a wildcard");
        assert_eq!(names(&app.get_json("/api/v1/firms?q=_").await), ["百分之百_科技有限公司"], "_ is not a wildcard");
        assert_eq!(names(&app.get_json("/api/v1/firms?q=DROP%20TABLE").await).len(), 1);
        assert_eq!(app.firm_count().await, 2);
    }

    async fn cursor_pages_cover_every_firm_exactly_once(app) {
        for i in 0..7 {
            register(&app, i, &format!("企业{i}"), "320412", "C38").await;
        }
        let mut seen = Vec::new();
        let mut url = "/api/v1/firms?limit=3".to_owned();
        loop {
            let page = app.get_json(&url).await;
            seen.extend(names(&page));
            match page["next_cursor"].as_str() {
                Some(cursor) => url = format!("/api/v1/firms?limit=3&cursor={cursor}"),
                None => break,
            }
        }
        let expected: Vec<String> = (0..7).map(|i| format!("企业{i}")).collect();
        assert_eq!(seen, expected);
    }

    async fn malformed_list_parameters_are_a_400(app) {
        for query in ["limit=abc", "cursor=nonsense", "unknown=1"] {
            let response = app.get(&format!("/api/v1/firms?{query}")).await;
            crate::helpers::assert_problem(response, 400, None).await;
        }
    }
}

on_both_backends! {
    async fn control_characters_in_search_parameters_are_refused_not_sent_to_the_database(app) {
        for query in ["q=%00", "region=32%0041", "industry=C%0038", "q=%E2%80%AE"] {
            let response = app.get(&format!("/api/v1/firms?{query}")).await;
            crate::helpers::assert_problem(response, 422, None).await;
        }
        let feed = app.get("/api/v1/tier-events?track=uni%00corn").await;
        crate::helpers::assert_problem(feed, 422, Some("track")).await;
    }
}
