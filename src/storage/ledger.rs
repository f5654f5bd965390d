//! The ledger tables: tier events (append-only), current tiers and the maintained counts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::schema::{
    current_tiers, firms, job_runs, ledger_head, tier_count_days, tier_counts, tier_events,
};
use crate::domain::{Cause, EventKind, TierEvent};

/// How a reclassification holds the ledger against others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerLock {
    /// One firm's write: many may run at once, but not during a population-wide pass.
    Shared,
    /// A population-wide pass (rule publication, time passing): alone.
    Exclusive,
}

/// Arbitrary key of the PostgreSQL advisory lock that orders ledger writers.
const LEDGER_LOCK_KEY: i64 = 0x7469_6572_6c65_6467; // "tierledg"

/// Takes the ledger lock for the rest of the transaction. SQLite needs none: `BEGIN
/// IMMEDIATE` already lets one writer in at a time.
pub fn lock_ledger(conn: &mut DbConnection, mode: LedgerLock) -> StorageResult<()> {
    if let DbConnection::Pg(pg) = conn {
        let function = match mode {
            LedgerLock::Shared => "pg_advisory_xact_lock_shared",
            LedgerLock::Exclusive => "pg_advisory_xact_lock",
        };
        diesel::sql_query(format!("SELECT {function}({LEDGER_LOCK_KEY})")).execute(pg)?;
    }
    Ok(())
}

/// Locks one firm's row until the transaction ends, so two writers on one firm take turns
/// and the second sees the first's facts and events. Returns false if there is no such firm.
pub fn lock_firm(conn: &mut DbConnection, firm_id: Uuid) -> StorageResult<bool> {
    let n = diesel::update(firms::table.find(firm_id.to_string()))
        .set(firms::version.eq(firms::version))
        .execute(conn)?;
    Ok(n == 1)
}

/// A tier a firm holds now.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = current_tiers)]
pub struct CurrentTierRow {
    pub firm_id: String,
    pub track: String,
    pub tier: String,
    pub since: NaiveDate,
    pub region_code: String,
    pub industry_code: String,
}

/// The firm's current tiers, by track.
pub fn current_tiers_of(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<CurrentTierRow>> {
    Ok(current_tiers::table
        .filter(current_tiers::firm_id.eq(firm_id.to_string()))
        .order(current_tiers::track.asc())
        .select(CurrentTierRow::as_select())
        .load(conn)?)
}

/// The current tiers of several firms (a page of the firm list), by firm and track.
pub fn current_tiers_of_firms(
    conn: &mut DbConnection,
    firm_ids: &[Uuid],
) -> StorageResult<Vec<CurrentTierRow>> {
    let ids: Vec<String> = firm_ids.iter().map(Uuid::to_string).collect();
    Ok(current_tiers::table
        .filter(current_tiers::firm_id.eq_any(ids))
        .order((current_tiers::firm_id.asc(), current_tiers::track.asc()))
        .select(CurrentTierRow::as_select())
        .load(conn)?)
}

/// Every current tier of every firm, ordered by firm (for population-wide passes).
pub fn all_current_tiers(conn: &mut DbConnection) -> StorageResult<Vec<CurrentTierRow>> {
    Ok(current_tiers::table
        .order((current_tiers::firm_id.asc(), current_tiers::track.asc()))
        .select(CurrentTierRow::as_select())
        .load(conn)?)
}

/// Reserves `n` consecutive ledger positions and returns the first.
pub fn reserve_positions(conn: &mut DbConnection, n: i64) -> StorageResult<i64> {
    diesel::update(ledger_head::table.find(1))
        .set(ledger_head::last_position.eq(ledger_head::last_position + n))
        .execute(conn)?;
    let last: i64 = ledger_head::table
        .find(1)
        .select(ledger_head::last_position)
        .first(conn)?;
    Ok(last - n + 1)
}

/// A ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = tier_events)]
pub struct EventRow {
    pub position: i64,
    pub firm_id: String,
    pub seq: i32,
    pub track: String,
    pub from_tier: Option<String>,
    pub to_tier: Option<String>,
    pub kind: String,
    pub effective_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub cause: String,
    pub actor: String,
    pub ruleset_id: String,
    pub ruleset_version: i32,
    pub ruleset_hash: String,
    pub region_code: String,
    pub industry_code: String,
    pub explanation: String,
}

/// A ledger row to insert, borrowed from the event it stores.
#[derive(Insertable)]
#[diesel(table_name = tier_events)]
pub(super) struct NewEventRow<'a> {
    position: i64,
    firm_id: String,
    seq: i32,
    track: &'a str,
    from_tier: Option<&'a str>,
    to_tier: Option<&'a str>,
    kind: &'static str,
    effective_on: NaiveDate,
    recorded_at: NaiveDateTime,
    cause: &'static str,
    actor: &'a str,
    ruleset_id: &'a str,
    ruleset_version: i32,
    ruleset_hash: &'a str,
    region_code: &'a str,
    industry_code: &'a str,
    explanation: &'a str,
}

impl<'a> From<&'a TierEvent> for NewEventRow<'a> {
    fn from(e: &'a TierEvent) -> Self {
        Self {
            position: e.position,
            firm_id: e.firm_id.to_string(),
            seq: e.seq,
            track: &e.track,
            from_tier: e.from_tier.as_deref(),
            to_tier: e.to_tier.as_deref(),
            kind: e.kind.as_str(),
            effective_on: e.effective_on,
            recorded_at: from_utc(e.recorded_at),
            cause: e.cause.as_str(),
            actor: &e.actor,
            ruleset_id: &e.rule_set_id,
            ruleset_version: e.rule_set_version,
            ruleset_hash: &e.rule_set_hash,
            region_code: &e.region_code,
            industry_code: &e.industry_code,
            explanation: &e.explanation,
        }
    }
}

