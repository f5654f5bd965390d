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
    /// Anything else: a bug or an unforeseen fault. Never shown to clients.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ServiceError {
    /// A conflict on one field.
    pub fn conflict(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict(FieldError::new(field, code, message))
    }
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
