//! RFC 9457 problem details: the one error format of the API.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::FieldError;
use crate::service::ServiceError;

/// How long a client should wait before retrying after a 503.
const RETRY_AFTER_SECONDS: &str = "2";

/// One refused field inside a problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field as the client named it (`uscc`, `amount.value`).
    pub field: String,
    /// A stable code (`invalid_check_character`, `required`, `unknown_field`).
    pub code: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// An `application/problem+json` body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened in this case.
    pub detail: String,
    /// Field errors, for validation and conflicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// Quote this when reporting a problem; it is also in the server log.
    pub correlation_id: String,
}

/// Every way a request can fail, as the HTTP layer sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A use case failed.
    #[error(transparent)]
    Service(ServiceError),
    /// The request could not be read (malformed JSON, bad query string).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The JSON was well-formed but a field had the wrong type, was missing or unknown.
    #[error("unprocessable: {}", .0.message)]
    BadField(FieldError),
    /// The body stopped arriving before it was complete.
    #[error("the body did not arrive within {} s", .0.as_secs())]
    BodyTimeout(std::time::Duration),
    /// The body is over the limit.
    #[error("body larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The body is not JSON, or is compressed.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// The path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed(String),
    /// No such path or resource.
    #[error("not found")]
    NotFound,
    /// No credentials, or credentials that match nothing.
    #[error("authentication required")]
    Unauthenticated,
    /// Credentials that do not reach this operation.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The database did not answer within the request deadline (a stalled link).
    #[error("no answer from the database within {} ms", .0.as_millis())]
    Timeout(std::time::Duration),
    /// A client over its request budget.
    #[error("rate limited for {retry_after} s")]
    RateLimited {
        /// Seconds until the window resets.
        retry_after: u64,
    },
}

fn field(e: &FieldError) -> ProblemField {
    ProblemField {
        field: e.field.clone(),
        code: e.code.to_owned(),
        message: e.message.clone(),
    }
}

/// What a problem says, before it gets its correlation id.
struct Parts {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<ProblemField>,
}

fn parts(
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: impl Into<String>,
) -> Parts {
    Parts {
        status,
        kind,
        title,
        detail: detail.into(),
        errors: vec![],
    }
}

impl Parts {
    fn with(mut self, errors: Vec<ProblemField>) -> Self {
        self.errors = errors;
        self
    }
}

const INVALID: &str = "The input was refused";
const UNAVAILABLE: &str = "The database is busy or unreachable";

/// A failed use case, as a problem.
fn service_parts(error: &ServiceError) -> Parts {
    use ServiceError as S;
    match error {
        S::Validation(errors) => parts(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-error",
            INVALID,
            format!(
                "{} field(s) need attention; nothing was saved",
                errors.0.len()
            ),
        )
        .with(errors.0.iter().map(field).collect()),
        S::NotFound(what) => parts(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("no such {what}"),
        ),
        S::Conflict(e) => parts(
            StatusCode::CONFLICT,
            "conflict",
            "Conflict with existing data",
            e.message.clone(),
        )
        .with(vec![field(e)]),
        // Version 0: If-Match named something not stored (a year without figures).
        S::PreconditionFailed { current: 0 } => parts(
            StatusCode::PRECONDITION_FAILED,
            "stale-version",
            "The resource is not stored",
            "If-Match names a version, but nothing is stored here yet; send no If-Match (or If-None-Match: *) to create it",
        ),
        S::PreconditionFailed { current } => parts(
            StatusCode::PRECONDITION_FAILED,
            "stale-version",
            "The resource changed since you read it",
            format!(
                "the stored version is now {current}; read it again, reapply your change and send If-Match: \"{current}\""
            ),
        ),
        S::PreconditionRequired => parts(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "If-Match is required",
            "send If-Match with the ETag of the version you read, so that concurrent edits are not lost",
        ),
        S::Unavailable(_) => parts(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            UNAVAILABLE,
            "nothing was changed; retry after a short wait",
        ),
        S::StorageFull(_) => parts(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage-full",
            "The database's storage is full",
            "storage is full: the database cannot store changes until an operator frees disk space; nothing was changed",
        ),
        S::Unexpected(_) => parts(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "Internal error",
            "the request failed unexpectedly and nothing was changed; quote the correlation id when reporting it",
        ),
        S::InvalidCredentials => unauthenticated(),
        S::TooManyAttempts { retry_after } => rate_limited(*retry_after),
    }
}

