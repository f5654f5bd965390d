//! The audit trail: an insert function and reads, nothing else (triggers refuse the rest).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::schema::audit_log;

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// UUID v7 as text; orders entries by time.
    pub id: String,
    /// When.
    pub at: NaiveDateTime,
    /// Who: a username, `token:<name>`, or `system`.
    pub actor: String,
    /// What, e.g. `firm.registered`, `login.failed`.
    pub action: String,
    /// The kind of thing acted on (`firm`, `user`, `token`, `ruleset`).
    pub target_kind: Option<String>,
    /// Its id.
    pub target_id: Option<String>,
    /// The client address, for requests.
    pub address: Option<String>,
    /// A short JSON object with details.
    pub detail: String,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this target kind.
    pub target_kind: Option<String>,
    /// Only this target id.
    pub target_id: Option<String>,
    /// Only entries older than this id (the cursor of the next page).
    pub before: Option<String>,
}

/// Appends an entry.
pub fn insert_audit(conn: &mut DbConnection, row: &AuditRow) -> StorageResult<()> {
    Ok(diesel::insert_into(audit_log::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)?)
}

/// Entries matching `filter`, newest first.
pub fn list_audit(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    limit: i64,
) -> StorageResult<Vec<AuditRow>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(kind) = &filter.target_kind {
        query = query.filter(audit_log::target_kind.eq(kind.clone()));
    }
    if let Some(id) = &filter.target_id {
        query = query.filter(audit_log::target_id.eq(id.clone()));
    }
    if let Some(before) = &filter.before {
        query = query.filter(audit_log::id.lt(before.clone()));
    }
    Ok(query
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}

/// The entry with `id`.
pub fn find_audit(conn: &mut DbConnection, id: &str) -> StorageResult<Option<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::id.eq(id))
        .select(AuditRow::as_select())
        .first(conn)
        .optional()?)
}

/// The newest entry's id (ids are UUID v7, ordered by time): every write that changes a
/// firm's facts leaves an entry in its transaction, so this names the data's version.
pub fn latest_audit_id(conn: &mut DbConnection) -> StorageResult<Option<String>> {
    Ok(audit_log::table
        .select(diesel::dsl::max(audit_log::id))
        .first(conn)?)
}
