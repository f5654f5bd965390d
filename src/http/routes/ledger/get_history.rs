use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::problem::{ApiError, Problem};
use crate::http::views::TierEventResponse;
use crate::service::{Registry, ServiceError};

/// A firm's tier events.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryResponse {
    /// In the firm's order (`seq`).
    pub items: Vec<TierEventResponse>,
}

/// The firm's tier events: every entry, promotion, demotion and exit, with the rule set and
/// explanation that decided it.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/history", tag = "tiers",
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 200, description = "The firm's events", body = HistoryResponse),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_history", skip_all, fields(firm.id = %id))]
pub async fn get_history(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let events = crate::telemetry::blocking(move || registry.tiers().history(id)).await??;
    let items = events
        .iter()
        .map(TierEventResponse::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Service(ServiceError::Unexpected(e)))?;
    Ok(HttpResponse::Ok().json(HistoryResponse { items }))
}
