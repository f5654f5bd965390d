use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::FinancingRequest;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, idempotency};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FinancingResponse;
use crate::service::{Created, Registry};

/// Records a closed financing round. Send `Idempotency-Key` to make retries safe. An amount
/// above the post-money valuation is refused; an amount under ¥10,000 or a valuation more
/// than 20 times the previous round's needs `"confirm": true` (else 422 `needs_confirmation`).
#[utoipa::path(
    post, path = "/api/v1/firms/{id}/financings", tag = "financings", request_body = FinancingRequest,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Makes retries safe (24 hours): 1–255 visible ASCII characters, a UUID is a good choice"),
    ),
    responses(
        (status = 201, description = "Recorded (or replayed); `ETag` is its version", body = FinancingResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused, or implausible figures need confirmation (code `needs_confirmation`); nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_financing", skip_all, fields(firm.id = %id))]
pub async fn create_financing(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: JsonBody<FinancingRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, request) = (id.into_inner(), body.0);
    let key = idempotency(&req, &request)?;
    let (input, confirm) = request.into_parts();
    let actor = principal.actor();
    let view = crate::telemetry::blocking(move || {
        match registry
            .figures()
            .add_financing(id, &input, confirm, &actor, key.as_ref())?
        {
            Created::New(round) => Ok(FinancingResponse::new(&round)),
            Created::Replayed(round_id) => registry
                .figures()
                .get_financing(id, round_id)
                .map(|r| FinancingResponse::new(&r)),
        }
    })
    .await??;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}
