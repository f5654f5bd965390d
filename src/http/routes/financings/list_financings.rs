use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::problem::{ApiError, Problem};
use crate::http::views::FinancingResponse;
use crate::service::Registry;

/// A firm's rounds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FinancingList {
    /// By closing date; withdrawn rounds are included, marked by `withdrawn`.
    pub items: Vec<FinancingResponse>,
}

/// Lists a firm's financing rounds, withdrawn ones included: a withdrawn round has
/// `withdrawn` set (who, when, why) and no longer counts for classification.
#[utoipa::path(
    get, path = "/api/v1/firms/{id}/financings", tag = "financings",
    params(("id" = Uuid, Path, description = "The firm's id")),
    responses(
        (status = 200, description = "The rounds by closing date", body = FinancingList),
        (status = 404, description = "No such firm", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_financings", skip_all, fields(firm.id = %id))]
pub async fn list_financings(
    registry: web::Data<Registry>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rounds =
        crate::telemetry::blocking(move || registry.figures().list_financings(id)).await??;
    Ok(HttpResponse::Ok().json(FinancingList {
        items: rounds.iter().map(FinancingResponse::new).collect(),
    }))
}
