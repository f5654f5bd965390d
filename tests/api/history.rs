//! A random but reproducible history of firms, rounds, certificates, edits, district moves, a
//! rule publication and passing days, written through the service at each day's clock, with
//! the live counts recorded at the end of every day.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::{Value, json};
use tier_registry::service::{CountFilter, GroupBy, Precondition, Registry};
use uuid::Uuid;

use crate::helpers::{TestApp, round, uscc};

/// First day of generated history; the test clock's today (2025-06-30) is the last.
pub const FIRST_DAY: &str = "2025-06-10";
/// The districts firms are registered in and move between.
const DISTRICTS: [&str; 6] = ["320402", "320404", "320411", "320412", "320413", "320481"];
const INDUSTRIES: [&str; 5] = ["C38", "C3831", "I65", "M73", "C"];

/// xorshift64*: a few lines, no dependency, the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Live counts per tier (`tier`) and per tier and district (`tier@region`).
pub type Snapshot = BTreeMap<String, i64>;

/// What was generated: each day's live counts.
pub struct History {
    pub days: Vec<(NaiveDate, Snapshot)>,
}

fn day(raw: &str) -> NaiveDate {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").expect("a date")
}

/// Noon in Beijing on `d`.
fn noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(4, 0, 0).expect("valid time").and_utc()
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid input")
}

/// The live counts as the service reads them now.
pub fn snapshot(registry: &Registry) -> Snapshot {
    let filter = CountFilter {
        group_by: Some(GroupBy::Region),
        ..CountFilter::default()
    };
    let counts = registry
        .counts()
        .tiers(None, &filter, &[])
        .expect("live counts");
    let mut out = Snapshot::new();
    for t in counts.tiers {
        out.insert(t.tier.clone(), t.firms);
        for (region, firms) in t.groups {
            out.insert(format!("{}@{region}", t.tier), firms);
        }
    }
    out
}

/// Counts from a `/tier-counts?group_by=region` answer, in the snapshot's shape.
pub fn snapshot_of(body: &Value) -> Snapshot {
    let mut out = Snapshot::new();
    for t in body["tiers"].as_array().expect("tiers") {
        let tier = t["tier"].as_str().expect("tier");
        out.insert(tier.to_owned(), t["firms"].as_i64().expect("firms"));
        for g in t["groups"].as_array().expect("groups") {
            let key = format!("{tier}@{}", g["key"].as_str().expect("key"));
            out.insert(key, g["firms"].as_i64().expect("firms"));
        }
    }
    out
}

/// The default rule set as version 2 with a stricter seed valuation (¥200M).
fn stricter_rules() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules/default.toml"
    ))
    .expect("default rules");
    text.replacen("version = 2", "version = 3", 1).replace(
        "\"valuation >= 100,000,000 CNY\"",
        "\"valuation >= 200,000,000 CNY\"",
    )
}