fn unauthenticated() -> Parts {
    parts(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "Authentication required",
        "send Authorization: Bearer with an API token (tier-registry token create), or log in",
    )
}

fn rate_limited(retry_after: u64) -> Parts {
    parts(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "Too many requests",
        format!("slow down; retry in {retry_after} s"),
    )
}

impl ApiError {
    fn parts(&self) -> Parts {
        match self {
            Self::Service(error) => service_parts(error),
            Self::Timeout(limit) => parts(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                UNAVAILABLE,
                format!(
                    "the database did not answer within {} ms; a write may or may not have been saved, so read before retrying it (or send Idempotency-Key)",
                    limit.as_millis()
                ),
            ),
            Self::BadRequest(detail) => parts(
                StatusCode::BAD_REQUEST,
                "bad-request",
                "The request could not be read",
                detail.clone(),
            ),
            Self::BadField(e) => parts(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                INVALID,
                format!("{}: {}", e.field, e.message),
            )
            .with(vec![field(e)]),
            Self::BodyTimeout(limit) => parts(
                StatusCode::REQUEST_TIMEOUT,
                "request-timeout",
                "The body did not arrive in time",
                format!(
                    "the request body stopped arriving (it must arrive within {} s of the request head); nothing was saved, send it again",
                    limit.as_secs()
                ),
            ),
            Self::PayloadTooLarge(limit) => parts(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "The body is too large",
                format!("bodies are limited to {limit} bytes"),
            ),
            Self::UnsupportedMediaType(detail) => parts(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                detail.clone(),
            ),
            Self::MethodNotAllowed(allow) => parts(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                format!("this resource allows {allow}"),
            ),
            Self::Unauthenticated => unauthenticated(),
            Self::Forbidden(detail) => parts(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Not allowed",
                detail.clone(),
            ),
            Self::RateLimited { retry_after } => rate_limited(*retry_after),
            Self::NotFound => parts(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "no resource at this address",
            ),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().status
    }

    fn error_response(&self) -> HttpResponse {
        let Parts {
            status,
            kind,
            title,
            detail,
            errors,
        } = self.parts();
        let correlation_id = Uuid::now_v7().to_string();
        // Logged once, here at the edge, with the id the client sees.
        match self {
            Self::Service(ServiceError::Unexpected(e)) => {
                tracing::error!(correlation_id, error = ?e, "request failed")
            }
            Self::Service(ServiceError::Unavailable(e)) => {
                tracing::warn!(correlation_id, error = %e, "storage unavailable")
            }
            Self::Service(ServiceError::StorageFull(e)) => {
                tracing::error!(correlation_id, error = %e, "storage full: the database cannot grow; free disk space")
            }
            Self::Timeout(limit) => {
                tracing::warn!(
                    correlation_id,
                    limit_ms = limit.as_millis() as u64,
                    "storage unavailable: no answer within the deadline"
                )
            }
            other => {
                tracing::info!(correlation_id, status = status.as_u16(), error = %other, "request refused")
            }
        }
        let body = Problem {
            kind: format!("/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors,
            correlation_id,
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        match self {
            Self::MethodNotAllowed(allow) => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            Self::Service(ServiceError::Unavailable(_) | ServiceError::StorageFull(_))
            | Self::Timeout(_) => {
                response.insert_header((
                    header::RETRY_AFTER,
                    HeaderValue::from_static(RETRY_AFTER_SECONDS),
                ));
            }
            Self::RateLimited { retry_after }
            | Self::Service(ServiceError::TooManyAttempts { retry_after }) => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            Self::Unauthenticated | Self::Service(ServiceError::InvalidCredentials) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"tier-registry\""),
                ));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        Self::Service(error.classified())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        Self::Service(ServiceError::Unexpected(anyhow::anyhow!(
            "the blocking thread pool is gone"
        )))
    }
}
