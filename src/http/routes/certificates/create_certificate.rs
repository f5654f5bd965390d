use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use crate::inputs::CertificateInput;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, idempotency};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::CertificateResponse;
use crate::service::{Created, Registry};

/// Records a certificate; its default expiry is three years after issue, less a day. Send
/// `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post, path = "/api/v1/firms/{id}/certificates", tag = "certificates", request_body = CertificateInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Makes retries safe (24 hours): 1–255 visible ASCII characters, a UUID is a good choice"),
    ),
    responses(
        (status = 201, description = "Recorded (or replayed); `ETag` is its version", body = CertificateResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The certificate number is already recorded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_certificate", skip_all, fields(firm.id = %id))]
pub async fn create_certificate(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: JsonBody<CertificateInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let key = idempotency(&req, &input)?;
    let actor = principal.actor();
    let view = crate::telemetry::blocking(move || {
        match registry
            .figures()
            .add_certificate(id, &input, &actor, key.as_ref())?
        {
            Created::New(cert) => Ok(CertificateResponse::new(&cert)),
            Created::Replayed(cert_id) => registry
                .figures()
                .get_certificate(id, cert_id)
                .map(|c| CertificateResponse::new(&c)),
        }
    })
    .await??;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}
