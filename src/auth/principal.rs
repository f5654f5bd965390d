//! Who is calling: nobody, a staff member with a session, or an API token.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::domain::Role;
use crate::service::{ApiToken, StaffSession};

/// The caller of a request, as the authentication middleware found it.
#[derive(Debug, Clone, Default)]
pub enum Principal {
    /// No credentials.
    #[default]
    Anonymous,
    /// A logged-in staff member (session cookie).
    Staff(StaffSession),
    /// A REST client (`Authorization: Bearer`).
    Token(ApiToken),
}

impl Principal {
    /// The role the caller acts with; none for anonymous callers. A staff member who must
    /// still replace a one-time password acts with no role until they do.
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Anonymous => None,
            Self::Staff(s) if s.user.must_change_password => None,
            Self::Staff(s) => Some(s.user.role),
            Self::Token(t) => Some(t.scope.role()),
        }
    }

    /// The name recorded in the ledger and the audit trail.
    pub fn actor(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".into(),
            Self::Staff(s) => s.user.username.clone(),
            Self::Token(t) => format!("token:{}", t.name),
        }
    }

    /// The staff session, if the caller has one.
    pub fn session(&self) -> Option<&StaffSession> {
        match self {
            Self::Staff(s) => Some(s),
            _ => None,
        }
    }
}

impl FromRequest for Principal {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<Principal>()
            .cloned()
            .unwrap_or_default()))
    }
}

/// The client's address as seen by this server (the socket peer: a proxy in front must be
/// trusted explicitly before forwarded headers could be believed, so they are not read).
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map_or_else(|| "unknown".into(), |a| a.ip().to_string())
}
