use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::http::extract::{etag, none_match_hits};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FinancingResponse;
use crate::service::Registry;

/// Reads one round, withdrawn or not; `If-None-Match` with its ETag answers 304.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/financings/{financing_id}", tag = "financings",
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("financing_id" = Uuid, Path, description = "The round's id"),
    ),
    responses(
        (status = 200, description = "The round; `ETag` is its version", body = FinancingResponse),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, description = "No such firm or round", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_financing", skip_all, fields(firm.id = %path.0, financing.id = %path.1))]
pub async fn get_financing(
    req: HttpRequest,
    registry: web::Data<Registry>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, financing_id) = path.into_inner();
    let round =
        crate::telemetry::blocking(move || registry.figures().get_financing(id, financing_id))
            .await??;
    if none_match_hits(&req, round.version) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag(round.version)))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(round.version)))
        .json(FinancingResponse::new(&round)))
}
