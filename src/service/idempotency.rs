//! Creating requests that happen once: a retried request with the same Idempotency-Key gets
//! the resource the first one created, not a twin.

use chrono::Duration;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::ServiceError;
use super::registry::Registry;
use crate::domain::FieldError;
use crate::storage::{self, DbConnection};

/// How long a key is remembered.
const KEY_LIFETIME_HOURS: i64 = 24;

/// An `Idempotency-Key` header (or a page form's key), the route it was sent to and the
/// request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    scope: IdempotencyScope,
    key: String,
    request_hash: String,
}

impl Idempotency {
    /// Checks the key (1–255 visible ASCII characters) and fingerprints the request body; the
    /// key is unique within `scope`, the route the face received it on.
    pub fn new(
        scope: IdempotencyScope,
        key: &str,
        body: &impl serde::Serialize,
    ) -> Result<Self, FieldError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                "Idempotency-Key",
                "invalid_key",
                "must be 1–255 visible ASCII characters (a UUID is a good choice)",
            ));
        }
        let canonical = serde_json::to_vec(body).unwrap_or_default();
        Ok(Self {
            scope,
            key: key.to_owned(),
            request_hash: format!("{:x}", Sha256::digest(&canonical)),
        })
    }
}

/// Where a key is unique: the request line it came by (`POST /api/v1/firms`,
/// `POST /api/v1/firms/{id}/financings` with the id), given by the face that received it, so
/// the service never spells a route and a key sent to one firm's rounds cannot replay another's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdempotencyScope(String);

impl IdempotencyScope {
    /// The scope of keys sent with `method` to `path` (the path as requested, no query).
    pub fn new(method: &str, path: &str) -> Self {
        Self(format!("{method} {path}"))
    }

    /// The scope as stored beside each key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a creating request did.
#[derive(Debug, Clone, PartialEq)]
pub enum Created<T> {
    /// It created this.
    New(T),
    /// An earlier request with the same key created the resource with this id.
    Replayed(Uuid),
}

/// What a request with a key did, for resources not named by a UUID.
#[derive(Debug, Clone, PartialEq)]
pub enum Once<T> {
    /// It wrote this.
    New(T),
    /// An earlier request with the same key wrote the resource named so.
    Replayed(String),
}

impl Idempotency {
    /// What an earlier request with this key wrote, read inside the caller's write
    /// transaction (for writes that manage their own, like an import).
    pub(crate) fn replayed_in(
        &self,
        conn: &mut DbConnection,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<String>, ServiceError> {
        let since = now - Duration::hours(KEY_LIFETIME_HOURS);
        Ok(
            storage::find_key(conn, self.scope.as_str(), &self.key, since)?
                .map(|stored| stored.resource_id),
        )
    }

    /// Stores the key with what its request wrote, in the same transaction as the write.
    pub(crate) fn remember_in(
        &self,
        conn: &mut DbConnection,
        resource_id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), ServiceError> {
        let since = now - Duration::hours(KEY_LIFETIME_HOURS);
        storage::insert_key(
            conn,
            self.scope.as_str(),
            &self.key,
            &self.request_hash,
            resource_id,
            now,
            since,
        )?;
        Ok(())
    }
}

/// Runs `create` (one write transaction) at most once per key; see [`once_per_key`].
pub(crate) fn create_once<T>(
    registry: &Registry,
    idempotency: Option<&Idempotency>,
    create: impl Fn(&mut DbConnection) -> Result<(Uuid, T), ServiceError>,
) -> Result<Created<T>, ServiceError> {
    let once = once_per_key(registry, idempotency, |conn| {
        create(conn).map(|(id, value)| (id.to_string(), value))
    })?;
    match once {
        Once::New(value) => Ok(Created::New(value)),
        Once::Replayed(id) => Uuid::parse_str(&id)
            .map(Created::Replayed)
            .map_err(|e| ServiceError::Unexpected(e.into())),
    }
}

/// Runs `create` (one write transaction) at most once per key in its scope. Without a key it
/// simply runs. With one, the key is stored in the same transaction as the resource; a
/// request that loses a race to a twin fails on the key's unique index, is rolled back,
/// and is answered from the winner's record.
pub(crate) fn once_per_key<T>(
    registry: &Registry,
    idempotency: Option<&Idempotency>,
    create: impl Fn(&mut DbConnection) -> Result<(String, T), ServiceError>,
) -> Result<Once<T>, ServiceError> {
    // Most creations reclassify firms: time passing first (see `day_order`); a no-op
    // atomic read when it is current.
    registry.time().catch_up()?;
    let Some(idem) = idempotency else {
        return registry
            .write(|conn| create(conn))
            .map(|(_, value)| Once::New(value));
    };
    let now = registry.clock().now();
    let since = now - Duration::hours(KEY_LIFETIME_HOURS);
    let scope = idem.scope.as_str();
    let attempt = || {
        registry.write(|conn| {
            if let Some(stored) = storage::find_key(conn, scope, &idem.key, since)? {
                if stored.request_hash != idem.request_hash {
                    return Err(ServiceError::Validation(
                        FieldError::new(
                            "Idempotency-Key",
                            "reused_with_other_body",
                            "this key was already used with a different request body; use a new key for a new request",
                        )
                        .into(),
                    ));
                }
                return Ok(Once::Replayed(stored.resource_id));
            }
            let (id, value) = create(conn)?;
            storage::insert_key(conn, scope, &idem.key, &idem.request_hash, &id, now, since)?;
            Ok(Once::New(value))
        })
    };
    match attempt() {
        // The twin that won may have tripped a uniqueness rule (the USCC) or the key itself:
        // look again now that it has committed.
        Err(ServiceError::Conflict(_)) | Err(ServiceError::Unexpected(_)) => attempt(),
        other => other,
    }
}
