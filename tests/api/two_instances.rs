//! Two instances over one database: each answers counts from its own snapshot, never from
//! before its own last write, and shows the other's writes once its head-check interval
//! (`database.head_check_ms`, 250 ms here as in production) has passed.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::{Backend, TestApp, round, spawn_app_with, young_tech_firm};

const INTERVAL_MS: u64 = 250;

async fn counts(client: &reqwest::Client, address: &str) -> (Value, String) {
    let response = client
        .get(format!("{address}/api/v1/tier-counts?group_by=region"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let tag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned();
    (response.json().await.expect("json"), tag)
}

fn potential_unicorns(body: &Value) -> i64 {
    body["tiers"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["tier"] == "potential_unicorn"))
        .and_then(|t| t["firms"].as_i64())
        .expect("a potential_unicorn row")
}

async fn a_write_on_one_instance_shows_on_the_other_within_the_interval(a: TestApp) {
    let (b_address, b) = a
        .second_instance(|s| s.database.head_check_ms = INTERVAL_MS)
        .await;
    let (before_a, tag_a) = counts(&a.client, &a.address).await;
    let (before_b, tag_b) = counts(&b, &b_address).await;
    assert_eq!(before_a, before_b);
    assert_eq!(
        tag_a, tag_b,
        "the tag names the data, so both instances give the same one"
    );
    assert_eq!(potential_unicorns(&before_a), 0);

    // The write goes to A; B has just read the head, so it may still answer from before it.
    let firm = a.register(&young_tech_firm("320411MA1Q00001")).await;
    let id = firm["id"].as_str().expect("id");
    let path = format!("/api/v1/firms/{id}/financings");
    assert_eq!(
        a.post_json(&path, &round("2025-03-01", 60_000_000, "USD"))
            .await
            .status(),
        201
    );

    // A never answers from before its own write, however recent its last head read.
    let (after_a, new_tag) = counts(&a.client, &a.address).await;
    assert_eq!(potential_unicorns(&after_a), 1);
    assert_ne!(new_tag, tag_a);
    let conditional = a
        .client
        .get(a.url("/api/v1/tier-counts?group_by=region"))
        .header("If-None-Match", &tag_a)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        conditional.status(),
        200,
        "the old tag is no longer current"
    );

    // Once the interval has passed, B reads the head again and shows A's write.
    tokio::time::sleep(Duration::from_millis(INTERVAL_MS + 50)).await;
    let (after_b, tag_b) = counts(&b, &b_address).await;
    assert_eq!(potential_unicorns(&after_b), 1);
    assert_eq!(after_b, after_a);
    assert_eq!(tag_b, new_tag);

    // And the other way round: B's write shows on A.
    let second = young_tech_firm("320411MA1Q00002");
    let created = b
        .post(format!("{b_address}/api/v1/firms"))
        .json(&second)
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.expect("json");
    let id = created["id"].as_str().expect("id");
    let financing = b
        .post(format!("{b_address}/api/v1/firms/{id}/financings"))
        .json(&round("2025-03-01", 60_000_000, "USD"))
        .send()
        .await
        .expect("sent");
    assert_eq!(financing.status(), 201);
    assert_eq!(potential_unicorns(&counts(&b, &b_address).await.0), 2);
    tokio::time::sleep(Duration::from_millis(INTERVAL_MS + 50)).await;
    assert_eq!(
        potential_unicorns(&counts(&a.client, &a.address).await.0),
        2
    );
}

#[actix_web::test]
async fn on_sqlite() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.database.head_check_ms = INTERVAL_MS)
        .await
        .expect("SQLite always runs");
    a_write_on_one_instance_shows_on_the_other_within_the_interval(app).await;
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn on_postgres() {
    let app =
        crate::helpers::spawn_postgres_app_with(|s| s.database.head_check_ms = INTERVAL_MS).await;
    a_write_on_one_instance_shows_on_the_other_within_the_interval(app).await;
}
