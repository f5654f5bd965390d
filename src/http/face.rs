//! How the JSON API says no: problem+json, on its own paths and, for what only programs
//! run into, on every path.

use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, ResponseError};

use super::ApiError;
use crate::auth::{self, ProgramRefusal, Refusal, TooSlow};

/// The JSON API (`/api/v1`) and the operations endpoints, as the gate sees them.
pub struct Api;

impl auth::Face for Api {
    async fn refuse(_req: &mut ServiceRequest, refusal: Refusal) -> HttpResponse {
        let error = match refusal {
            Refusal::Unavailable(e) => ApiError::from(e),
            Refusal::Unauthenticated => ApiError::Unauthenticated,
            Refusal::MustChangePassword => ApiError::Forbidden(
                "this account still has a one-time password: log in to the staff pages and choose a new one".into(),
            ),
            Refusal::Forbidden(why) => ApiError::Forbidden(why),
            Refusal::CrossSite => ApiError::Forbidden(
                "this form was not sent from this site's own pages (Origin check)".into(),
            ),
        };
        error.error_response()
    }

    fn too_slow(_req: &actix_web::HttpRequest) -> TooSlow {
        Box::new(|limit| ApiError::Timeout(limit).into())
    }
}

impl auth::ApiFace for Api {
    fn claims(path: &str) -> bool {
        path.starts_with("/api/") || path == "/metrics" || path == "/healthz" || path == "/readyz"
    }

    fn refuse_program(refusal: ProgramRefusal) -> HttpResponse {
        match refusal {
            ProgramRefusal::BadToken => ApiError::Unauthenticated,
            ProgramRefusal::MethodNotAllowed(allow) => ApiError::MethodNotAllowed(allow),
            ProgramRefusal::OverBudget { retry_after } => ApiError::RateLimited { retry_after },
        }
        .error_response()
    }
}
