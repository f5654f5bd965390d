//! The ledger oracle: random histories, written in whatever order a busy registry meets them
//! (registrations, rounds, figures, certificates, listings, district moves, rule publications
//! effective in the past or the future, the clock jumping days or months while the daily
//! passes are behind, restarts), checked after every step from the `/tier-events` feed alone:
//! - for every day D, the as-of counts (per tier, and per tier and district) equal a replay
//!   of the feed up to D;
//! - the live counts equal the as-of counts of today;
//! - flows over random periods balance (opening + ins − outs = closing), in total and per
//!   district, and their opening and closing agree with the replay;
//! - when the daily pass has covered today, `/assessment` of a sample of firms gives the
//!   tiers the ledger says they hold.
//!
//! Histories per backend: `ORACLE_HISTORIES` (default 12; CI runs more); `ORACLE_SEED` picks
//! the first seed, so a failure names the seed that reproduces it.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, TimeDelta};
use serde_json::{Value, json};
use tier_registry::service::{
    CountFilter, GroupBy, Precondition, Registry, ServiceError, YearPrecondition,
};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, spawn_app, uscc};
use crate::history::Rng;

const DISTRICTS: [&str; 7] = [
    "320402", "320404", "320411", "320412", "320413", "320481", "320500",
];
const INDUSTRIES: [&str; 4] = ["C38", "I65", "M73", "C3831"];

/// Counts keyed `tier` and `tier@region`, zeros left out.
type Counts = BTreeMap<String, i64>;

/// What the feed says each firm holds: (firm, track) → (tier, region).
#[derive(Default, Clone)]
struct Replay {
    events: Vec<Value>,
    after: i64,
}

impl Replay {
    /// Reads the events recorded since the last call, through the HTTP feed.
    async fn catch_up(&mut self, app: &TestApp) {
        loop {
            let page = app
                .get_json(&format!(
                    "/api/v1/tier-events?after={}&limit=1000",
                    self.after
                ))
                .await;
            let items = page["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return;
            }
            self.after = page["next_after"].as_i64().expect("next_after");
            self.events.extend(items);
        }
    }

    /// Holdings at the end of `until`.
    fn held(&self, until: NaiveDate) -> BTreeMap<(String, String), (String, String)> {
        let mut held = BTreeMap::new();
        let mut last_day = NaiveDate::MIN;
        for e in &self.events {
            let effective = date(e["effective_on"].as_str().expect("effective_on"));
            assert!(
                effective >= last_day,
                "the feed went back in time: {effective} after {last_day} at position {}",
                e["position"]
            );
            last_day = effective;
            if effective > until {
                continue;
            }
            let key = (
                e["firm_id"].as_str().expect("firm").to_owned(),
                e["track"].as_str().expect("track").to_owned(),
            );
            match e["to_tier"].as_str() {
                Some(tier) => {
                    let region = e["region_code"].as_str().expect("region").to_owned();
                    held.insert(key, (tier.to_owned(), region))
                }
                None => held.remove(&key),
            };
        }
        held
    }

    fn counts(&self, until: NaiveDate) -> Counts {
        let mut counts = Counts::new();
        for (tier, region) in self.held(until).values() {
            *counts.entry(tier.clone()).or_default() += 1;
            *counts.entry(format!("{tier}@{region}")).or_default() += 1;
        }
        counts
    }

    /// The days on which the events from `from` on took effect.
    fn event_days(&self, from: usize) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self.events[from.min(self.events.len())..]
            .iter()
            .map(|e| date(e["effective_on"].as_str().expect("effective_on")))
            .collect();
        days.dedup();
        days
    }
}

fn date(raw: &str) -> NaiveDate {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").expect("a date")
}

fn counts_of(registry: &Registry, as_of: Option<NaiveDate>) -> Counts {
    let filter = CountFilter {
        group_by: Some(GroupBy::Region),
        ..CountFilter::default()
    };
    let counts = registry
        .counts()
        .tiers(as_of, &filter, &[])
        .unwrap_or_else(|e| panic!("counts as of {as_of:?}: {e}"));
    let mut out = Counts::new();
    for t in counts.tiers {
        if t.firms != 0 {
            out.insert(t.tier.clone(), t.firms);
        }
        for (region, firms) in t.groups {
            if firms != 0 {
                out.insert(format!("{}@{region}", t.tier), firms);
            }
        }
    }
    out
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid input")
}

