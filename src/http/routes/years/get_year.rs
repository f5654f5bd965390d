use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::http::extract::{etag, none_match_hits};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::YearResponse;
use crate::service::Registry;

/// One fiscal year of a firm's figures, with its version as the ETag.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/years/{fiscal_year}", tag = "figures",
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("fiscal_year" = i32, Path, description = "The fiscal year, e.g. 2024"),
    ),
    responses(
        (status = 200, description = "The year; ETag is its version, sent back in If-Match to replace it", body = YearResponse),
        (status = 304, description = "If-None-Match names the stored version"),
        (status = 404, description = "No such firm, or no figures stored for that year", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_year", skip_all, fields(firm.id = %path.0, fiscal_year = path.1))]
pub async fn get_year(
    req: HttpRequest,
    registry: web::Data<Registry>,
    path: web::Path<(Uuid, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, fiscal_year) = path.into_inner();
    let (year, version) =
        crate::telemetry::blocking(move || registry.figures().get_year(id, fiscal_year)).await??;
    if none_match_hits(&req, version) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag(version)))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(YearResponse::from((&year, version))))
}
