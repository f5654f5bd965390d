use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::http::extract::{etag, none_match_hits};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::CertificateResponse;
use crate::service::Registry;

/// Reads one certificate, withdrawn or not; `If-None-Match` with its ETag answers 304.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/certificates/{certificate_id}", tag = "certificates",
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("certificate_id" = Uuid, Path, description = "The certificate's id"),
    ),
    responses(
        (status = 200, description = "The certificate; `ETag` is its version", body = CertificateResponse),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, description = "No such firm or certificate", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_certificate", skip_all, fields(firm.id = %path.0, certificate.id = %path.1))]
pub async fn get_certificate(
    req: HttpRequest,
    registry: web::Data<Registry>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, certificate_id) = path.into_inner();
    let certificate =
        crate::telemetry::blocking(move || registry.figures().get_certificate(id, certificate_id))
            .await??;
    if none_match_hits(&req, certificate.version) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag(certificate.version)))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(certificate.version)))
        .json(CertificateResponse::new(&certificate)))
}
