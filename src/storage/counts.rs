//! Reading the maintained counts: live per bucket, as of a past date, and the raw material of
//! flows over a period (event transitions and per-day count deltas).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};

use super::DbConnection;
use super::StorageResult;
use super::schema::{ledger_head, tier_count_days, tier_counts, tier_events};

/// Firms in one bucket (track, tier, district, industry).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, QueryableByName)]
pub struct BucketCount {
    /// Track id.
    #[diesel(sql_type = Text)]
    pub track: String,
    /// Tier id.
    #[diesel(sql_type = Text)]
    pub tier: String,
    /// District (GB/T 2260).
    #[diesel(sql_type = Text)]
    pub region_code: String,
    /// Industry (GB/T 4754).
    #[diesel(sql_type = Text)]
    pub industry_code: String,
    /// Firms in the bucket.
    #[diesel(sql_type = BigInt)]
    pub firms: i64,
}

/// The live count of every bucket that ever held a firm (empty buckets included, with 0).
pub fn live_counts(conn: &mut DbConnection) -> StorageResult<Vec<BucketCount>> {
    Ok(tier_counts::table
        .select((
            tier_counts::track,
            tier_counts::tier,
            tier_counts::region_code,
            tier_counts::industry_code,
            tier_counts::firms,
        ))
        .load(conn)?)
}

/// Per bucket, `firms` of the latest `tier_count_days` row on or before the day: one
/// primary-key probe per bucket. Every bucket with a day row also has a `tier_counts` row
/// (both are written together and neither is deleted), so `tier_counts` lists the buckets.
/// The optional district and industry-prefix filters cut the buckets probed.
const AS_OF_SQL: &str = "SELECT c.track, c.tier, c.region_code, c.industry_code, \
     COALESCE((SELECT d.firms FROM tier_count_days d \
        WHERE d.track = c.track AND d.tier = c.tier \
          AND d.region_code = c.region_code AND d.industry_code = c.industry_code \
          AND d.day <= $1 \
        ORDER BY d.day DESC LIMIT 1), 0) AS firms \
     FROM tier_counts c \
     WHERE ($2 IS NULL OR c.region_code = $2) AND ($3 IS NULL OR c.industry_code LIKE $3)";

/// The count of every bucket at the end of `day`, optionally only in one district and under
/// one industry code prefix (a section letter and digits, so it holds no LIKE wildcard).
pub fn counts_as_of(
    conn: &mut DbConnection,
    day: NaiveDate,
    region: Option<&str>,
    industry_prefix: Option<&str>,
) -> StorageResult<Vec<BucketCount>> {
    let pattern = industry_prefix.map(|p| format!("{p}%"));
    // SQLite reads `$N` as a named parameter, numbered by first appearance, so one text with
    // repeated `$2`/`$3` serves both backends.
    match conn {
        DbConnection::Sqlite(c) => Ok(diesel::sql_query(AS_OF_SQL)
            .bind::<Date, _>(day)
            .bind::<Nullable<Text>, _>(region)
            .bind::<Nullable<Text>, _>(pattern)
            .load(c)?),
        DbConnection::Pg(c) => Ok(diesel::sql_query(AS_OF_SQL)
            .bind::<Date, _>(day)
            .bind::<Nullable<Text>, _>(region)
            .bind::<Nullable<Text>, _>(pattern)
            .load(c)?),
    }
}

/// How many events made one transition in one bucket on one day.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TransitionCount {
    /// The day the events took effect.
    pub day: NaiveDate,
    /// Track id.
    pub track: String,
    /// Tier before (none on entry).
    pub from_tier: Option<String>,
    /// Tier after (none on exit).
    pub to_tier: Option<String>,
    /// `entered`, `promoted`, `demoted` or `exited`.
    pub kind: String,
    /// District at the time.
    pub region_code: String,
    /// Industry at the time.
    pub industry_code: String,
    /// Number of events.
    pub events: i64,
}

