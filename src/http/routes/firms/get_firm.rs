use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::http::extract::{etag, none_match_hits};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FirmResponse;
use crate::service::Registry;

/// Reads one firm; `If-None-Match` with its ETag answers 304.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}", tag = "firms",
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 200, description = "The firm; `ETag` is its version", body = FirmResponse),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_firm", skip_all, fields(firm.id = %id))]
pub async fn get_firm(
    req: HttpRequest,
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let firm = crate::telemetry::blocking(move || registry.firms().get(id)).await??;
    if none_match_hits(&req, firm.version) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag(firm.version)))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(firm.version)))
        .json(FirmResponse::from(&firm)))
}
