//! What a storage call can fail with, classified once here so the layers above never look at
//! a driver error: by kind, and for a broken uniqueness rule by the constraint that broke.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};

/// A storage failure, by what it means to the caller.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A query that expects a row found none.
    #[error("record not found")]
    NotFound,
    /// A write broke one of the uniqueness rules the service explains to clients.
    #[error("duplicate {0:?}")]
    Duplicate(UniqueKey),
    /// A write broke another uniqueness rule: a bug, not a client's mistake.
    #[error("unique violation: {0}")]
    OtherUniqueViolation(String),
    /// A write referred to a row that does not exist (a foreign key).
    #[error("unknown reference: {0}")]
    UnknownReference(String),
    /// The database's disk (or its configured size limit) is full.
    #[error("{0}")]
    Full(String),
    /// The database is locked by another writer or could not serialise the transaction.
    #[error("{0}")]
    Busy(String),
    /// The connection is missing, closed or broken, or the server is going away.
    #[error("{0}")]
    Connection(String),
    /// Anything else: a bug or an unforeseen fault.
    #[error(transparent)]
    Other(DieselError),
}

/// The uniqueness rules whose violation is a client's conflict, not a bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    /// `firms.uscc`: a firm with this USCC is already registered.
    FirmUscc,
    /// `certificates (kind, number)` among records that count.
    CertificateNumber,
    /// `users.username`.
    Username,
}

/// Each known uniqueness rule, as PostgreSQL names its constraint (or unique index) and as
/// SQLite names its table and last column. The migrations define these names.
const UNIQUE_KEYS: &[(UniqueKey, &[&str], &str, &str)] = &[
    (UniqueKey::FirmUscc, &["firms_uscc_key"], "firms", "uscc"),
    (
        UniqueKey::CertificateNumber,
        // The table constraint before `2026-12-01-000020_corrections`, the index after.
        &["certificates_kind_number", "certificates_kind_number_key"],
        "certificates",
        "number",
    ),
    (
        UniqueKey::Username,
        &["users_username_key"],
        "users",
        "username",
    ),
];

impl UniqueKey {
    /// The rule a unique violation broke, if it is one the service explains.
    fn of(info: &dyn DatabaseErrorInformation) -> Option<Self> {
        if let Some(name) = info.constraint_name() {
            // PostgreSQL reports the constraint's name.
            return UNIQUE_KEYS
                .iter()
                .find(|(_, names, _, _)| names.contains(&name))
                .map(|(key, ..)| *key);
        }
        // SQLite reports no constraint name; its message is the only source, in the one
        // documented form "UNIQUE constraint failed: table.column[, table.column…]"
        // (sqlite3 `sqlite3UniqueConstraint`). The table and the last column identify the rule.
        let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
        let (table, column) = columns.rsplit(", ").next()?.split_once('.')?;
        UNIQUE_KEYS
            .iter()
            .find(|(_, _, t, c)| *t == table && *c == column)
            .map(|(key, ..)| *key)
    }
}

/// Whether a database message reports a full disk: SQLite's `SQLITE_FULL` ("database or
/// disk is full") and PostgreSQL's `disk_full` (53100, "could not extend file …: No space
/// left on device"). diesel exposes neither SQLite's result code nor PostgreSQL's SQLSTATE,
/// so the message decides; also used on error chains that wrapped such a message.
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

/// Busy or going away, from the message (diesel reports SQLite's `SQLITE_BUSY` and
/// PostgreSQL's admin shutdown as an unknown kind): SQLite's "database is locked",
/// PostgreSQL's "terminating connection …", "the database system is shutting down",
/// statement and lock timeouts.
fn transient_kind(message: &str) -> Option<fn(String) -> StorageError> {
    let m = message.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|needle| m.contains(needle));
    if any(&[
        "could not connect",
        "connection",
        "terminating",
        "shutting down",
    ]) {
        Some(StorageError::Connection)
    } else if any(&[
        "database is locked",
        "database is busy",
        "busy",
        "timeout",
        "timed out",
    ]) {
        Some(StorageError::Busy)
    } else {
        None
    }
}

