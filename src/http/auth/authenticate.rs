//! The authentication middleware: finds the caller, checks the route's need, the request's
//! origin and the caller's request budget, before any handler runs.

use std::time::Duration;

use actix_extensible_rate_limit::backend::memory::InMemoryBackend;
use actix_extensible_rate_limit::backend::{Backend, SimpleInput, SimpleOutput};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};

use super::policy::{Access, Need, need_of};
use super::principal::{Principal, client_address};
use crate::domain::Role;
use crate::http::ApiError;
use crate::service::Registry;

/// The session cookie. With `secure_cookies` the `__Host-` prefix makes browsers insist on
/// Secure, path `/` and no Domain, so a sibling host cannot plant one.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tr_session"
    } else {
        "tr_session"
    }
}

/// What the middleware needs, shared by all workers.
#[derive(Clone)]
pub struct AuthConfig {
    /// Counts, flows and targets answer anonymous callers.
    pub public_counts: bool,
    /// Cookies are `Secure` and HSTS is sent.
    pub secure_cookies: bool,
    /// Requests per window per token or anonymous address; 0 = unlimited.
    pub rate_limit: u64,
    /// The fixed window.
    pub rate_window: Duration,
    /// Per-process counters (fixed windows in memory).
    pub limiter: InMemoryBackend,
}

impl AuthConfig {
    /// From the settings; must be called inside the actix runtime (the limiter's cleanup
    /// task is spawned on it).
    pub fn new(settings: &crate::configuration::AuthSettings) -> Self {
        Self {
            public_counts: settings.public_counts,
            secure_cookies: settings.secure_cookies,
            rate_limit: settings.api_rate_limit,
            rate_window: Duration::from_secs(settings.api_rate_window_seconds.max(1)),
            limiter: InMemoryBackend::builder().build(),
        }
    }
}

/// Whether a path belongs to the staff pages (answered with redirects and pages) rather
/// than to the JSON API and the operations endpoints (answered with problems).
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/metrics" || path == "/healthz" || path == "/readyz")
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a state-changing request carrying a cookie comes from our own pages: its
/// `Origin` (or, failing that, `Referer`) must name this host. Browsers send `Origin` on
/// every cross-site POST; a request with neither header and a cookie is refused.
fn same_origin(req: &ServiceRequest) -> bool {
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

fn bearer(req: &ServiceRequest) -> Option<Result<String, ApiError>> {
    let value = req.headers().get(header::AUTHORIZATION)?;
    let text = value.to_str().unwrap_or("");
    Some(match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthenticated),
    })
}

async fn find_principal(req: &ServiceRequest, config: &AuthConfig) -> Result<Principal, ApiError> {
    let Some(registry) = req.app_data::<web::Data<Registry>>().cloned() else {
        return Ok(Principal::Anonymous);
    };
    if let Some(token) = bearer(req) {
        let token = token?;
        let found =
            crate::telemetry::blocking(move || registry.authenticate_token(&token)).await??;
        return found.map(Principal::Token).ok_or(ApiError::Unauthenticated);
    }
    let cookie = req.cookie(session_cookie_name(config.secure_cookies));
    match cookie {
        Some(cookie) => {
            let value = cookie.value().to_owned();
            let found = crate::telemetry::blocking(move || registry.session(&value)).await??;
            Ok(found.map_or(Principal::Anonymous, Principal::Staff))
        }
        None => Ok(Principal::Anonymous),
    }
}

/// Why a caller may not go on.
enum Refusal {
    /// Not logged in: API 401, pages redirect to the login page.
    Unauthenticated,
    /// Logged in with a one-time password: only changing it is allowed.
    MustChangePassword,
    /// Logged in, but the role does not reach.
    Forbidden(String),
}

fn authorize(principal: &Principal, need: Need, config: &AuthConfig) -> Result<(), Refusal> {
    let needed = match need {
        Need::Public => return Ok(()),
        Need::Counts if config.public_counts => return Ok(()),
        Need::Counts => Role::Viewer,
        Need::Signed => {
            return match principal {
                Principal::Staff(_) => Ok(()),
                Principal::Anonymous => Err(Refusal::Unauthenticated),
                Principal::Token(_) => Err(Refusal::Forbidden(
                    "this is a staff page: log in with a staff account".into(),
                )),
            };
        }
        Need::Role(role) => role,
        Need::Staff(role) => match principal {
            Principal::Token(_) => {
                return Err(Refusal::Forbidden(
                    "this is a staff page: log in with a staff account".into(),
                ));
            }
            _ => role,
        },
    };
    match (principal, principal.role()) {
        (Principal::Anonymous, _) => Err(Refusal::Unauthenticated),
        (Principal::Staff(_), None) => Err(Refusal::MustChangePassword),
        (_, Some(role)) if role.allows(needed) => Ok(()),
        (Principal::Token(t), _) => Err(Refusal::Forbidden(format!(
            "a {} token cannot do this; it needs the {needed} role",
            t.scope
        ))),
        (_, Some(role)) => Err(Refusal::Forbidden(format!(
            "your role {role} cannot do this; it needs the {needed} role"
        ))),
    }
}

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

fn refusal_response(req: &ServiceRequest, refusal: Refusal) -> HttpResponse {
    let page = is_page(req.path());
    match refusal {
        Refusal::Unauthenticated if page && *req.method() == Method::GET => {
            let next = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            redirect(&format!("/login?{query}"))
        }
        Refusal::Unauthenticated => ApiError::Unauthenticated.error_response(),
        Refusal::MustChangePassword if page => redirect("/account/password"),
        Refusal::MustChangePassword => ApiError::Forbidden(
            "this account still has a one-time password: log in to the staff pages and choose a new one".into(),
        )
        .error_response(),
        // Pages get the forbidden page in the reader's language (`web::localise_errors`).
        Refusal::Forbidden(_) if page => HttpResponse::from_error(crate::web::WebError::Forbidden),
        Refusal::Forbidden(why) => ApiError::Forbidden(why).error_response(),
    }
}

