//! Ledger writes for many firms at once: multi-row event and current-tier inserts and
//! per-firm sequence lookups for a whole chunk, so a bulk pass costs a few statements per
//! chunk of firms instead of about eight per event.

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::parse_uuid;
use super::ledger::{CurrentTierRow, NewEventRow};
use super::schema::{current_tiers, tier_events};
use crate::domain::TierEvent;

/// Events per statement: 17 columns × 1,000 stays under SQLite's 32,766 bound variables and
/// PostgreSQL's 65,535 parameters.
const EVENTS_PER_INSERT: usize = 1_000;

/// Current-tier rows per statement (6 columns) and firm ids per `IN (…)` list.
const ROWS_PER_STATEMENT: usize = 1_000;

/// Appends events with multi-row statements. There is no update or delete: the database
/// triggers refuse them too.
pub fn append_events(conn: &mut DbConnection, events: &[TierEvent]) -> StorageResult<()> {
    let rows: Vec<NewEventRow<'_>> = events.iter().map(NewEventRow::from).collect();
    insert_chunks!(conn, tier_events::table, rows, EVENTS_PER_INSERT);
    Ok(())
}

/// The next per-firm sequence number of each of `firm_ids` (1 for a firm without events):
/// one grouped query per thousand firms, served by the `(firm_id, seq)` unique index.
pub fn next_seqs(conn: &mut DbConnection, firm_ids: &[Uuid]) -> StorageResult<HashMap<Uuid, i32>> {
    let mut next = HashMap::with_capacity(firm_ids.len());
    for chunk in firm_ids.chunks(ROWS_PER_STATEMENT) {
        let chunk: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let rows: Vec<(String, Option<i32>)> = tier_events::table
            .filter(tier_events::firm_id.eq_any(chunk))
            .group_by(tier_events::firm_id)
            .select((tier_events::firm_id, diesel::dsl::max(tier_events::seq)))
            .load(conn)?;
        for (firm_id, max) in rows {
            next.insert(parse_uuid(&firm_id)?, max.unwrap_or(0) + 1);
        }
    }
    Ok(next)
}

/// Replaces every current tier of `firm_ids` with `rows` (the firms' complete new sets):
/// one delete per thousand firms, then multi-row inserts. Pass no ids for firms known to
/// hold nothing yet (inserted in this transaction).
pub fn replace_current_tiers(
    conn: &mut DbConnection,
    firm_ids: &[String],
    rows: &[CurrentTierRow],
) -> StorageResult<()> {
    for chunk in firm_ids.chunks(ROWS_PER_STATEMENT) {
        diesel::delete(current_tiers::table.filter(current_tiers::firm_id.eq_any(chunk)))
            .execute(conn)?;
    }
    insert_chunks!(conn, current_tiers::table, rows, ROWS_PER_STATEMENT);
    Ok(())
}
