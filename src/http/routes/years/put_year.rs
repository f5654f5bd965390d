use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::api_types::{YearInput, YearResponse};
use crate::http::auth::Principal;
use crate::http::extract::JsonBody;
use crate::http::problem::{ApiError, Problem};
use crate::service::Registry;

/// Replaces one fiscal year of figures (creates it if new). Absent figures are stored as
/// unknown, not zero.
#[utoipa::path(
    put, path = "/api/v1/firms/{id}/years/{fiscal_year}", tag = "figures", request_body = YearInput,
    params(
        ("id" = Uuid, Path, description = "The firm's id"),
        ("fiscal_year" = i32, Path, description = "The fiscal year, e.g. 2024"),
    ),
    responses(
        (status = 200, description = "The year was replaced", body = YearResponse),
        (status = 201, description = "The year was created", body = YearResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A figure was refused; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "put_year", skip_all, fields(firm.id = %path.0, fiscal_year = path.1))]
pub async fn put_year(
    registry: web::Data<Registry>,
    principal: Principal,
    path: web::Path<(Uuid, i32)>,
    body: JsonBody<YearInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, fiscal_year) = path.into_inner();
    let input = body.0;
    let actor = principal.actor();
    let (year, created) =
        web::block(move || registry.put_year(id, fiscal_year, &input, &actor)).await??;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(YearResponse::from(&year)))
}
