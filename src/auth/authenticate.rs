//! The authentication middleware: finds the caller, checks the route's need, the request's
//! origin and the caller's request budget, before any handler runs. Refusals are answered
//! by the face that owns the path (see [`Face`]).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};

use super::budget::{self, Charge};
use super::credentials::{Lookup, find_principal, same_origin};
use super::{Access, ApiFace, AuthConfig, Face, Need, Principal, ProgramRefusal, Refusal};
use crate::domain::Role;

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
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

/// Whether a state-changing request rides on a session cookie without coming from this
/// site's own pages.
fn crosses_site(req: &ServiceRequest, config: &AuthConfig, principal: &Principal) -> bool {
    let carries_cookie = req
        .cookie(super::session_cookie_name(config.secure_cookies))
        .is_some()
        || matches!(principal, Principal::Staff(_));
    !is_safe(req.method())
        && carries_cookie
        && !matches!(principal, Principal::Token(_))
        && !same_origin(req)
}

/// The answer of the face owning the request's path.
async fn refuse<Api: ApiFace, Pages: Face>(
    req: &mut ServiceRequest,
    refusal: Refusal,
) -> HttpResponse {
    if Api::claims(req.path()) {
        Api::refuse(req, refusal).await
    } else {
        Pages::refuse(req, refusal).await
    }
}

/// A caller let through: who, and the budget charge to settle on the way out.
struct Admitted {
    config: web::Data<AuthConfig>,
    principal: Principal,
    charge: Option<Charge>,
}

/// Decides whether the request may reach its handler; `Err` is the refusal's answer.
async fn admit<Api: ApiFace, Pages: Face>(
    req: &mut ServiceRequest,
) -> Result<Admitted, HttpResponse> {
    let Some(config) = req.app_data::<web::Data<AuthConfig>>().cloned() else {
        return Err(Api::refuse(req, Refusal::Forbidden("no access policy".into())).await);
    };
    let principal = match find_principal(req, &config).await {
        Ok(principal) => principal,
        Err(Lookup::BadToken) => return Err(Api::refuse_program(ProgramRefusal::BadToken)),
        Err(Lookup::Unavailable(e)) => {
            return Err(refuse::<Api, Pages>(req, Refusal::Unavailable(e)).await);
        }
    };
    let need = match config
        .policy
        .need_of(req.method(), req.match_pattern().as_deref())
    {
        Access::Needs(need) => need,
        Access::MethodNotAllowed(allow) => {
            return Err(Api::refuse_program(ProgramRefusal::MethodNotAllowed(allow)));
        }
    };
    let refused = if crosses_site(req, &config, &principal) {
        Err(Refusal::CrossSite)
    } else {
        authorize(&principal, need, &config)
    };
    if let Err(refusal) = refused {
        return Err(refuse::<Api, Pages>(req, refusal).await);
    }
    let charge = match budget::charge(&config, &principal, need, req).await {
        Ok(charge) => charge,
        Err((retry_after, output)) => {
            let mut response = Api::refuse_program(ProgramRefusal::OverBudget { retry_after });
            budget::headers(response.headers_mut(), &output);
            return Err(response);
        }
    };
    Ok(Admitted {
        config,
        principal,
        charge,
    })
}

/// The middleware, given the two faces' ways of refusing. Runs before routing has picked
/// a handler, using the route pattern the path matches.
pub async fn authenticate<Api: ApiFace, Pages: Face>(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Admitted {
        config,
        principal,
        charge,
    } = match admit::<Api, Pages>(&mut req).await {
        Ok(admitted) => admitted,
        Err(response) => return Ok(req.into_response(response).map_into_right_body()),
    };
    let authenticated = !matches!(principal, Principal::Anonymous);
    req.extensions_mut().insert(principal);
    let mut response = next.call(req).await?;
    if let Some(charge) = charge {
        let not_modified = response.status() == StatusCode::NOT_MODIFIED;
        charge
            .settle(&config, not_modified, response.headers_mut())
            .await;
    }
    if authenticated {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response.map_into_left_body())
}
