use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::WithdrawalInput;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::CertificateResponse;
use crate::service::Registry;

/// Withdraws a certificate entered by mistake. Requires `If-Match` and a JSON body with the
/// `reason`. The certificate stays stored and listed, marked `withdrawn` with who, when and why,
/// and no longer counts: the firm is reclassified at once (ledger cause `correction`).
#[utoipa::path(
    delete, path = "/api/v1/firms/{id}/certificates/{certificate_id}", tag = "certificates", request_body = WithdrawalInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("certificate_id" = Uuid, Path, description = "The certificate's id"),
        ("If-Match" = String, Header, description = "The ETag of the version read, e.g. \"1\""),
    ),
    responses(
        (status = 200, description = "The withdrawn certificate with its new ETag", body = CertificateResponse),
        (status = 404, description = "No such firm or certificate", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The certificate was already withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The certificate changed since it was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or refused", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "withdraw_certificate", skip_all, fields(firm.id = %path.0, certificate.id = %path.1))]
pub async fn withdraw_certificate(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<WithdrawalInput>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let ((id, certificate_id), input) = (path.into_inner(), body.0);
    let actor = principal.actor();
    let certificate = crate::telemetry::blocking(move || {
        registry
            .figures()
            .withdraw_certificate(id, certificate_id, &precondition, &input, &actor)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(certificate.version)))
        .json(CertificateResponse::new(&certificate)))
}