/// The key a caller's request budget is counted under: per token, or per address for
/// anonymous calls to what is not public anyway. Staff sessions browse pages and are not
/// limited.
fn budget_key(principal: &Principal, need: Need, req: &ServiceRequest) -> Option<String> {
    match principal {
        // Probes and the API description are free: a monitor must not lock itself out.
        _ if need == Need::Public => None,
        Principal::Token(t) => Some(format!("token:{}", t.id)),
        Principal::Anonymous => Some(format!("address:{}", client_address(req.request()))),
        _ => None,
    }
}

fn budget_headers(headers: &mut actix_web::http::header::HeaderMap, out: &SimpleOutput) {
    let reset = out
        .reset
        .saturating_duration_since(actix_web::rt::time::Instant::now())
        .as_secs()
        + 1;
    for (name, value) in [
        ("x-ratelimit-limit", out.limit),
        ("x-ratelimit-remaining", out.remaining),
        ("x-ratelimit-reset", reset),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(header::HeaderName::from_static(name), v);
        }
    }
}

/// The 405 problem, as `ApiError::MethodNotAllowed` writes it, for an `Allow` list that is
/// only known at run time.
fn method_not_allowed_body(allow: &str) -> String {
    serde_json::json!({
        "type": "/problems/method-not-allowed",
        "title": "Method not allowed",
        "status": 405,
        "detail": format!("this resource allows {allow}"),
        "correlation_id": uuid::Uuid::now_v7().to_string(),
    })
    .to_string()
}

/// The middleware. Runs before routing has picked a handler, using the route pattern the
/// path matches.
pub async fn authenticate(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(config) = req.app_data::<web::Data<AuthConfig>>().cloned() else {
        return Ok(req
            .into_response(ApiError::Forbidden("no access policy".into()).error_response())
            .map_into_right_body());
    };
    let principal = match find_principal(&req, &config).await {
        Ok(p) => p,
        // A page whose session cannot be looked up (the database is busy, stalled or full)
        // gets the error page in the reader's language (`web::localise_errors`), not JSON.
        Err(ApiError::Service(e)) if is_page(req.path()) => {
            let response = HttpResponse::from_error(crate::web::WebError::from(e));
            return Ok(req.into_response(response).map_into_right_body());
        }
        Err(e) => return Ok(req.into_response(e.error_response()).map_into_right_body()),
    };
    let need = match need_of(req.method(), req.match_pattern().as_deref()) {
        Access::Needs(need) => need,
        Access::MethodNotAllowed(allow) => {
            let response = HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, allow.clone()))
                .content_type("application/problem+json")
                .body(method_not_allowed_body(&allow));
            return Ok(req.into_response(response).map_into_right_body());
        }
    };
    let carries_cookie = req
        .cookie(session_cookie_name(config.secure_cookies))
        .is_some()
        || matches!(principal, Principal::Staff(_));
    if !is_safe(req.method())
        && carries_cookie
        && !matches!(principal, Principal::Token(_))
        && !same_origin(&req)
    {
        // Pages get the forbidden page in the reader's language, never JSON.
        let refused = if is_page(req.path()) {
            HttpResponse::from_error(crate::web::WebError::Forbidden)
        } else {
            ApiError::Forbidden(
                "this form was not sent from this site's own pages (Origin check)".into(),
            )
            .error_response()
        };
        return Ok(req.into_response(refused).map_into_right_body());
    }
    if let Err(refusal) = authorize(&principal, need, &config) {
        // A page form sent after the session ended: the page that keeps what was typed,
        // never JSON.
        if matches!(refusal, Refusal::Unauthenticated)
            && is_page(req.path())
            && *req.method() == Method::POST
        {
            let response = crate::web::signed_out_post(&mut req).await;
            return Ok(req.into_response(response).map_into_right_body());
        }
        let response = refusal_response(&req, refusal);
        return Ok(req.into_response(response).map_into_right_body());
    }
    let mut budget = None;
    if config.rate_limit > 0
        && let Some(key) = budget_key(&principal, need, &req)
    {
        let input = SimpleInput {
            interval: config.rate_window,
            max_requests: config.rate_limit,
            key,
        };
        let Ok((decision, output, rollback)) = config.limiter.request(input).await;
        if decision.is_denied() {
            let retry_after = output
                .reset
                .saturating_duration_since(actix_web::rt::time::Instant::now())
                .as_secs()
                + 1;
            let mut response = ApiError::RateLimited { retry_after }.error_response();
            budget_headers(response.headers_mut(), &output);
            return Ok(req.into_response(response).map_into_right_body());
        }
        budget = Some((output, rollback));
    }
    let authenticated = !matches!(principal, Principal::Anonymous);
    req.extensions_mut().insert(principal);
    let mut response = next.call(req).await?;
    if let Some((mut output, rollback)) = budget {
        // A 304 answers from the client's cache: it does not spend the budget.
        if response.status() == StatusCode::NOT_MODIFIED {
            let _ = config.limiter.rollback(rollback).await;
            output.remaining = output.remaining.saturating_add(1).min(output.limit);
        }
        budget_headers(response.headers_mut(), &output);
    }
    if authenticated {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response.map_into_left_body())
}