impl EventRow {
    /// The domain view of the row; a kind or cause this program does not know is a corrupt
    /// row.
    pub fn into_domain(self) -> StorageResult<TierEvent> {
        let kind = EventKind::parse(&self.kind)
            .ok_or_else(|| corrupt(format!("unknown event kind {:?}", self.kind)))?;
        let cause = Cause::parse(&self.cause)
            .ok_or_else(|| corrupt(format!("unknown event cause {:?}", self.cause)))?;
        Ok(TierEvent {
            position: self.position,
            firm_id: parse_uuid(&self.firm_id)?,
            seq: self.seq,
            recorded_at: to_utc(self.recorded_at),
            track: self.track,
            from_tier: self.from_tier,
            to_tier: self.to_tier,
            kind,
            effective_on: self.effective_on,
            cause,
            actor: self.actor,
            rule_set_id: self.ruleset_id,
            rule_set_version: self.ruleset_version,
            rule_set_hash: self.ruleset_hash,
            region_code: self.region_code,
            industry_code: self.industry_code,
            explanation: self.explanation,
        })
    }
}

/// One firm's events in order.
pub fn events_of_firm(conn: &mut DbConnection, firm_id: Uuid) -> StorageResult<Vec<EventRow>> {
    Ok(tier_events::table
        .filter(tier_events::firm_id.eq(firm_id.to_string()))
        .order(tier_events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}

/// The latest effective date in the ledger, if any.
pub fn last_effective_on(conn: &mut DbConnection) -> StorageResult<Option<NaiveDate>> {
    Ok(tier_events::table
        .select(diesel::dsl::max(tier_events::effective_on))
        .first(conn)?)
}

/// The latest day anything was written for in the ledger: an event's effective day or a
/// day's count change (a district move records no event but moves counts). Both are read
/// from the end of an index.
pub fn latest_ledger_day(conn: &mut DbConnection) -> StorageResult<Option<NaiveDate>> {
    let events = last_effective_on(conn)?;
    let counts: Option<NaiveDate> = tier_count_days::table
        .select(diesel::dsl::max(tier_count_days::day))
        .first(conn)?;
    Ok(events.max(counts))
}

/// A counting bucket: track, tier, district, industry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bucket {
    pub track: String,
    pub tier: String,
    pub region_code: String,
    pub industry_code: String,
}

/// Adds `delta` firms to a bucket on `day`: the live count and that day's running total.
/// Days only move forward (events are effective today or on the day a pass covers), so the
/// day's row starts from the latest earlier row.
pub fn add_to_count(
    conn: &mut DbConnection,
    bucket: &Bucket,
    day: NaiveDate,
    delta: i64,
) -> StorageResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let live = diesel::update(
        tier_counts::table
            .filter(tier_counts::track.eq(&bucket.track))
            .filter(tier_counts::tier.eq(&bucket.tier))
            .filter(tier_counts::region_code.eq(&bucket.region_code))
            .filter(tier_counts::industry_code.eq(&bucket.industry_code)),
    )
    .set(tier_counts::firms.eq(tier_counts::firms + delta))
    .execute(conn)?;
    if live == 0 {
        diesel::insert_into(tier_counts::table)
            .values((
                tier_counts::track.eq(&bucket.track),
                tier_counts::tier.eq(&bucket.tier),
                tier_counts::region_code.eq(&bucket.region_code),
                tier_counts::industry_code.eq(&bucket.industry_code),
                tier_counts::firms.eq(delta),
            ))
            .execute(conn)?;
    }
    let same_bucket = tier_count_days::track
        .eq(bucket.track.clone())
        .and(tier_count_days::tier.eq(bucket.tier.clone()))
        .and(tier_count_days::region_code.eq(bucket.region_code.clone()))
        .and(tier_count_days::industry_code.eq(bucket.industry_code.clone()));
    let today = diesel::update(
        tier_count_days::table
            .filter(same_bucket.clone())
            .filter(tier_count_days::day.eq(day)),
    )
    .set((
        tier_count_days::delta.eq(tier_count_days::delta + delta),
        tier_count_days::firms.eq(tier_count_days::firms + delta),
    ))
    .execute(conn)?;
    if today == 0 {
        let before: i64 = tier_count_days::table
            .filter(same_bucket)
            .filter(tier_count_days::day.lt(day))
            .order(tier_count_days::day.desc())
            .select(tier_count_days::firms)
            .first(conn)
            .optional()?
            .unwrap_or(0);
        diesel::insert_into(tier_count_days::table)
            .values((
                tier_count_days::track.eq(&bucket.track),
                tier_count_days::tier.eq(&bucket.tier),
                tier_count_days::region_code.eq(&bucket.region_code),
                tier_count_days::industry_code.eq(&bucket.industry_code),
                tier_count_days::day.eq(day),
                tier_count_days::delta.eq(delta),
                tier_count_days::firms.eq(before + delta),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The last day a job covered.
pub fn job_last_day(conn: &mut DbConnection, job: &str) -> StorageResult<Option<NaiveDate>> {
    Ok(job_runs::table
        .find(job)
        .select(job_runs::last_day)
        .first(conn)
        .optional()?)
}

/// Records the last day a job covered.
pub fn set_job_last_day(conn: &mut DbConnection, job: &str, day: NaiveDate) -> StorageResult<()> {
    let n = diesel::update(job_runs::table.find(job))
        .set(job_runs::last_day.eq(day))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(job_runs::table)
            .values((job_runs::job.eq(job), job_runs::last_day.eq(day)))
            .execute(conn)?;
    }
    Ok(())
}