/// A refusal the history may meet (a listed firm edited again, a date before founding); a
/// write that fails for storage or ordering reasons is a bug.
fn allowed(outcome: Result<(), ServiceError>, what: &str, trace: &str) {
    match outcome {
        Ok(()) => {}
        Err(ServiceError::Validation(e)) if std::env::var("ORACLE_TRACE").is_ok() => {
            eprintln!("{what} refused: {e:?}")
        }
        Err(ServiceError::Validation(_)) | Err(ServiceError::Conflict(_)) => {}
        Err(e) => panic!("{what} failed: {e:#}\n{trace}"),
    }
}

/// One random history and the checks after each of its steps.
struct History<'a> {
    app: &'a TestApp,
    registry: Registry,
    rng: Rng,
    first_day: NaiveDate,
    firms: Vec<Uuid>,
    /// Rounds and certificates recorded: (firm, record, is a round).
    records: Vec<(Uuid, Uuid, bool)>,
    serial: u32,
    version: u32,
    replay: Replay,
    trace: String,
}

impl<'a> History<'a> {
    fn new(app: &'a TestApp, seed: u64) -> Self {
        Self {
            app,
            registry: app.registry.clone(),
            rng: Rng::new(seed),
            first_day: app.clock.today(),
            firms: Vec::new(),
            records: Vec::new(),
            serial: 0,
            version: 1,
            replay: Replay::default(),
            trace: format!("seed {seed}:"),
        }
    }

    fn today(&self) -> NaiveDate {
        self.app.clock.today()
    }

    fn note(&mut self, what: impl std::fmt::Display) {
        self.trace.push_str(&format!("\n  {} {what}", self.today()));
    }

    fn a_date_within(&mut self, days: u64) -> String {
        let back = self.rng.below(days as usize + 1) as u64;
        (self.today() - Days::new(back)).to_string()
    }

