//! The audit trail as the API shows it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::AuditEntry;

/// One thing someone did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    /// Entry id; pass as `before` to page back.
    pub id: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who: a username, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// What: `firm.registered`, `firm.edited`, `figures.saved`, `financing.added`,
    /// `certificate.added`, `rules.published`, `import.committed`, `login.succeeded`,
    /// `login.failed`, `login.throttled`, `logout`, `password.changed`, `user.added`,
    /// `user.updated`, `user.password_reset`, `token.created`, `token.revoked`.
    pub action: String,
    /// The kind of thing acted on: `firm`, `user`, `token`, `ruleset`.
    pub target_kind: Option<String>,
    /// Its id.
    pub target_id: Option<String>,
    /// The client address, for logins.
    pub address: Option<String>,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            target_kind: e.target_kind,
            target_id: e.target_id,
            address: e.address,
            detail: e.detail,
        }
    }
}

/// A page of the audit trail, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The entries.
    pub items: Vec<AuditEntryResponse>,
    /// Pass as `before` for older entries; absent on the last page.
    pub next_before: Option<String>,
}
