//! Staff accounts: adding, listing, changing roles, passwords.

use serde_json::json;

use super::Accounts;
use super::secrets::{hash_password, readable_password, verify_password};
use crate::domain::{NewPassword, Role, Username, ValidationErrors};
use crate::service::error::ServiceError;
use crate::service::idempotency::{Created, Idempotency, create_once};
use crate::storage::{self, UserRow};

/// Length of a one-time password printed for a new or reset account (~117 bits).
const ONE_TIME_PASSWORD_CHARS: usize = 20;

/// A staff account as the rest of the program sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// Account id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// What the account may do.
    pub role: Role,
    /// Whether the next step must be choosing a new password.
    pub must_change_password: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
}

impl TryFrom<UserRow> for StaffUser {
    type Error = ServiceError;

    fn try_from(row: UserRow) -> Result<Self, ServiceError> {
        let role = Role::parse(&row.role)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("corrupt user row: {e}")))?;
        Ok(Self {
            id: row.id,
            username: row.username,
            role,
            must_change_password: row.must_change_password,
            disabled: row.disabled,
        })
    }
}

/// A new account and the one-time password to hand to its owner.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The account.
    pub user: StaffUser,
    /// Shown once; it must be changed at first login.
    pub one_time_password: String,
}

impl Accounts<'_> {
    /// Adds an account with a one-time password. There is no default account: the first
    /// admin is made with `tier-registry user add NAME --role admin`.
    pub fn add_user(
        &self,
        username: &str,
        role: Role,
        actor: &str,
    ) -> Result<NewAccount, ServiceError> {
        match self.add_user_once(username, role, actor, None)? {
            Created::New(account) => Ok(account),
            Created::Replayed(_) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "an account added without a key was replayed"
            ))),
        }
    }

    /// [`Accounts::add_user`] at most once per key (a page form's): a resubmission adds no
    /// second account and makes no second password.
    pub fn add_user_once(
        &self,
        username: &str,
        role: Role,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Created<NewAccount>, ServiceError> {
        let username = Username::parse(username).map_err(ValidationErrors::from)?;
        let one_time_password = readable_password(ONE_TIME_PASSWORD_CHARS)?;
        let password_hash = hash_password(&one_time_password)?;
        let now = storage::stored_time(self.registry.clock().now());
        let row = UserRow {
            id: uuid::Uuid::now_v7().to_string(),
            username: username.to_string(),
            role: role.as_str().to_owned(),
            password_hash,
            must_change_password: true,
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        let id = uuid::Uuid::parse_str(&row.id).map_err(|e| ServiceError::Unexpected(e.into()))?;
        let made = create_once(self.registry, idempotency, |conn| {
            if storage::find_user_by_name(conn, username.as_str())?.is_some() {
                return Err(ServiceError::conflict(
                    "username",
                    "taken",
                    format!("{username} is already taken"),
                ));
            }
            storage::insert_user(conn, &row)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "user.added",
                Some(("user", row.id.clone())),
                None,
                json!({"username": row.username, "role": row.role}),
            )?;
            Ok((id, ()))
        })?;
        if let Created::Replayed(first) = made {
            return Ok(Created::Replayed(first));
        }
        tracing::info!(user.name = %row.username, user.role = %row.role, "account added");
        Ok(Created::New(NewAccount {
            user: StaffUser::try_from(row)?,
            one_time_password,
        }))
    }

    /// Every account, by username.
    pub fn list_users(&self) -> Result<Vec<StaffUser>, ServiceError> {
        let mut conn = self.registry.conn()?;
        storage::list_users(&mut conn)?
            .into_iter()
            .map(StaffUser::try_from)
            .collect()
    }

    /// The account named `username`.
    pub fn find_user(&self, username: &str) -> Result<StaffUser, ServiceError> {
        let username = Username::parse(username).map_err(|_| ServiceError::NotFound("user"))?;
        let mut conn = self.registry.conn()?;
        storage::find_user_by_name(&mut conn, username.as_str())?
            .ok_or(ServiceError::NotFound("user"))
            .and_then(StaffUser::try_from)
    }

    /// Changes an account's role or disables it. Disabling ends its sessions at once.
    pub fn update_user(
        &self,
        username: &str,
        role: Role,
        disabled: bool,
        actor: &str,
    ) -> Result<StaffUser, ServiceError> {
        let user = self.find_user(username)?;
        let now = self.registry.clock().now();
        self.registry.write(|conn| {
            storage::set_role_and_disabled(conn, &user.id, role.as_str(), disabled, now)?;
            if disabled || role != user.role {
                storage::delete_sessions_of_user(conn, &user.id)?;
            }
            self.registry.audit().record_in(
                conn,
                actor,
                "user.updated",
                Some(("user", user.id.clone())),
                None,
                json!({"username": user.username, "role": role.as_str(), "disabled": disabled}),
            )
        })?;
        Ok(StaffUser {
            role,
            disabled,
            ..user
        })
    }

    /// Gives an account a new one-time password and ends its sessions.
    pub fn reset_password(&self, username: &str, actor: &str) -> Result<String, ServiceError> {
        let user = self.find_user(username)?;
        let one_time_password = readable_password(ONE_TIME_PASSWORD_CHARS)?;
        let hash = hash_password(&one_time_password)?;
        let now = self.registry.clock().now();
        self.registry.write(|conn| {
            storage::set_password(conn, &user.id, &hash, true, now)?;
            storage::delete_sessions_of_user(conn, &user.id)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "user.password_reset",
                Some(("user", user.id.clone())),
                None,
                json!({"username": user.username}),
            )
        })?;
        Ok(one_time_password)
    }

    /// Replaces the password of `username` after checking the current one. Every session of
    /// the account ends; the caller logs in again (or is given a new session by `login`).
    pub fn change_password(
        &self,
        username: &str,
        current: &str,
        new: &str,
        address: Option<&str>,
    ) -> Result<(), ServiceError> {
        let name = Username::parse(username).map_err(|_| ServiceError::InvalidCredentials)?;
        let mut errors = Vec::new();
        let parsed = NewPassword::parse(new, &name, "new_password");
        if let Err(e) = &parsed {
            errors.push(e.clone());
        }
        if new == current {
            errors.push(crate::domain::FieldError::new(
                "new_password",
                "unchanged",
                "the new password must differ from the current one",
            ));
        }
        let row = {
            let mut conn = self.registry.conn()?;
            storage::find_user_by_name(&mut conn, name.as_str())?
        };
        let Some(row) = row.filter(|r| !r.disabled) else {
            return Err(ServiceError::InvalidCredentials);
        };
        if !verify_password(current, &row.password_hash) {
            errors.insert(
                0,
                crate::domain::FieldError::new(
                    "current_password",
                    "wrong_password",
                    "the current password is not right",
                ),
            );
        }
        if !errors.is_empty() {
            return Err(ServiceError::Validation(ValidationErrors(errors)));
        }
        let new = parsed.map_err(ValidationErrors::from)?;
        let hash = hash_password(new.expose())?;
        let now = self.registry.clock().now();
        self.registry.write(|conn| {
            storage::set_password(conn, &row.id, &hash, false, now)?;
            storage::delete_sessions_of_user(conn, &row.id)?;
            self.registry.audit().record_in(
                conn,
                &row.username,
                "password.changed",
                Some(("user", row.id.clone())),
                address,
                json!({}),
            )
        })
    }
}
