//! Firms' arrivals in the city (registration or a move in from outside), which recruitment
//! targets count.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::convert::to_utc;
use super::schema::city_arrivals;

/// Records that `firm_id` came into the city on `day`, `how` being `registered` or
/// `moved_in`, into district `region_code`.
pub fn insert_arrival(
    conn: &mut DbConnection,
    firm_id: &str,
    day: NaiveDate,
    how: &'static str,
    region_code: &str,
) -> StorageResult<()> {
    Ok(diesel::insert_into(city_arrivals::table)
        .values((
            city_arrivals::id.eq(uuid::Uuid::now_v7().to_string()),
            city_arrivals::firm_id.eq(firm_id),
            city_arrivals::arrived_on.eq(day),
            city_arrivals::how.eq(how),
            city_arrivals::region_code.eq(region_code),
        ))
        .execute(conn)
        .map(drop)?)
}

/// Each firm that arrived within `[from, to]`, with its first arrival day in that range.
pub fn arrivals_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<Vec<(String, NaiveDate)>> {
    Ok(city_arrivals::table
        .filter(city_arrivals::arrived_on.between(from, to))
        .group_by(city_arrivals::firm_id)
        .select((
            city_arrivals::firm_id,
            diesel::dsl::min(city_arrivals::arrived_on).assume_not_null(),
        ))
        .load(conn)?)
}

/// Where the registry's record begins: the first day any tier event takes effect and the
/// instant the first rule set was published (a new database publishes at its first start,
/// before any firm is classified).
pub fn history_start(
    conn: &mut DbConnection,
) -> StorageResult<(Option<NaiveDate>, Option<DateTime<Utc>>)> {
    use super::schema::{rule_sets, tier_events};
    let first_event: Option<NaiveDate> = tier_events::table
        .select(diesel::dsl::min(tier_events::effective_on))
        .first(conn)?;
    let first_publication: Option<chrono::NaiveDateTime> = rule_sets::table
        .select(diesel::dsl::min(rule_sets::published_at))
        .first(conn)?;
    Ok((first_event, first_publication.map(to_utc)))
}
