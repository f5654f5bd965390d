use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::inputs::FirmInput;

use crate::auth::Principal;
use crate::http::extract::{JsonBody, etag, idempotency};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FirmResponse;
use crate::service::{Created, Registry};

/// Registers a firm. Send `Idempotency-Key` to make retries safe: a repeat with the same key
/// and body answers with the firm the first request registered.
#[utoipa::path(
    post, path = "/api/v1/firms", tag = "firms", request_body = FirmInput,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[\\x21-\\x7E]{1,255}$", description = "Makes retries safe (24 hours): 1–255 visible ASCII characters, a UUID is a good choice")),
    responses(
        (status = 201, description = "Registered (or replayed); `Location` and `ETag` are set", body = FirmResponse),
        (status = 409, description = "The USCC is already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field was refused, or the key was used with another body; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "create_firm", skip_all)]
pub async fn create_firm(
    req: HttpRequest,
    registry: web::Data<Registry>,
    principal: Principal,
    body: JsonBody<FirmInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let actor = principal.actor();
    let key = idempotency(&req, &input)?;
    let firm = crate::telemetry::blocking(move || {
        match registry.firms().register(&input, &actor, key.as_ref())? {
            Created::New(firm) => Ok((firm, false)),
            Created::Replayed(id) => registry.firms().get(id).map(|firm| (firm, true)),
        }
    })
    .await?;
    let (firm, replayed) = firm?;
    let mut response = HttpResponse::Created();
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response
        .insert_header((header::LOCATION, format!("/api/v1/firms/{}", firm.id)))
        .insert_header((header::ETAG, etag(firm.version)))
        .json(FirmResponse::from(&firm)))
}
