//! `/audit`: the audit trail, for admins.

mod list_audit;

pub use list_audit::{__path_list_audit, AuditQuery, list_audit};
