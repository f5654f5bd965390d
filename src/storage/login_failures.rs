//! Failed logins, kept in the database so every instance sees the same count.

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::convert::{from_utc, to_utc};
use super::schema::login_failures;

/// Records one failed login.
pub fn insert_login_failure(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    Ok(diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(uuid::Uuid::now_v7().to_string()),
            login_failures::username.eq(username),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(from_utc(at)),
        ))
        .execute(conn)
        .map(drop)?)
}

/// Failures since `since` for this username and for this address: the count and the oldest.
pub fn recent_login_failures(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    since: DateTime<Utc>,
) -> StorageResult<[(i64, Option<DateTime<Utc>>); 2]> {
    let by_name: (i64, Option<chrono::NaiveDateTime>) = login_failures::table
        .filter(login_failures::username.eq(username))
        .filter(login_failures::failed_at.ge(from_utc(since)))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)?;
    let by_address: (i64, Option<chrono::NaiveDateTime>) = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.ge(from_utc(since)))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)?;
    Ok([
        (by_name.0, by_name.1.map(to_utc)),
        (by_address.0, by_address.1.map(to_utc)),
    ])
}

/// Forgets an account's failures after a successful login, and everyone's old ones.
pub fn clear_login_failures(
    conn: &mut DbConnection,
    username: &str,
    older_than: DateTime<Utc>,
) -> StorageResult<()> {
    Ok(diesel::delete(
        login_failures::table.filter(
            login_failures::username
                .eq(username)
                .or(login_failures::failed_at.lt(from_utc(older_than))),
        ),
    )
    .execute(conn)
    .map(drop)?)
}
