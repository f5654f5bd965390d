//! Staff accounts, sessions and API tokens. Only digests of secrets are stored.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::convert::from_utc;
use super::schema::{api_tokens, sessions, users};

/// A stored staff account.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// UUID v7 as text.
    pub id: String,
    /// Login name, unique.
    pub username: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Set for a one-time password: the next login must choose a new one.
    pub must_change_password: bool,
    /// A disabled account cannot log in and has no sessions.
    pub disabled: bool,
    /// When the account was made.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// A stored login session.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// SHA-256 hex of the cookie value.
    pub id_hash: String,
    /// The account.
    pub user_id: String,
    /// The synchronizer token forms of this session carry.
    pub csrf_token: String,
    /// Login time; the absolute timeout counts from here.
    pub created_at: NaiveDateTime,
    /// Last request; the idle timeout counts from here.
    pub last_seen_at: NaiveDateTime,
    /// Login time plus the absolute timeout.
    pub expires_at: NaiveDateTime,
}

/// A stored API token.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    /// UUID v7 as text.
    pub id: String,
    /// What the token is for, as its creator named it.
    pub name: String,
    /// `read` or `write`.
    pub scope: String,
    /// SHA-256 hex of the token.
    pub token_hash: String,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// When it was revoked, if it was.
    pub revoked_at: Option<NaiveDateTime>,
}

/// Adds an account; a taken username fails with a unique violation.
pub fn insert_user(conn: &mut DbConnection, row: &UserRow) -> StorageResult<()> {
    Ok(diesel::insert_into(users::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)?)
}

/// The account with this username.
pub fn find_user_by_name(
    conn: &mut DbConnection,
    username: &str,
) -> StorageResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every account, by username.
pub fn list_users(conn: &mut DbConnection) -> StorageResult<Vec<UserRow>> {
    Ok(users::table
        .order(users::username.asc())
        .select(UserRow::as_select())
        .load(conn)?)
}

/// Replaces an account's password hash.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    password_hash: &str,
    must_change: bool,
    at: DateTime<Utc>,
) -> StorageResult<usize> {
    Ok(diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change),
            users::updated_at.eq(from_utc(at)),
        ))
        .execute(conn)?)
}

/// Changes an account's role and whether it is disabled.
pub fn set_role_and_disabled(
    conn: &mut DbConnection,
    user_id: &str,
    role: &str,
    disabled: bool,
    at: DateTime<Utc>,
) -> StorageResult<usize> {
    Ok(diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((
            users::role.eq(role),
            users::disabled.eq(disabled),
            users::updated_at.eq(from_utc(at)),
        ))
        .execute(conn)?)
}

/// Stores a new session.
pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> StorageResult<()> {
    Ok(diesel::insert_into(sessions::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)?)
}

/// A session and its account.
pub fn find_session(
    conn: &mut DbConnection,
    id_hash: &str,
) -> StorageResult<Option<(SessionRow, UserRow)>> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(id_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?)
}

/// Records activity on a session (for the idle timeout).
pub fn touch_session(
    conn: &mut DbConnection,
    id_hash: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    Ok(
        diesel::update(sessions::table.filter(sessions::id_hash.eq(id_hash)))
            .set(sessions::last_seen_at.eq(from_utc(at)))
            .execute(conn)
            .map(drop)?,
    )
}

/// Ends one session.
pub fn delete_session(conn: &mut DbConnection, id_hash: &str) -> StorageResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::id_hash.eq(id_hash))).execute(conn)?)
}

/// Ends every session of an account.
pub fn delete_sessions_of_user(conn: &mut DbConnection, user_id: &str) -> StorageResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

/// Drops sessions past their absolute or idle limit.
pub fn delete_stale_sessions(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> StorageResult<usize> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(from_utc(now))
                .or(sessions::last_seen_at.lt(from_utc(idle_since))),
        ),
    )
    .execute(conn)?)
}

/// Stores a new token.
pub fn insert_token(conn: &mut DbConnection, row: &TokenRow) -> StorageResult<()> {
    Ok(diesel::insert_into(api_tokens::table)
        .values(row.clone())
        .execute(conn)
        .map(drop)?)
}

/// The unrevoked token with this digest.
pub fn find_live_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> StorageResult<Option<TokenRow>> {
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(TokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every token, newest first.
pub fn list_tokens(conn: &mut DbConnection) -> StorageResult<Vec<TokenRow>> {
    Ok(api_tokens::table
        .order(api_tokens::id.desc())
        .select(TokenRow::as_select())
        .load(conn)?)
}

/// Revokes a token; 0 if it does not exist or was already revoked.
pub fn revoke_token(conn: &mut DbConnection, id: &str, at: DateTime<Utc>) -> StorageResult<usize> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(from_utc(at))))
    .execute(conn)?)
}