    async fn step(&mut self) {
        let roll = self.rng.below(100);
        let registry = self.registry.clone();
        let actor = "oracle";
        if self.firms.is_empty() || roll < 15 {
            self.serial += 1;
            let founded = *self.rng.pick(&[
                "2012-03-01",
                "2016-05-01",
                "2019-07-01",
                "2019-07-01",
                "2021-01-01",
                "2023-02-01",
            ]);
            let body = json!({
                "uscc": uscc(&format!("320411MA1Q{:05}", self.serial)),
                "name": format!("常州神谕科技{}号有限公司", self.serial),
                "region_code": self.rng.pick(&DISTRICTS),
                "industry_code": self.rng.pick(&INDUSTRIES),
                "founded_on": founded,
                "credit_ok": self.rng.below(16) != 0,
                "tech_firm": true,
                "in_gazelle_pool": self.rng.below(3) != 0,
                "in_key_tech_field": true
            });
            self.note(format!("register #{} founded {founded}", self.serial));
            let firm = registry
                .firms()
                .register(&parse(body), actor, None)
                .unwrap_or_else(|e| panic!("registration failed: {e:#}\n{}", self.trace));
            match firm {
                tier_registry::service::Created::New(firm) => self.firms.push(firm.id),
                tier_registry::service::Created::Replayed(id) => panic!("replayed {id}"),
            }
            return;
        }
        let firm = *self.rng.pick(&self.firms);
        match roll {
            15..=39 => {
                let (value, currency) = *self.rng.pick(&[
                    (90_000_000, "CNY"),
                    (150_000_000, "CNY"),
                    (250_000_000, "CNY"),
                    (400_000_000, "CNY"),
                    (60_000_000, "USD"),
                    (150_000_000, "USD"),
                    (800_000_000, "USD"),
                    (1_500_000_000, "USD"),
                ]);
                let closed_on = self.a_date_within(200);
                self.note(format!(
                    "round {value} {currency} on {closed_on} for {firm}"
                ));
                let body = json!({
                    "closed_on": closed_on,
                    "round": "A轮",
                    "amount": {"value": value / 10, "currency": currency},
                    "post_money_valuation": {"value": value, "currency": currency},
                    "investor_kind": self.rng.pick(&["professional_institution", "professional_institution", "strategic", "government_fund"])
                });
                // Confirmed: the history jumps valuations on purpose.
                let outcome = registry
                    .figures()
                    .add_financing(firm, &parse(body), true, actor, None)
                    .map(|created| {
                        if let tier_registry::service::Created::New(r) = created
                            && let Some(id) = r.item.id
                        {
                            self.records.push((firm, id, true));
                        }
                    });
                allowed(outcome, "round", &self.trace);
            }
            40..=50 => {
                // Figures for the last one to five years, growing at a random rate: gazelles,
                // seed unicorns (standard 2) and high-tech candidates come and go.
                let years = *self.rng.pick(&[2_u32, 3, 5, 5, 5]);
                let base = *self
                    .rng
                    .pick(&[8_000_000_i64, 15_000_000, 30_000_000, 120_000_000]);
                let growth = *self.rng.pick(&[100_i64, 125, 130, 140]);
                let rd_share = *self.rng.pick(&[12_i64, 20, 40]);
                let tech_staff = *self.rng.pick(&[5_i64, 15, 30]);
                let last = self.today().year() - 1;
                let any_version = YearPrecondition {
                    if_match: Precondition::Any,
                    create_only: false,
                };
                let new_year = YearPrecondition {
                    if_match: Precondition::Missing,
                    create_only: false,
                };
                self.note(format!(
                    "{years} years of figures from {base} growing {growth}% for {firm}"
                ));
                for k in 0..years {
                    let year = last - (years - 1 - k) as i32;
                    let revenue = base * growth.pow(k) / 100_i64.pow(k);
                    let body = json!({
                        "revenue": revenue,
                        "rd_expense": revenue / rd_share,
                        "rd_expense_domestic": revenue / 50,
                        "high_tech_revenue": revenue * 7 / 10,
                        "employees": 100,
                        "tech_staff": tech_staff,
                        "ip_class1": 2,
                        "innovation_score": 80
                    });
                    // A new year needs no version; a stored one is replaced whatever it is.
                    let input = parse(body);
                    let outcome = match registry
                        .figures()
                        .put_year(firm, year, &input, &new_year, actor)
                    {
                        Err(ServiceError::PreconditionRequired) => {
                            registry
                                .figures()
                                .put_year(firm, year, &input, &any_version, actor)
                        }
                        other => other,
                    }
                    .map(|_| ());
                    allowed(outcome, "figures", &self.trace);
                }
            }
            51..=59 => {
                // Issued so that the certificate lapses within the next months, or has.
                let issued = self.today() - Days::new(3 * 365 - 100 + self.rng.below(200) as u64);
                self.serial += 1;
                self.note(format!("certificate issued {issued} for {firm}"));
                let body = json!({"kind": "high_tech", "number": format!("GR2099{:08}", self.serial), "issued_on": issued.to_string()});
                let outcome = registry
                    .figures()
                    .add_certificate(firm, &parse(body), actor, None)
                    .map(|created| {
                        if let tier_registry::service::Created::New(r) = created
                            && let Some(id) = r.item.id
                        {
                            self.records.push((firm, id, false));
                        }
                    });
                allowed(outcome, "certificate", &self.trace);
            }
            60..=68 => {
                let body = json!({"region_code": self.rng.pick(&DISTRICTS), "industry_code": self.rng.pick(&INDUSTRIES)});
                self.note(format!("move {firm} to {body}"));
                let outcome = registry
                    .firms()
                    .patch(firm, &Precondition::Any, &parse(body), actor)
                    .map(|_| ());
                allowed(outcome, "move", &self.trace);
            }
            69..=72 if !self.records.is_empty() && self.rng.below(2) == 0 => {
                // A mistake corrected: a round's valuation changed, or a record withdrawn.
                let (owner, record, is_round) = *self.rng.pick(&self.records);
                let any = Precondition::Any;
                let outcome = if is_round && self.rng.below(2) == 0 {
                    let value = *self.rng.pick(&[50_000_000_i64, 180_000_000, 500_000_000]);
                    self.note(format!("correct round {record}: valuation ¥{value}"));
                    let patch = json!({"post_money_valuation": {"value": value, "currency": "CNY"}, "amount": {"value": value / 10, "currency": "CNY"}, "confirm": true});
                    registry
                        .figures()
                        .correct_financing(owner, record, &any, &parse(patch), actor)
                        .map(|_| ())
                } else {
                    self.note(format!("withdraw {record}"));
                    let reason = parse(json!({"reason": "录入错误"}));
                    if is_round {
                        registry
                            .figures()
                            .withdraw_financing(owner, record, &any, &reason, actor)
                            .map(|_| ())
                    } else {
                        registry
                            .figures()
                            .withdraw_certificate(owner, record, &any, &reason, actor)
                            .map(|_| ())
                    }
                };
                allowed(outcome, "correction", &self.trace);
            }
            69..=72 => {
                let body = match self.rng.below(3) {
                    0 => json!({"listed_on": self.a_date_within(30)}),
                    1 => {
                        json!({"founded_on": self.rng.pick(&["2014-05-01", "2020-03-01", "2022-06-01"])})
                    }
                    _ => json!({"status": "deregistered"}),
                };
                self.note(format!("edit {firm}: {body}"));
                let outcome = registry
                    .firms()
                    .patch(firm, &Precondition::Any, &parse(body), actor)
                    .map(|_| ());
                allowed(outcome, "edit", &self.trace);
            }
            73..=83 => {
                // Time goes by while nobody runs the daily pass.
                let hours = *self
                    .rng
                    .pick(&[6_i64, 24, 24 * 3, 24 * 20, 24 * 45, 24 * 120]);
                self.app.clock.advance(TimeDelta::hours(hours));
                self.note(format!("clock +{hours} h"));
            }
            84..=91 => {
                // The daily job runs: to today, or only part of the way.
                let today = self.today();
                let until = if self.rng.below(3) == 0 {
                    today - Days::new(self.rng.below(10) as u64)
                } else {
                    today
                };
                self.note(format!("daily pass until {until}"));
                let outcome = registry.time().pass(until, "oracle", &|_| {}).map(|_| ());
                allowed(outcome, "daily pass", &self.trace);
            }
            92..=95 => {
                self.note("restart");
                self.registry = self.app.restarted_registry();
            }
            _ => {
                // A new rule set version, in force from a day in the past or the future.
                self.version += 1;
                let offset = self.rng.below(121) as i64 - 60;
                let from = self.today() + TimeDelta::days(offset);
                let threshold = if self.version.is_multiple_of(2) {
                    "200,000,000"
                } else {
                    "100,000,000"
                };
                self.note(format!("publish v{} effective {from}", self.version));
                let text = rules_version(self.version, from, threshold);
                let outcome = registry
                    .rule_sets()
                    .publish(
                        &text,
                        &format!("oracle-v{}.toml", self.version),
                        actor,
                        &|_| {},
                    )
                    .map(|_| ());
                allowed(outcome, "publication", &self.trace);
            }
        }
    }

