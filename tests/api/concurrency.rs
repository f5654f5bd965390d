use serde_json::json;

use crate::helpers::firm_body;
use crate::on_both_backends;

on_both_backends! {
    async fn twenty_identical_registrations_at_once_create_exactly_one_firm(app) {
        let body = firm_body();
        let requests = (0..20).map(|_| app.post_json("/api/v1/firms", &body));
        let statuses: Vec<u16> = futures_util::future::join_all(requests).await
            .into_iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 19, "{statuses:?}");
        assert_eq!(app.firm_count().await, 1);
    }

    async fn two_editors_of_the_same_version_one_wins_and_one_gets_412(app) {
        let firm = app.register(&firm_body()).await;
        let url = app.url(&format!("/api/v1/firms/{}", firm["id"].as_str().expect("id")));
        let edit = |name: &'static str| app.client.patch(&url).header("If-Match", "\"1\"")
            .json(&json!({"name": name})).send();
        let (a, b) = futures_util::future::join(edit("甲公司"), edit("乙公司")).await;
        let mut statuses = [a.expect("sent").status().as_u16(), b.expect("sent").status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412]);
        assert_eq!(app.get_json(&format!("/api/v1/firms/{}", firm["id"].as_str().expect("id"))).await["version"], 2);
    }
}
