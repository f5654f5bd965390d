//! Staff accounts, sessions, API tokens and the audit trail.

mod audit;
mod secrets;
mod sessions;
mod tokens;
mod users;

pub use audit::{AuditEntry, AuditTarget, MAX_AUDIT_PAGE};
pub use secrets::{random_hex as random_token_hex, same_secret};
pub use sessions::{AuthPolicy, IssuedSession, StaffSession};
pub use tokens::{ApiToken, NewToken, TOKEN_PREFIX};
pub use users::{NewAccount, StaffUser};
