use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::FirmPatch;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FirmResponse;
use crate::service::Registry;

/// Edits a firm. Requires `If-Match` with the ETag read; fields absent stay, `null` clears.
#[utoipa::path(
    patch, path = "/api/v1/firms/{id}", tag = "firms", request_body = FirmPatch,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("If-Match" = String, Header, description = "The ETag of the version read, e.g. \"3\""),
    ),
    responses(
        (status = 200, description = "The edited firm with its new ETag", body = FirmResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new USCC belongs to another firm", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The firm changed since it was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "patch_firm", skip_all, fields(firm.id = %id))]
pub async fn patch_firm(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: JsonBody<FirmPatch>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let (id, patch) = (id.into_inner(), body.0);
    let actor = principal.actor();
    let firm = crate::telemetry::blocking(move || {
        registry.firms().patch(id, &precondition, &patch, &actor)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(firm.version)))
        .json(FirmResponse::from(&firm)))
}
