use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::FinancingPatch;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FinancingResponse;
use crate::service::Registry;

/// Corrects a round. Requires `If-Match` with the ETag read; fields absent stay, `null`
/// clears an amount or valuation. The firm is reclassified at once (ledger cause
/// `correction`) and the audit log keeps the round before and after.
#[utoipa::path(
    patch, path = "/api/v1/firms/{id}/financings/{financing_id}", tag = "financings", request_body = FinancingPatch,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("financing_id" = Uuid, Path, description = "The round's id"),
        ("If-Match" = String, Header, description = "The ETag of the version read, e.g. \"1\""),
    ),
    responses(
        (status = 200, description = "The corrected round with its new ETag", body = FinancingResponse),
        (status = 404, description = "No such firm or round", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round was withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The round changed since it was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused, or implausible figures need confirmation", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "patch_financing", skip_all, fields(firm.id = %path.0, financing.id = %path.1))]
pub async fn patch_financing(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<FinancingPatch>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let ((id, financing_id), patch) = (path.into_inner(), body.0);
    let actor = principal.actor();
    let round = crate::telemetry::blocking(move || {
        registry
            .figures()
            .correct_financing(id, financing_id, &precondition, &patch, &actor)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(round.version)))
        .json(FinancingResponse::new(&round)))
}
