use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::api_types::{FinancingInput, FinancingResponse};
use crate::http::extract::JsonBody;
use crate::http::problem::{ApiError, Problem};
use crate::service::{API_ACTOR, Registry};

/// Records a closed financing round.
#[utoipa::path(
    post, path = "/api/v1/firms/{id}/financings", tag = "financings", request_body = FinancingInput,
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 201, description = "Recorded", body = FinancingResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_financing", skip_all, fields(firm.id = %id))]
pub async fn create_financing(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
    body: JsonBody<FinancingInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let (round, at) = web::block(move || registry.add_financing(id, &input, API_ACTOR)).await??;
    let round_id = round.id.unwrap_or_default();
    Ok(HttpResponse::Created().json(FinancingResponse::new(round_id, &round, at)))
}
