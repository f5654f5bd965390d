use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::api_types::{FinancingInput, FinancingResponse};
use crate::http::auth::Principal;
use crate::http::extract::{JsonBody, idempotency};
use crate::http::problem::{ApiError, Problem};
use crate::service::{Created, Registry, ServiceError};

/// Records a closed financing round. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post, path = "/api/v1/firms/{id}/financings", tag = "financings", request_body = FinancingInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (24 hours)"),
    ),
    responses(
        (status = 201, description = "Recorded (or replayed)", body = FinancingResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_financing", skip_all, fields(firm.id = %id))]
pub async fn create_financing(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: JsonBody<FinancingInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let key = idempotency(&req, &input)?;
    let actor = principal.actor();
    let view =
        web::block(
            move || match registry.add_financing(id, &input, &actor, key.as_ref())? {
                Created::New((round, at)) => Ok(FinancingResponse::new(
                    round.id.unwrap_or_default(),
                    &round,
                    at,
                )),
                Created::Replayed(round_id) => registry
                    .list_financings(id)?
                    .into_iter()
                    .find(|(r, _)| r.id == Some(round_id))
                    .map(|(r, at)| FinancingResponse::new(round_id, &r, at))
                    .ok_or(ServiceError::NotFound("financing round")),
            },
        )
        .await??;
    Ok(HttpResponse::Created().json(view))
}
