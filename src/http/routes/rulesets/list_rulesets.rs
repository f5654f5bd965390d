use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::problem::ApiError;
use crate::http::views::RuleSetSummary;
use crate::service::Registry;

/// Published rule sets.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleSetList {
    /// In publication order.
    pub items: Vec<RuleSetSummary>,
}

/// Every published rule set version, marking the one in force today.
#[utoipa::path(
    get, path = "/api/v1/rulesets", tag = "rules",
    responses((status = 200, description = "Published rule sets", body = RuleSetList))
)]
#[tracing::instrument(name = "list_rulesets", skip_all)]
pub async fn list_rulesets(registry: web::Data<Registry>) -> Result<HttpResponse, ApiError> {
    let sets = crate::telemetry::blocking(move || registry.rule_sets().list()).await??;
    Ok(HttpResponse::Ok().json(RuleSetList {
        items: sets.iter().map(RuleSetSummary::new).collect(),
    }))
}
