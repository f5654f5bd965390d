//! Published rule sets.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::convert::{from_utc, to_utc};
use super::schema::rule_sets;
use crate::domain::PublishedRuleSet;

/// A published rule set as stored: the file's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = rule_sets)]
pub struct RuleSetRow {
    pub id: String,
    pub version: i32,
    pub effective_from: NaiveDate,
    pub content_hash: String,
    pub origin: String,
    pub content: String,
    pub published_at: NaiveDateTime,
    pub published_by: String,
}

impl RuleSetRow {
    /// Stored form of a publication time.
    pub fn stored_time(at: DateTime<Utc>) -> NaiveDateTime {
        from_utc(at)
    }

    /// The domain view of the row.
    pub fn into_domain(self, in_force: bool) -> PublishedRuleSet {
        PublishedRuleSet {
            published_at: to_utc(self.published_at),
            id: self.id,
            version: self.version,
            effective_from: self.effective_from,
            content_hash: self.content_hash,
            origin: self.origin,
            content: self.content,
            published_by: self.published_by,
            in_force,
        }
    }
}

/// Every published rule set, oldest publication first.
pub fn list_rule_sets(conn: &mut DbConnection) -> StorageResult<Vec<RuleSetRow>> {
    Ok(rule_sets::table
        .order((
            rule_sets::published_at.asc(),
            rule_sets::id.asc(),
            rule_sets::version.asc(),
        ))
        .select(RuleSetRow::as_select())
        .load(conn)?)
}

/// How many rule sets are published; grows by one with every publication, so it tells an
/// instance whether its cached rules are current.
pub fn rule_set_generation(conn: &mut DbConnection) -> StorageResult<i64> {
    Ok(rule_sets::table.count().get_result(conn)?)
}

/// The stored rule set with this id and version, if any.
pub fn find_rule_set(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
) -> StorageResult<Option<RuleSetRow>> {
    Ok(rule_sets::table
        .find((id, version))
        .select(RuleSetRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores a publication.
pub fn insert_rule_set(conn: &mut DbConnection, row: &RuleSetRow) -> StorageResult<()> {
    Ok(diesel::insert_into(rule_sets::table)
        .values(row)
        .execute(conn)
        .map(drop)?)
}
