//! Logging in and out, and finding the session behind a cookie.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::Accounts;
use super::policy::AuthPolicy;
use super::secrets::{decoy_hash, digest, random_hex, same_secret, verify_password};
use super::users::StaffUser;
use crate::domain::Username;
use crate::service::error::ServiceError;
use crate::storage::{self, SessionRow, UserRow};

/// A live session: who, and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    /// The account.
    pub user: StaffUser,
    /// The synchronizer token for this session's forms.
    pub csrf_token: String,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

impl StaffSession {
    /// Whether a submitted form token is this session's.
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        same_secret(&self.csrf_token, submitted)
    }
}

/// A session just started: the cookie value is only ever in the client's hands.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    /// What the session cookie carries.
    pub cookie_value: String,
    /// The session.
    pub session: StaffSession,
}

/// Activity closer together than this does not rewrite `last_seen_at`, so reading pages
/// does not turn into a database write per request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

impl Accounts<'_> {
    /// Checks a username and password and starts a new session (a new id every time, so a
    /// session fixed before login is worthless). Failures are counted per account and per
    /// address; past the limit the answer is `TooManyAttempts` without checking the password.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> Result<IssuedSession, ServiceError> {
        let policy = self.registry.auth_policy().clone();
        let name = Username::parse(username)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| username.chars().take(64).collect());
        let now = self.registry.clock().now();
        let user = self.count_attempt(&name, address, now, &policy)?;
        let stored = user
            .as_ref()
            .map_or(decoy_hash(), |u| u.password_hash.as_str());
        let password_ok = verify_password(password, stored);
        match user.filter(|u| password_ok && !u.disabled) {
            None => {
                self.registry.write(|conn| {
                    self.registry.audit().record_in(
                        conn,
                        &name,
                        "login.failed",
                        None,
                        Some(address),
                        json!({}),
                    )
                })?;
                tracing::info!(user.name = %name, "login failed");
                Err(ServiceError::InvalidCredentials)
            }
            Some(row) => self.start_session(&name, address, row, now, &policy),
        }
    }

    /// Records a login attempt as a failure before the password is checked, so parallel
    /// guesses cannot all slip in under the limit (success removes it again), and returns
    /// the account named, if any. Past the limit the attempt is `TooManyAttempts`.
    fn count_attempt(
        &self,
        name: &str,
        address: &str,
        now: DateTime<Utc>,
        policy: &AuthPolicy,
    ) -> Result<Option<UserRow>, ServiceError> {
        let since = now - policy.failure_window;
        let (throttled, user) = self.registry.write(|conn| {
            let counts = storage::recent_login_failures(conn, name, address, since)?;
            if let Some(oldest) = counts
                .iter()
                .filter(|(n, _)| *n >= policy.max_login_failures)
                .filter_map(|(_, oldest)| *oldest)
                .max()
            {
                let retry = (oldest + policy.failure_window - now).num_seconds().max(1);
                self.registry.audit().record_in(
                    conn,
                    name,
                    "login.throttled",
                    None,
                    Some(address),
                    json!({}),
                )?;
                return Ok((Some(retry), None));
            }
            storage::insert_login_failure(conn, name, address, now)?;
            Ok((None, storage::find_user_by_name(conn, name)?))
        })?;
        if let Some(retry_after) = throttled {
            return Err(ServiceError::TooManyAttempts {
                retry_after: u64::try_from(retry_after).unwrap_or(1),
            });
        }
        Ok(user)
    }

    /// Starts a session for the account `row` whose password was right: clears its
    /// counted failures and ends stale sessions in the same transaction.
    fn start_session(
        &self,
        name: &str,
        address: &str,
        row: UserRow,
        now: DateTime<Utc>,
        policy: &AuthPolicy,
    ) -> Result<IssuedSession, ServiceError> {
        let since = now - policy.failure_window;
        let cookie_value = random_hex(32)?;
        let csrf_token = random_hex(32)?;
        let expires_at = now + policy.absolute_timeout;
        let user = StaffUser::try_from(row)?;
        self.registry.write(|conn| {
            storage::clear_login_failures(conn, name, since)?;
            storage::insert_session(
                conn,
                &SessionRow {
                    id_hash: digest(&cookie_value),
                    user_id: user.id.clone(),
                    csrf_token: csrf_token.clone(),
                    created_at: storage::stored_time(now),
                    last_seen_at: storage::stored_time(now),
                    expires_at: storage::stored_time(expires_at),
                },
            )?;
            storage::delete_stale_sessions(conn, now, now - policy.idle_timeout)?;
            self.registry.audit().record_in(
                conn,
                &user.username,
                "login.succeeded",
                Some(("user", user.id.clone())),
                Some(address),
                json!({}),
            )
        })?;
        Ok(IssuedSession {
            cookie_value,
            session: StaffSession {
                user,
                csrf_token,
                expires_at,
            },
        })
    }

    /// The live session behind a cookie value, if any. Expired, idle and disabled-account
    /// sessions are none.
    pub fn session(&self, cookie_value: &str) -> Result<Option<StaffSession>, ServiceError> {
        let policy = self.registry.auth_policy();
        let now = self.registry.clock().now();
        let id_hash = digest(cookie_value);
        let mut conn = self.registry.conn()?;
        let Some((session, user)) = storage::find_session(&mut conn, &id_hash)? else {
            return Ok(None);
        };
        let last_seen = session.last_seen_at.and_utc();
        let expires_at = session.expires_at.and_utc();
        if user.disabled || expires_at <= now || last_seen + policy.idle_timeout <= now {
            drop(conn);
            self.registry
                .write(|conn| Ok(storage::delete_session(conn, &id_hash)?))?;
            return Ok(None);
        }
        if now - last_seen >= TOUCH_EVERY {
            drop(conn);
            self.registry
                .write(|conn| Ok(storage::touch_session(conn, &id_hash, now)?))?;
        }
        Ok(Some(StaffSession {
            user: StaffUser::try_from(user)?,
            csrf_token: session.csrf_token,
            expires_at,
        }))
    }

    /// Ends the session behind a cookie value.
    pub fn logout(&self, cookie_value: &str, address: &str) -> Result<(), ServiceError> {
        let id_hash = digest(cookie_value);
        let session = self.session(cookie_value)?;
        self.registry.write(|conn| {
            storage::delete_session(conn, &id_hash)?;
            if let Some(s) = &session {
                self.registry.audit().record_in(
                    conn,
                    &s.user.username,
                    "logout",
                    Some(("user", s.user.id.clone())),
                    Some(address),
                    json!({}),
                )?;
            }
            Ok(())
        })
    }
}