impl From<DieselError> for StorageError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                match UniqueKey::of(info.as_ref()) {
                    Some(key) => Self::Duplicate(key),
                    None => Self::OtherUniqueViolation(info.message().to_owned()),
                }
            }
            DieselError::DatabaseError(_, info) if is_storage_full(info.message()) => {
                Self::Full(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                Self::UnknownReference(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Connection(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                Self::Busy(info.message().to_owned())
            }
            DieselError::DatabaseError(kind, info) => match transient_kind(info.message()) {
                Some(transient) => transient(info.message().to_owned()),
                None => Self::Other(DieselError::DatabaseError(kind, info)),
            },
            DieselError::BrokenTransactionManager => {
                Self::Connection("the database connection broke".into())
            }
            other => Self::Other(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StorageError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Connection(format!("no database connection: {error}"))
    }
}

/// The result of a storage call.
pub type StorageResult<T> = Result<T, StorageError>;

#[cfg(test)]
mod tests {
    use super::*;

    struct Info {
        message: &'static str,
        constraint: Option<&'static str>,
    }

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn classify(
        kind: DatabaseErrorKind,
        message: &'static str,
        constraint: Option<&'static str>,
    ) -> StorageError {
        DieselError::DatabaseError(
            kind,
            Box::new(Info {
                message,
                constraint,
            }),
        )
        .into()
    }

    #[test]
    fn unique_violations_are_known_by_constraint_on_both_backends() {
        let unique = DatabaseErrorKind::UniqueViolation;
        for (message, constraint, key) in [
            (
                "UNIQUE constraint failed: firms.uscc",
                None,
                UniqueKey::FirmUscc,
            ),
            (
                "UNIQUE constraint failed: certificates.kind, certificates.number",
                None,
                UniqueKey::CertificateNumber,
            ),
            (
                "UNIQUE constraint failed: users.username",
                None,
                UniqueKey::Username,
            ),
            (
                "duplicate key value",
                Some("firms_uscc_key"),
                UniqueKey::FirmUscc,
            ),
            (
                "duplicate key value",
                Some("certificates_kind_number"),
                UniqueKey::CertificateNumber,
            ),
            (
                "duplicate key value",
                Some("users_username_key"),
                UniqueKey::Username,
            ),
        ] {
            let error = classify(unique, message, constraint);
            assert!(
                matches!(error, StorageError::Duplicate(k) if k == key),
                "{message}: {error:?}"
            );
        }
        for (message, constraint) in [
            (
                "UNIQUE constraint failed: idempotency_keys.scope, idempotency_keys.idem_key",
                None,
            ),
            (
                "UNIQUE constraint failed: tier_events.firm_id, tier_events.seq",
                None,
            ),
            (
                "duplicate key value violates unique constraint \"uscc\"",
                Some("idempotency_keys_pkey"),
            ),
        ] {
            let error = classify(unique, message, constraint);
            assert!(
                matches!(error, StorageError::OtherUniqueViolation(_)),
                "{message}: {error:?}"
            );
        }
    }

    #[test]
    fn busy_connection_and_full_are_told_apart() {
        let unknown = DatabaseErrorKind::Unknown;
        assert!(matches!(
            classify(unknown, "database is locked", None),
            StorageError::Busy(_)
        ));
        assert!(matches!(
            classify(
                unknown,
                "terminating connection due to administrator command",
                None
            ),
            StorageError::Connection(_)
        ));
        assert!(matches!(
            classify(unknown, "database or disk is full", None),
            StorageError::Full(_)
        ));
        assert!(matches!(
            classify(unknown, "syntax error", None),
            StorageError::Other(_)
        ));
        assert!(matches!(
            classify(
                DatabaseErrorKind::ForeignKeyViolation,
                "FOREIGN KEY constraint failed",
                None
            ),
            StorageError::UnknownReference(_)
        ));
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