/// Lets the history start before the test clock's today: the server's own time-passing task
/// marks today as covered when it starts, so the mark is moved back once it exists.
async fn rewind_time_job(app: &TestApp, to: NaiveDate) {
    for _ in 0..200 {
        let sql = format!("UPDATE job_runs SET last_day = '{to}' WHERE job = 'time_passed'");
        // The task may be writing at this moment (SQLite answers "locked"): try again.
        if app.raw_sql(&sql).is_ok_and(|n| n == 1) {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the time-passing task never ran");
}

/// Writes a seeded random history from `FIRST_DAY` to 2025-06-30.
pub async fn generate(app: &TestApp, seed: u64) -> History {
    let mut rng = Rng::new(seed);
    let first = day(FIRST_DAY);
    let last = day("2025-06-30");
    rewind_time_job(app, first.pred_opt().expect("a day")).await;
    // The stricter rules take away the story's second firm's seed tier.
    let publish_on = first + Days::new(6);
    let mut firms: Vec<Uuid> = Vec::new();
    let mut story: Option<Uuid> = None;
    let mut serial = 0u32;
    let mut days = Vec::new();
    let mut today = first;
    while today <= last {
        let registry = app.registry_at(noon(today));
        registry
            .time()
            .pass(today, "test", &|_| {})
            .expect("time passes");
        if today == publish_on {
            registry
                .rule_sets()
                .publish(&stricter_rules(), "default-v2.toml", "test", &|_| {})
                .expect("publication");
        }
        scripted(&registry, today - first, &mut story);
        for _ in 0..(3 + rng.below(5)) {
            serial += 1;
            step(&registry, &mut rng, &mut firms, serial);
        }
        days.push((today, snapshot(&registry)));
        today = today.succ_opt().expect("a day");
    }
    History { days }
}

/// A fixed storyline inside the random one, so that every kind of change surely occurs: a
/// young firm becomes a potential unicorn and another a seed unicorn that the stricter rules
/// published on day 6 drop (day 2); the first moves district (day 4) and is
/// re-dated into an older cohort, which demotes it to seed (day 8). The random writes never
/// touch it.
fn scripted(registry: &Registry, offset: chrono::TimeDelta, story: &mut Option<Uuid>) {
    let actor = "test";
    match offset.num_days() {
        2 => {
            let input = json!({
                "uscc": uscc("320411MA1W00001"), "name": "常州剧情科技有限公司", "region_code": "320411",
                "industry_code": "I65", "founded_on": "2022-01-01", "credit_ok": true, "tech_firm": true
            });
            let firm = registry
                .firms()
                .register(&parse(input), actor, None)
                .map(created)
                .expect("registration");
            let body = round("2025-01-15", 60_000_000, "USD");
            registry
                .figures()
                .add_financing(firm.id, &parse(body), false, actor, None)
                .expect("round");
            *story = Some(firm.id);
            let input = json!({
                "uscc": uscc("320411MA1W00002"), "name": "常州种子科技有限公司", "region_code": "320402",
                "industry_code": "C38", "founded_on": "2021-01-01", "credit_ok": true, "tech_firm": true
            });
            let seed = registry
                .firms()
                .register(&parse(input), actor, None)
                .map(created)
                .expect("registration");
            let body = round("2025-01-15", 150_000_000, "CNY");
            registry
                .figures()
                .add_financing(seed.id, &parse(body), false, actor, None)
                .expect("round");
        }
        4 | 8 => {
            let Some(id) = story else { return };
            let body = if offset.num_days() == 4 {
                json!({"region_code": "320413"})
            } else {
                json!({"founded_on": "2017-01-01"})
            };
            registry
                .firms()
                .patch(*id, &Precondition::Any, &parse(body), actor)
                .expect("story edit");
        }
        _ => {}
    }
}

/// One random write.
fn step(registry: &Registry, rng: &mut Rng, firms: &mut Vec<Uuid>, serial: u32) {
    let actor = "test";
    if firms.is_empty() || rng.below(5) == 0 {
        let founded = *rng.pick(&["2016-03-01", "2019-05-01", "2021-07-01", "2022-01-01"]);
        let input = json!({
            "uscc": uscc(&format!("320411MA1R{serial:05}")),
            "name": format!("常州测试科技{serial}号有限公司"),
            "region_code": rng.pick(&DISTRICTS),
            "industry_code": rng.pick(&INDUSTRIES),
            "founded_on": founded,
            "credit_ok": true,
            "tech_firm": true
        });
        let firm = registry
            .firms()
            .register(&parse(input), actor, None)
            .map(created)
            .expect("registration");
        firms.push(firm.id);
        return;
    }
    let firm = *rng.pick(firms);
    let any = Precondition::Any;
    match rng.below(8) {
        0..=2 => {
            let (value, currency) = *rng.pick(&[
                (80_000_000, "CNY"),
                (150_000_000, "CNY"),
                (250_000_000, "CNY"),
                (350_000_000, "CNY"),
                (60_000_000, "USD"),
                (120_000_000, "USD"),
                (1_200_000_000, "USD"),
            ]);
            let body = round("2025-01-15", value, currency);
            // Valuations jump by more than 20 times on purpose: a clerk would confirm them.
            registry
                .figures()
                .add_financing(firm, &parse(body), true, actor, None)
                .expect("round");
        }
        3 => {
            // Some certificates lapse inside the generated window.
            let issued = *rng.pick(&["2022-06-12", "2022-06-20", "2022-06-27", "2024-03-01"]);
            let body = json!({"kind": "high_tech", "number": format!("GR2099{serial:08}"), "issued_on": issued});
            registry
                .figures()
                .add_certificate(firm, &parse(body), actor, None)
                .expect("certificate");
        }
        4 | 5 => {
            let body = json!({"region_code": rng.pick(&DISTRICTS), "industry_code": rng.pick(&INDUSTRIES)});
            // A move can be refused for a deregistered firm; the history goes on.
            let _ = registry.firms().patch(firm, &any, &parse(body), actor);
        }
        6 => {
            // Moving a young potential unicorn into an older cohort demotes it.
            let body = json!({"founded_on": rng.pick(&["2014-05-01", "2017-01-01", "2017-01-01", "2022-01-01"])});
            let _ = registry.firms().patch(firm, &any, &parse(body), actor);
        }
        _ => {
            let body = if rng.below(2) == 0 {
                json!({"listed_on": "2025-06-01"})
            } else {
                json!({"status": "deregistered"})
            };
            // A firm already deregistered or listed may refuse some edits; that is fine here.
            let _ = registry.firms().patch(firm, &any, &parse(body), actor);
        }
    }
}

/// Every ledger event, through the resumable feed.
pub async fn all_events(app: &TestApp) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = app
            .get_json(&format!("/api/v1/tier-events?after={after}&limit=1000"))
            .await;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            return events;
        }
        after = page["next_after"].as_i64().expect("next_after");
        events.extend(items);
    }
}

/// Per-tier counts at the end of `until`, from replaying the events in ledger order. District
/// moves record no event, so the replay gives totals per tier only.
pub fn replay(events: &[Value], until: NaiveDate) -> BTreeMap<String, i64> {
    let mut held: BTreeMap<(String, String), String> = BTreeMap::new();
    for e in events {
        let effective = day(e["effective_on"].as_str().expect("effective_on"));
        if effective > until {
            continue;
        }
        let key = (
            e["firm_id"].as_str().expect("firm").to_owned(),
            e["track"].as_str().expect("track").to_owned(),
        );
        match e["to_tier"].as_str() {
            Some(tier) => held.insert(key, tier.to_owned()),
            None => held.remove(&key),
        };
    }
    let mut counts = BTreeMap::new();
    for tier in held.values() {
        *counts.entry(tier.clone()).or_default() += 1;
    }
    counts
}

/// Only the per-tier entries of a snapshot, without zeros.
pub fn tier_totals(snapshot: &Snapshot) -> BTreeMap<String, i64> {
    snapshot
        .iter()
        .filter(|(k, v)| !k.contains('@') && **v != 0)
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

/// The resource a create made (these calls carry no Idempotency-Key, so never a replay).
fn created<T>(outcome: tier_registry::service::Created<T>) -> T {
    match outcome {
        tier_registry::service::Created::New(value) => value,
        tier_registry::service::Created::Replayed(id) => panic!("unexpected replay of {id}"),
    }
}
