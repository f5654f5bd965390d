use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::api_types::{FirmInput, FirmResponse};
use crate::http::extract::{JsonBody, etag};
use crate::http::problem::{ApiError, Problem};
use crate::service::{API_ACTOR, Registry};

/// Registers a firm.
#[utoipa::path(
    post, path = "/api/v1/firms", tag = "firms", request_body = FirmInput,
    responses(
        (status = 201, description = "Registered; `Location` and `ETag` are set", body = FirmResponse),
        (status = 409, description = "The USCC is already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_firm", skip_all)]
pub async fn create_firm(
    registry: web::Data<Registry>,
    body: JsonBody<FirmInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let firm = web::block(move || registry.register_firm(&input, API_ACTOR)).await??;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/firms/{}", firm.id)))
        .insert_header((header::ETAG, etag(firm.version)))
        .json(FirmResponse::from(&firm)))
}
