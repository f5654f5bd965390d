use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::WithdrawalInput;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FinancingResponse;
use crate::service::Registry;

/// Withdraws a round entered by mistake. Requires `If-Match` and a JSON body with the
/// `reason`. The round stays stored and listed, marked `withdrawn` with who, when and why,
/// and no longer counts: the firm is reclassified at once (ledger cause `correction`).
#[utoipa::path(
    delete, path = "/api/v1/firms/{id}/financings/{financing_id}", tag = "financings", request_body = WithdrawalInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("financing_id" = Uuid, Path, description = "The round's id"),
        ("If-Match" = String, Header, description = "The ETag of the version read, e.g. \"1\""),
    ),
    responses(
        (status = 200, description = "The withdrawn round with its new ETag", body = FinancingResponse),
        (status = 404, description = "No such firm or round", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round was already withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The round changed since it was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or refused", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "withdraw_financing", skip_all, fields(firm.id = %path.0, financing.id = %path.1))]
pub async fn withdraw_financing(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<WithdrawalInput>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let ((id, financing_id), input) = (path.into_inner(), body.0);
    let actor = principal.actor();
    let round = crate::telemetry::blocking(move || {
        registry
            .figures()
            .withdraw_financing(id, financing_id, &precondition, &input, &actor)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(round.version)))
        .json(FinancingResponse::new(&round)))
}