    /// Every check, from the feed alone.
    async fn check(&mut self, every_day: bool) {
        let seen = self.replay.events.len();
        self.replay.catch_up(self.app).await;
        let today = self.today();
        let mut days: Vec<NaiveDate> = if every_day {
            self.first_day
                .iter_days()
                .take_while(|d| *d <= today)
                .collect()
        } else {
            // The days this step recorded changes for, the day before each, and two random
            // days: a change that rewrote an older day shows there, or in the final check of
            // every day.
            let mut days = vec![self.first_day, today];
            for d in self.replay.event_days(seen) {
                days.extend(d.pred_opt());
                days.push(d);
            }
            for _ in 0..2 {
                let span = (today - self.first_day).num_days().max(0) as usize;
                days.push(self.first_day + Days::new(self.rng.below(span + 1) as u64));
            }
            days
        };
        days.retain(|d| *d >= self.first_day && *d <= today);
        days.sort();
        days.dedup();
        for day in &days {
            assert_eq!(
                counts_of(&self.registry, Some(*day)),
                self.replay.counts(*day),
                "as-of counts on {day} differ from the replay of the feed\n{}",
                self.trace
            );
        }
        assert_eq!(
            counts_of(&self.registry, None),
            self.replay.counts(today),
            "live counts differ from the replay up to today\n{}",
            self.trace
        );
        self.check_flows(today).await;
        self.check_assessments(today);
    }

    async fn check_flows(&mut self, today: NaiveDate) {
        let span = (today - self.first_day).num_days().max(0) as usize;
        let from = self.first_day + Days::new(self.rng.below(span + 1) as u64);
        let to = from + Days::new(self.rng.below((today - from).num_days() as usize + 1) as u64);
        let flows = self
            .registry
            .counts()
            .flows(from, to, Some(GroupBy::Region))
            .unwrap_or_else(|e| panic!("flows {from}..{to}: {e}\n{}", self.trace));
        let opening = from
            .pred_opt()
            .map(|d| self.replay.counts(d))
            .unwrap_or_default();
        let closing = self.replay.counts(to);
        let get = |c: &Counts, k: &str| c.get(k).copied().unwrap_or(0);
        for t in &flows.tiers {
            assert!(
                t.total.balances(),
                "{} flows {from}..{to} do not balance: {:?}\n{}",
                t.tier,
                t.total,
                self.trace
            );
            assert_eq!(
                t.total.opening,
                get(&opening, &t.tier),
                "{} opening on {from}\n{}",
                t.tier,
                self.trace
            );
            assert_eq!(
                t.total.closing,
                get(&closing, &t.tier),
                "{} closing on {to}\n{}",
                t.tier,
                self.trace
            );
            for (region, flow) in &t.groups {
                let key = format!("{}@{region}", t.tier);
                assert!(
                    flow.balances(),
                    "{key} flows {from}..{to} do not balance: {flow:?}\n{}",
                    self.trace
                );
                assert_eq!(
                    flow.opening,
                    get(&opening, &key),
                    "{key} opening on {from}\n{}",
                    self.trace
                );
                assert_eq!(
                    flow.closing,
                    get(&closing, &key),
                    "{key} closing on {to}\n{}",
                    self.trace
                );
            }
        }
    }

