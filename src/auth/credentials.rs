//! Finding the caller: a bearer token, else the session cookie, looked up through the
//! service; and whether a cookie-carrying request came from this site's own pages.

use actix_web::dev::ServiceRequest;
use actix_web::http::header;
use actix_web::web;

use super::{AuthConfig, Principal, session_cookie_name};
use crate::service::{Registry, ServiceError};

/// Why the caller could not be found.
pub(super) enum Lookup {
    /// `Authorization` that is not a bearer token, or a token that matches nothing.
    BadToken,
    /// The session or token could not be looked up.
    Unavailable(ServiceError),
}

impl From<ServiceError> for Lookup {
    fn from(error: ServiceError) -> Self {
        Self::Unavailable(error.classified())
    }
}

impl From<actix_web::error::BlockingError> for Lookup {
    fn from(_: actix_web::error::BlockingError) -> Self {
        Self::Unavailable(ServiceError::Unexpected(anyhow::anyhow!(
            "the blocking thread pool is gone"
        )))
    }
}

/// The bearer token, if the request carries `Authorization`.
fn bearer(req: &ServiceRequest) -> Option<Result<String, Lookup>> {
    let value = req.headers().get(header::AUTHORIZATION)?;
    let text = value.to_str().unwrap_or("");
    Some(match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(Lookup::BadToken),
    })
}

/// The caller: a token's, a session's, or nobody.
pub(super) async fn find_principal(
    req: &ServiceRequest,
    config: &AuthConfig,
) -> Result<Principal, Lookup> {
    let Some(registry) = req.app_data::<web::Data<Registry>>().cloned() else {
        return Ok(Principal::Anonymous);
    };
    if let Some(token) = bearer(req) {
        let token = token?;
        let found =
            crate::telemetry::blocking(move || registry.accounts().authenticate_token(&token))
                .await??;
        return found.map(Principal::Token).ok_or(Lookup::BadToken);
    }
    let cookie = req.cookie(session_cookie_name(config.secure_cookies));
    match cookie {
        Some(cookie) => {
            let value = cookie.value().to_owned();
            let found =
                crate::telemetry::blocking(move || registry.accounts().session(&value)).await??;
            Ok(found.map_or(Principal::Anonymous, Principal::Staff))
        }
        None => Ok(Principal::Anonymous),
    }
}

/// Whether a state-changing request carrying a cookie comes from our own pages: its
/// `Origin` (or, failing that, `Referer`) must name this host. Browsers send `Origin` on
/// every cross-site POST; a request with neither header and a cookie is refused.
pub(super) fn same_origin(req: &ServiceRequest) -> bool {
    let Some(host) = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        return false;
    };
    let source = req
        .headers()
        .get(header::ORIGIN)
        .or_else(|| req.headers().get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    let Some(source) = source else {
        return false;
    };
    let authority = source
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}
