//! What a use case can fail with; the HTTP and web layers turn these into responses.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::{FieldError, ValidationErrors};

/// The failures of a use case, each meaning one thing to a client.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input was refused; nothing was written.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The named resource does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write would break a uniqueness rule (a USCC already registered).
    #[error("conflict: {0}")]
    Conflict(FieldError),
    /// The client edited a stale version.
    #[error("the resource changed since it was read (now version {current})")]
    PreconditionFailed {
        /// The version now stored.
        current: i64,
    },
    /// An edit came without `If-Match`.
    #[error("this change needs If-Match with the version read")]
    PreconditionRequired,
    /// A login or token did not match an active account or token.
    #[error("wrong credentials")]
    InvalidCredentials,
    /// Too many failed logins for this account or address; retry after the given seconds.
    #[error("too many failed logins; retry in {retry_after} s")]
    TooManyAttempts {
        /// Seconds until the oldest counted failure leaves the window.
        retry_after: u64,
    },
    /// The database is busy or unreachable; the client may retry.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The database's disk (or its configured size limit) is full: nothing can be written
    /// until an operator frees space. Reads still work.
    #[error("storage full: the database cannot grow ({0})")]
    StorageFull(String),
    /// Anything else: a bug or an unforeseen fault. Never shown to clients; its message
    /// carries the whole chain of causes (for the log and the command line).
    #[error("{0:#}")]
    Unexpected(#[from] anyhow::Error),
}

impl ServiceError {
    /// The same error, with an unforeseen failure whose cause is a full disk (wrapped on its
    /// way up, so the diesel conversion did not see it) reported as [`ServiceError::StorageFull`].
    pub fn classified(self) -> Self {
        match self {
            Self::Unexpected(error) => {
                let chain = format!("{error:#}");
                if is_storage_full(&chain) {
                    Self::StorageFull(chain)
                } else {
                    Self::Unexpected(error)
                }
            }
            other => other,
        }
    }

    /// A conflict on one field.
    pub fn conflict(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict(FieldError::new(field, code, message))
    }
}

/// Whether a database message reports a full disk: SQLite's `SQLITE_FULL` ("database or
/// disk is full") and PostgreSQL's `disk_full` (53100, "could not extend file …: No space
/// left on device"). diesel does not expose the SQLSTATE, so the message decides.
pub fn is_storage_full(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "disk is full",
        "no space left",
        "could not extend file",
        "disk full",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

fn is_transient(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "database is locked",
        "database is busy",
        "busy",
        "could not connect",
        "connection",
        "terminating",
        "shutting down",
        "timeout",
        "timed out",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

impl From<DieselError> for ServiceError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound("resource"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let text = format!(
                    "{} {}",
                    info.message(),
                    info.constraint_name().unwrap_or("")
                );
                if text.contains("uscc") {
                    Self::conflict(
                        "uscc",
                        "already_registered",
                        "a firm with this USCC is already registered",
                    )
                } else if text.contains("number") {
                    Self::conflict(
                        "number",
                        "duplicate",
                        "a certificate with this number is already recorded",
                    )
                } else if text.contains("username") {
                    Self::conflict("username", "taken", "this username is already taken")
                } else {
                    Self::Unexpected(anyhow::anyhow!("unique violation: {}", info.message()))
                }
            }
            DieselError::DatabaseError(_, info) if is_storage_full(info.message()) => {
                Self::StorageFull(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                Self::NotFound("firm")
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::SerializationFailure,
                info,
            ) => Self::Unavailable(info.message().to_owned()),
            DieselError::DatabaseError(_, info) if is_transient(info.message()) => {
                Self::Unavailable(info.message().to_owned())
            }
            DieselError::BrokenTransactionManager => {
                Self::Unavailable("the database connection broke".into())
            }
            other => Self::Unexpected(anyhow::Error::new(other).context("Database query failed")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ServiceError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(format!("no database connection: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unexpected_failure_caused_by_a_full_disk_is_classified_as_storage_full() {
        let wrapped = ServiceError::Unexpected(
            anyhow::anyhow!("database or disk is full").context("Database query failed"),
        );
        let classified = wrapped.classified();
        assert!(
            matches!(classified, ServiceError::StorageFull(_)),
            "{classified}"
        );
        assert!(
            classified.to_string().starts_with("storage full"),
            "{classified}"
        );
        let bug = ServiceError::Unexpected(anyhow::anyhow!("index out of bounds")).classified();
        assert!(matches!(bug, ServiceError::Unexpected(_)));
    }

    #[test]
    fn a_full_disk_is_recognised_on_both_backends_and_nothing_else_is() {
        for message in [
            "database or disk is full",
            "could not extend file \"base/16384/2619\": No space left on device",
            "could not write to file \"pg_wal/xlogtemp.123\": No space left on device",
        ] {
            assert!(is_storage_full(message), "{message}");
        }
        for message in ["database is locked", "duplicate key value", "syntax error"] {
            assert!(!is_storage_full(message), "{message}");
        }
    }
}
