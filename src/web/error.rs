//! Failures of the staff pages and the pages that show them: never a raw error or a stack
//! trace, always a page in the site's style and the reader's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::context::PageContext;
use super::render::secure_headers;
use crate::service::ServiceError;

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// The request itself is malformed (an undecodable form).
    #[error("bad request")]
    BadRequest,
    /// The staff member may not do this.
    #[error("forbidden")]
    Forbidden,
    /// A form carrying the token of a session that has ended: nothing is written, and the
    /// page keeps what was typed (the body as posted).
    #[error("form of an ended session")]
    StaleForm(Vec<u8>),
    /// The database is busy or unreachable; try again.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The database's disk is full; an operator must free space.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// A bug or an unforeseen fault; logged, never shown.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<ServiceError> for WebError {
    fn from(error: ServiceError) -> Self {
        match error.classified() {
            ServiceError::NotFound(_) => Self::NotFound,
            ServiceError::Unavailable(why) => Self::Unavailable(why),
            ServiceError::StorageFull(why) => Self::StorageFull(why),
            // Handlers turn the expected refusals into form errors before this point; one that
            // arrives here is a page the handler did not expect to fail that way.
            other => Self::Unexpected(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<actix_web::error::BlockingError> for WebError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Unexpected(anyhow::anyhow!("blocking pool: {error}"))
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageContext,
    title_key: &'static str,
    text_key: &'static str,
    status: u16,
}

impl WebError {
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            Self::NotFound => ("error.not_found_title", "error.not_found_text"),
            Self::BadRequest => ("error.bad_request_title", "error.bad_request_text"),
            Self::Forbidden | Self::StaleForm(_) => {
                ("error.forbidden_title", "error.forbidden_text")
            }
            Self::Unavailable(_) => ("error.unavailable_title", "error.unavailable_text"),
            Self::StorageFull(_) => ("error.storage_full_title", "error.storage_full_text"),
            Self::Unexpected(_) => ("error.unexpected_title", "error.unexpected_text"),
        }
    }

    /// The page for this error in `lang`.
    pub fn page(&self, ctx: PageContext) -> HttpResponse {
        let (title_key, text_key) = self.keys();
        let status = self.status_code();
        let page = ErrorPage {
            ctx,
            title_key,
            text_key,
            status: status.as_u16(),
        };
        let mut response = match page.render() {
            Ok(html) => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(html),
            Err(_) => HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(status.to_string()),
        };
        if matches!(self, Self::Unavailable(_) | Self::StorageFull(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        secure_headers(response.headers_mut());
        response
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::StaleForm(_) => StatusCode::CONFLICT,
            Self::Unavailable(_) | Self::StorageFull(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Unexpected(e) => tracing::error!(error = ?e, "staff page failed"),
            Self::Unavailable(why) => tracing::warn!(%why, "staff page: storage unavailable"),
            Self::StorageFull(why) => {
                tracing::error!(%why, "staff page: storage full: the database cannot grow; free disk space")
            }
            _ => {}
        }
        // The language is not known here; `localise_errors` re-renders in the reader's.
        self.page(PageContext::default())
    }
}

/// Re-renders error pages of the staff routes in the language of the request.
pub async fn localise_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let page = match res
        .response()
        .error()
        .and_then(|e| e.as_error::<WebError>())
    {
        Some(WebError::StaleForm(body)) => {
            Some(super::keep_work::keep_work_page(res.request(), body, true))
        }
        Some(error) => {
            let ctx = PageContext::of(res.request());
            Some(error.page(ctx))
        }
        None => None,
    };
    Ok(match page {
        Some(page) => {
            let (req, _) = res.into_parts();
            ServiceResponse::new(req, page)
        }
        None => res.map_into_boxed_body(),
    })
}

/// The page for an unknown address: HTML for browsers, problem+json for everything else.
pub fn wants_html(req: &HttpRequest) -> bool {
    !req.path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

/// The HTML not-found page in the request's language.
pub fn not_found_page(req: &HttpRequest) -> HttpResponse {
    WebError::NotFound.page(PageContext::of(req))
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;

    use super::*;

    #[actix_web::test]
    async fn an_unexpected_failure_is_a_500_page_that_shows_nothing_internal() {
        let error = WebError::Unexpected(anyhow::anyhow!("SELECT password FROM secrets"));
        let response = error.page(PageContext::default());
        assert_eq!(response.status(), 500);
        let body = to_bytes(response.into_body()).await.expect("body");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("系统出错"), "{html}");
        assert!(!html.contains("SELECT") && !html.contains("secrets"));
    }

    #[actix_web::test]
    async fn a_busy_database_is_a_503_page_that_says_when_to_retry() {
        let response =
            WebError::Unavailable("database is locked".into()).page(PageContext::default());
        assert_eq!(response.status(), 503);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
    }
}
