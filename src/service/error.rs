//! What a use case can fail with; the HTTP and web layers turn these into responses.

use crate::domain::{FieldError, ValidationErrors};
use crate::storage::{StorageError, UniqueKey, is_storage_full};

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
    /// way up, so the storage error's classification did not see it) reported as [`ServiceError::StorageFull`].
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

impl From<StorageError> for ServiceError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => Self::NotFound("resource"),
            StorageError::Duplicate(UniqueKey::FirmUscc) => Self::conflict(
                "uscc",
                "already_registered",
                "a firm with this USCC is already registered",
            ),
            StorageError::Duplicate(UniqueKey::CertificateNumber) => Self::conflict(
                "number",
                "duplicate",
                "a certificate with this number is already recorded",
            ),
            StorageError::Duplicate(UniqueKey::Username) => {
                Self::conflict("username", "taken", "this username is already taken")
            }
            StorageError::OtherUniqueViolation(message) => {
                Self::Unexpected(anyhow::anyhow!("unique violation: {message}"))
            }
            // Every reference a client can name is to a firm.
            StorageError::UnknownReference(_) => Self::NotFound("firm"),
            StorageError::Full(message) => Self::StorageFull(message),
            StorageError::Busy(message) | StorageError::Connection(message) => {
                Self::Unavailable(message)
            }
            other @ StorageError::Other(_) => {
                Self::Unexpected(anyhow::Error::new(other).context("Database query failed"))
            }
        }
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
}
