use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::problem::{ApiError, Problem};
use crate::http::views::CertificateResponse;
use crate::service::Registry;

/// A firm's certificates.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CertificateList {
    /// By issue date; withdrawn certificates are included, marked by `withdrawn`.
    pub items: Vec<CertificateResponse>,
}

/// Lists a firm's certificates, current, expired and withdrawn: a withdrawn certificate has
/// `withdrawn` set (who, when, why) and no longer counts for classification.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/certificates", tag = "certificates",
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 200, description = "The certificates by issue date", body = CertificateList),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_certificates", skip_all, fields(firm.id = %id))]
pub async fn list_certificates(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let certs =
        crate::telemetry::blocking(move || registry.figures().list_certificates(id)).await??;
    Ok(HttpResponse::Ok().json(CertificateList {
        items: certs.iter().map(CertificateResponse::new).collect(),
    }))
}