/// Events effective within `[from, to]`, counted per day and transition; the range scan uses
/// the `(effective_on, position)` index.
pub fn transitions(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<Vec<TransitionCount>> {
    Ok(tier_events::table
        .filter(tier_events::effective_on.between(from, to))
        // A move changes no tier; flows recover moves from the count table per group.
        .filter(tier_events::kind.ne("moved"))
        .group_by((
            tier_events::effective_on,
            tier_events::track,
            tier_events::from_tier,
            tier_events::to_tier,
            tier_events::kind,
            tier_events::region_code,
            tier_events::industry_code,
        ))
        .select((
            tier_events::effective_on,
            tier_events::track,
            tier_events::from_tier,
            tier_events::to_tier,
            tier_events::kind,
            tier_events::region_code,
            tier_events::industry_code,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// One bucket's net change on one day.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DayDelta {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// District.
    pub region_code: String,
    /// Industry.
    pub industry_code: String,
    /// The day.
    pub day: NaiveDate,
    /// Net change that day.
    pub delta: i64,
}

/// Every bucket's net change on each day within `[from, to]` (uses the `day` index).
pub fn day_deltas(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<Vec<DayDelta>> {
    Ok(tier_count_days::table
        .filter(tier_count_days::day.between(from, to))
        .select((
            tier_count_days::track,
            tier_count_days::tier,
            tier_count_days::region_code,
            tier_count_days::industry_code,
            tier_count_days::day,
            tier_count_days::delta,
        ))
        .load(conn)?)
}

/// The last ledger position handed out.
pub fn ledger_position(conn: &mut DbConnection) -> StorageResult<i64> {
    Ok(ledger_head::table
        .find(1)
        .select(ledger_head::last_position)
        .first(conn)?)
}

/// What names the data's version: the ledger head, the rule-set publications and the newest
/// audit entry, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataHead {
    /// The last ledger position handed out.
    pub position: i64,
    /// How many rule sets are published.
    pub rules: i64,
    /// The newest audit entry's id (facts change without moving the ledger).
    pub audit: Option<String>,
}

/// The head, read in the caller's transaction.
pub fn data_head(conn: &mut DbConnection) -> StorageResult<DataHead> {
    Ok(DataHead {
        position: ledger_position(conn)?,
        rules: super::rule_set_generation(conn)?,
        audit: super::latest_audit_id(conn)?,
    })
}

/// The distinct days on which the events at positions `(after, upto]` took effect (a range
/// scan of the primary key).
pub fn effective_days_between(
    conn: &mut DbConnection,
    after: i64,
    upto: i64,
) -> StorageResult<Vec<NaiveDate>> {
    Ok(tier_events::table
        .filter(tier_events::position.gt(after))
        .filter(tier_events::position.le(upto))
        .select(tier_events::effective_on)
        .distinct()
        .load(conn)?)
}

/// One bucket's row of one day: the count at the end of that day.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DayRow {
    /// Track id.
    pub track: String,
    /// Tier id.
    pub tier: String,
    /// District.
    pub region_code: String,
    /// Industry.
    pub industry_code: String,
    /// The day.
    pub day: NaiveDate,
    /// Firms in the bucket at the end of the day.
    pub firms: i64,
}

/// Every bucket's row on each of `days` (uses the `day` index). Days only move forward in
/// the count tables, so a bucket's row on the latest day it has is its live count.
pub fn count_rows_on(conn: &mut DbConnection, days: &[NaiveDate]) -> StorageResult<Vec<DayRow>> {
    if days.is_empty() {
        return Ok(Vec::new());
    }
    Ok(tier_count_days::table
        .filter(tier_count_days::day.eq_any(days))
        .select((
            tier_count_days::track,
            tier_count_days::tier,
            tier_count_days::region_code,
            tier_count_days::industry_code,
            tier_count_days::day,
            tier_count_days::firms,
        ))
        .load(conn)?)
}