    /// When the daily pass has covered today, a firm's assessment gives the tiers the ledger
    /// says it holds (before that, a certificate lapsing today is not recorded yet).
    fn check_assessments(&mut self, today: NaiveDate) {
        let lag = self.registry.time().lag().expect("time lag");
        if lag.covered != Some(today) || self.firms.is_empty() {
            return;
        }
        let held = self.replay.held(today);
        for _ in 0..3 {
            let firm = *self.rng.pick(&self.firms);
            let assessment = self
                .registry
                .tiers()
                .assess(firm, None)
                .expect("assessment");
            for track in &assessment.tracks {
                let ledger = held
                    .get(&(firm.to_string(), track.track.clone()))
                    .map(|(tier, _)| tier.clone());
                assert_eq!(
                    track.tier, ledger,
                    "firm {firm}, track {}: assessment and ledger disagree\n{}",
                    track.track, self.trace
                );
            }
        }
    }
}

/// The default rule set as `version`, effective from `from`, with the seed valuation at
/// `threshold` yuan.
fn rules_version(version: u32, from: NaiveDate, threshold: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules/default.toml"
    ))
    .expect("default rules");
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.starts_with("version = ") {
            out.push_str(&format!("version = {version}\n"));
        } else if line.starts_with("effective_from = ") {
            out.push_str(&format!("effective_from = {from}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.replace(
        "\"valuation >= 100,000,000 CNY\"",
        &format!("\"valuation >= {threshold} CNY\""),
    )
}

fn histories() -> u64 {
    std::env::var("ORACLE_HISTORIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

fn first_seed() -> u64 {
    std::env::var("ORACLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_251_201)
}

async fn run(backend: Backend) {
    let started = std::time::Instant::now();
    let n = histories();
    let mut steps = 0;
    let mut events = 0;
    let (mut in_spawn, mut in_steps, mut in_checks) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let t = std::time::Instant::now();
        let app = spawn_app(backend)
            .await
            .expect("TEST_DATABASE_URL names a reachable PostgreSQL");
        in_spawn += t.elapsed().as_secs_f64();
        let seed = first_seed() + i;
        let spawned = std::time::Instant::now();
        let mut history = History::new(&app, seed);
        let length = 20 + history.rng.below(20);
        for _ in 0..length {
            let t = std::time::Instant::now();
            history.step().await;
            in_steps += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            history.check(false).await;
            in_checks += t.elapsed().as_secs_f64();
        }
        // The daily job catches up at the end, and then every single day is checked.
        let today = history.today();
        history
            .registry
            .time()
            .pass(today, "oracle", &|_| {})
            .unwrap_or_else(|e| panic!("final pass: {e:#}\n{}", history.trace));
        history.check(true).await;
        if std::env::var("ORACLE_TRACE").is_ok() {
            eprintln!(
                "{}\n  events: {}",
                history.trace,
                history.replay.events.len()
            );
            for e in &history.replay.events {
                eprintln!(
                    "    {} {} {} {:?}->{:?} {} {}",
                    e["effective_on"],
                    e["firm_id"],
                    e["kind"],
                    e["from_tier"],
                    e["to_tier"],
                    e["cause"],
                    e["region_code"]
                );
            }
        }
        steps += length;
        if std::env::var("ORACLE_TIMING").is_ok() {
            eprintln!(
                "history {seed}: spawn {:?} before, {:.2} s in all",
                spawned - started,
                spawned.elapsed().as_secs_f64()
            );
        }
        events += history.replay.events.len();
    }
    eprintln!(
        "ledger oracle on {backend:?}: {n} histories, {steps} steps, {events} events, {:.1} s \
         (starting servers {in_spawn:.1} s, steps {in_steps:.1} s, checks after steps {in_checks:.1} s)",
        started.elapsed().as_secs_f64()
    );
}

#[actix_web::test]
async fn as_of_counts_always_equal_a_replay_of_the_feed_on_sqlite() {
    run(Backend::Sqlite).await;
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn as_of_counts_always_equal_a_replay_of_the_feed_on_postgres() {
    run(Backend::Postgres).await;
}
