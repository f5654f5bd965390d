//! Stored Idempotency-Keys.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::convert::from_utc;
use super::schema::idempotency_keys;

/// A key already used: what it was used for and what it created.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StoredKey {
    /// Hash of the request body it came with.
    pub request_hash: String,
    /// The resource the request created.
    pub resource_id: String,
}

/// The use of `key` in `scope`, if any, not older than `since`.
pub fn find_key(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    since: DateTime<Utc>,
) -> StorageResult<Option<StoredKey>> {
    Ok(idempotency_keys::table
        .filter(idempotency_keys::scope.eq(scope))
        .filter(idempotency_keys::idem_key.eq(key))
        .filter(idempotency_keys::created_at.ge(from_utc(since)))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::resource_id,
        ))
        .first(conn)
        .optional()?)
}

/// Records a key; a concurrent request with the same key fails here with a unique violation
/// (on PostgreSQL after waiting for the first to commit). Expired keys are dropped first.
pub fn insert_key(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    request_hash: &str,
    resource_id: &str,
    at: DateTime<Utc>,
    expired_before: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::scope.eq(scope))
            .filter(idempotency_keys::idem_key.eq(key))
            .filter(idempotency_keys::created_at.lt(from_utc(expired_before))),
    )
    .execute(conn)?;
    Ok(diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::scope.eq(scope),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::resource_id.eq(resource_id),
            idempotency_keys::created_at.eq(from_utc(at)),
        ))
        .execute(conn)
        .map(drop)?)
}
