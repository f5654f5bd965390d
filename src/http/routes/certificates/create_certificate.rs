use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::api_types::{CertificateInput, CertificateResponse};
use crate::http::extract::JsonBody;
use crate::http::problem::{ApiError, Problem};
use crate::service::{API_ACTOR, Registry};

/// Records a certificate; its default expiry is three years after issue, less a day.
#[utoipa::path(
    post, path = "/api/v1/firms/{id}/certificates", tag = "certificates", request_body = CertificateInput,
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 201, description = "Recorded", body = CertificateResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The certificate number is already recorded", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_certificate", skip_all, fields(firm.id = %id))]
pub async fn create_certificate(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
    body: JsonBody<CertificateInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let (cert, at) = web::block(move || registry.add_certificate(id, &input, API_ACTOR)).await??;
    let cert_id = cert.id.unwrap_or_default();
    Ok(HttpResponse::Created().json(CertificateResponse::new(cert_id, &cert, at)))
}
