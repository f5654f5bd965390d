//! Recording and reading the audit trail: the `Audit` capability.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::ServiceError;
use super::registry::Registry;
use crate::storage::{self, AuditFilter, AuditRow, DbConnection};

/// Largest page of the audit trail.
pub const MAX_AUDIT_PAGE: i64 = 500;

/// One thing someone did.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Entry id (UUID v7): also the cursor for older entries.
    pub id: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a username, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// What (`firm.registered`, `login.failed`, …).
    pub action: String,
    /// The kind of thing acted on.
    pub target_kind: Option<String>,
    /// Its id.
    pub target_id: Option<String>,
    /// The client address, for requests.
    pub address: Option<String>,
    /// Details as a JSON object.
    pub detail: Value,
}

/// What an entry is about: a kind and an id.
pub type AuditTarget<'a> = Option<(&'a str, String)>;

/// Recording what was done (inside the doing transaction) and reading it back; reached by
/// [`Registry::audit`].
#[derive(Clone, Copy)]
pub struct Audit<'a> {
    registry: &'a Registry,
}

impl<'a> Audit<'a> {
    pub(super) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}

impl Audit<'_> {
    /// Appends an audit entry inside the caller's transaction, so the entry exists exactly
    /// when the change does.
    pub(crate) fn record_in(
        &self,
        conn: &mut DbConnection,
        actor: &str,
        action: &str,
        target: AuditTarget<'_>,
        address: Option<&str>,
        detail: Value,
    ) -> Result<(), ServiceError> {
        self.record_id_in(conn, actor, action, target, address, detail)
            .map(drop)
    }

    /// Appends an audit entry inside the caller's transaction, so the entry exists exactly
    /// when the change does. Returns the entry's id.
    pub(crate) fn record_id_in(
        &self,
        conn: &mut DbConnection,
        actor: &str,
        action: &str,
        target: AuditTarget<'_>,
        address: Option<&str>,
        detail: Value,
    ) -> Result<String, ServiceError> {
        let id = uuid::Uuid::now_v7().to_string();
        let (target_kind, target_id) = match target {
            Some((kind, id)) => (Some(kind.to_owned()), Some(id)),
            None => (None, None),
        };
        storage::insert_audit(
            conn,
            &AuditRow {
                id: id.clone(),
                at: storage::stored_time(self.registry.clock().now()),
                actor: actor.to_owned(),
                action: action.to_owned(),
                target_kind,
                target_id,
                address: address.map(str::to_owned),
                detail: detail.to_string(),
            },
        )?;
        Ok(id)
    }

    /// The audit entry with `id`, if there is one.
    pub fn entry(&self, id: &str) -> Result<Option<AuditEntry>, ServiceError> {
        let mut conn = self.registry.conn()?;
        Ok(storage::find_audit(&mut conn, id)?.map(entry_of))
    }

    /// Audit entries matching `filter`, newest first.
    pub fn trail(&self, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>, ServiceError> {
        let mut conn = self.registry.conn()?;
        let rows = storage::list_audit(&mut conn, filter, limit.clamp(1, MAX_AUDIT_PAGE))?;
        Ok(rows.into_iter().map(entry_of).collect())
    }
}

fn entry_of(row: AuditRow) -> AuditEntry {
    AuditEntry {
        id: row.id,
        at: row.at.and_utc(),
        actor: row.actor,
        action: row.action,
        target_kind: row.target_kind,
        target_id: row.target_id,
        address: row.address,
        detail: serde_json::from_str(&row.detail).unwrap_or(Value::Null),
    }
}
