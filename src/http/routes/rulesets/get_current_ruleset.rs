use actix_web::{HttpResponse, web};

use crate::http::problem::{ApiError, Problem};
use crate::http::views::CurrentRuleSetResponse;
use crate::service::Registry;

/// The rule set in force today: its tracks and tiers with their sources, and the file.
#[utoipa::path(
    get, path = "/api/v1/rulesets/current", tag = "rules",
    responses(
        (status = 200, description = "The rule set in force", body = CurrentRuleSetResponse),
        (status = 404, description = "No rule set is in force", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_current_ruleset", skip_all)]
pub async fn get_current_ruleset(registry: web::Data<Registry>) -> Result<HttpResponse, ApiError> {
    let (set, row) = crate::telemetry::blocking(move || registry.rule_sets().current()).await??;
    Ok(HttpResponse::Ok().json(CurrentRuleSetResponse::new(&set, &row)))
}
