use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::http::problem::{ApiError, Problem};
use crate::inputs::parse_optional_date;
use crate::service::Registry;

/// The evaluation date.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// YYYY-MM-DD; default today (Asia/Shanghai).
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub as_of: Option<String>,
}

/// The firm's tier in every track, with the explanation: every tier, every comparison with
/// its actual value, threshold, outcome and gap.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/assessment", tag = "tiers",
    params(("id" = Uuid, Path, description = "The firm's id"), AsOfQuery),
    responses(
        (status = 200, description = "Tiers and explanation", body = Object),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed date, or no rule set in force then", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_assessment", skip_all, fields(firm.id = %id))]
pub async fn get_assessment(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
    query: web::Query<AsOfQuery>,
) -> Result<HttpResponse, ApiError> {
    let as_of = parse_optional_date("as_of", query.as_of.as_deref()).map_err(ApiError::BadField)?;
    let id = id.into_inner();
    let assessment =
        crate::telemetry::blocking(move || registry.tiers().assess(id, as_of)).await??;
    Ok(HttpResponse::Ok().json(assessment))
}
