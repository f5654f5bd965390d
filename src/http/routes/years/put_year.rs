use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::YearInput;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::YearResponse;
use crate::service::{Registry, YearPrecondition};

/// Whether `If-None-Match: *` was sent: create the year, never replace it.
fn create_only(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*")
}

/// Replaces one fiscal year of figures, or creates it. Replacing a stored year needs
/// `If-Match` with the ETag read; creating one needs nothing (`If-None-Match: *` makes sure
/// it is not stored yet). Absent figures are stored as unknown, not zero.
#[utoipa::path(
    put, path = "/api/v1/firms/{id}/years/{fiscal_year}", tag = "figures", request_body = YearInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("fiscal_year" = i32, Path, minimum = 1900, description = "The fiscal year, from 1900 to the current year, e.g. 2024"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the version read, e.g. \"3\"; required to replace a stored year"),
        ("If-None-Match" = Option<String>, Header, description = "`*`: only create the year; 412 if it is already stored"),
    ),
    responses(
        (status = 200, description = "The year was replaced; ETag is its new version", body = YearResponse),
        (status = 201, description = "The year was created; ETag is its version", body = YearResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The year changed since it was read, is not stored (If-Match) or is already stored (If-None-Match: *)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A figure was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The year is stored and If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "put_year", skip_all, fields(firm.id = %path.0, fiscal_year = path.1))]
pub async fn put_year(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    path: web::Path<(Uuid, i32)>,
    body: JsonBody<YearInput>,
) -> Result<HttpResponse, ApiError> {
    let precondition = YearPrecondition {
        if_match: if_match(&req)?,
        create_only: create_only(&req),
    };
    let (id, fiscal_year) = path.into_inner();
    let input = body.0;
    let actor = principal.actor();
    let saved = crate::telemetry::blocking(move || {
        registry
            .figures()
            .put_year(id, fiscal_year, &input, &precondition, &actor)
    })
    .await??;
    let mut response = if saved.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response
        .insert_header((header::ETAG, etag(saved.version)))
        .json(YearResponse::from((&saved.year, saved.version))))
}
