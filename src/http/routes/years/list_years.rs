use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::problem::{ApiError, Problem};
use crate::http::views::YearResponse;
use crate::service::Registry;

/// A firm's years.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct YearList {
    /// Oldest first.
    pub items: Vec<YearResponse>,
}

/// Lists a firm's annual figures.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/years", tag = "figures",
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 200, description = "The firm's years, oldest first", body = YearList),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_years", skip_all, fields(firm.id = %id))]
pub async fn list_years(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let years =
        crate::telemetry::blocking(move || registry.figures().list_year_versions(id)).await??;
    Ok(HttpResponse::Ok().json(YearList {
        items: years
            .iter()
            .map(|(y, v)| YearResponse::from((y, *v)))
            .collect(),
    }))
}
