//! API tokens for REST clients.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Accounts;
use super::secrets::{digest, random_hex};
use crate::domain::{TokenScope, ValidationErrors, clean_text};
use crate::service::error::ServiceError;
use crate::service::idempotency::{Created, Idempotency, create_once};
use crate::storage::{self, TokenRow};

/// What tokens start with, so a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "trk_";

/// A token as shown to admins (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Token id.
    pub id: String,
    /// What it is for.
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = ServiceError;

    fn try_from(row: TokenRow) -> Result<Self, ServiceError> {
        let scope = TokenScope::parse(&row.scope)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("corrupt token row: {e}")))?;
        Ok(Self {
            id: row.id,
            name: row.name,
            scope,
            created_by: row.created_by,
            created_at: row.created_at.and_utc(),
            revoked_at: row.revoked_at.map(|t| t.and_utc()),
        })
    }
}

/// A token just made: the secret is returned this once and never stored.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The stored token.
    pub token: ApiToken,
    /// `trk_` and 64 hex digits; sent as `Authorization: Bearer …`.
    pub secret: String,
}

impl Accounts<'_> {
    /// Makes a token with `scope`, named for what it is for.
    pub fn create_token(
        &self,
        name: &str,
        scope: TokenScope,
        actor: &str,
    ) -> Result<NewToken, ServiceError> {
        match self.create_token_once(name, scope, actor, None)? {
            Created::New(made) => Ok(made),
            Created::Replayed(_) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "a token made without a key was replayed"
            ))),
        }
    }

    /// [`Accounts::create_token`] at most once per key (a page form's): a resubmission makes
    /// no second live token and is told the id of the first (whose secret is gone).
    pub fn create_token_once(
        &self,
        name: &str,
        scope: TokenScope,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Created<NewToken>, ServiceError> {
        let name = clean_text("name", name, 100).map_err(ValidationErrors::from)?;
        let secret = format!("{TOKEN_PREFIX}{}", random_hex(32)?);
        let now = self.registry.clock().now();
        let row = TokenRow {
            id: uuid::Uuid::now_v7().to_string(),
            name,
            scope: scope.as_str().to_owned(),
            token_hash: digest(&secret),
            created_by: actor.to_owned(),
            created_at: storage::stored_time(now),
            revoked_at: None,
        };
        let id = uuid::Uuid::parse_str(&row.id).map_err(|e| ServiceError::Unexpected(e.into()))?;
        let made = create_once(self.registry, idempotency, |conn| {
            storage::insert_token(conn, &row)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "token.created",
                Some(("token", row.id.clone())),
                None,
                json!({"name": row.name, "scope": row.scope}),
            )?;
            Ok((id, ()))
        })?;
        Ok(match made {
            Created::New(()) => Created::New(NewToken {
                token: ApiToken::try_from(row)?,
                secret,
            }),
            Created::Replayed(first) => Created::Replayed(first),
        })
    }

    /// The live token a client presented, if it is one.
    pub fn authenticate_token(&self, secret: &str) -> Result<Option<ApiToken>, ServiceError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let mut conn = self.registry.conn()?;
        storage::find_live_token(&mut conn, &digest(secret))?
            .map(ApiToken::try_from)
            .transpose()
    }

    /// Every token, newest first.
    pub fn list_tokens(&self) -> Result<Vec<ApiToken>, ServiceError> {
        let mut conn = self.registry.conn()?;
        storage::list_tokens(&mut conn)?
            .into_iter()
            .map(ApiToken::try_from)
            .collect()
    }

    /// Revokes a token; it stops working with the next request.
    pub fn revoke_token(&self, id: &str, actor: &str) -> Result<(), ServiceError> {
        let now = self.registry.clock().now();
        self.registry.write(|conn| {
            if storage::revoke_token(conn, id, now)? == 0 {
                return Err(ServiceError::NotFound("token"));
            }
            self.registry.audit().record_in(
                conn,
                actor,
                "token.revoked",
                Some(("token", id.to_owned())),
                None,
                json!({}),
            )
        })
    }
}
