use actix_web::{HttpResponse, web};

use crate::http::extract::{JsonBody, query_text};
use crate::http::problem::{ApiError, Problem};
use crate::inputs::{RulesInput, parse_optional_date};
use crate::service::Registry;

/// Evaluates a draft rule set over every firm without writing anything: counts per tier now
/// and under the draft (also by district and industry section), and the firms that would move
/// with the comparison that decided it.
#[utoipa::path(
    post, path = "/api/v1/rulesets/simulate", tag = "rules", request_body = RulesInput,
    responses(
        (status = 200, description = "The draft's effect", body = Object),
        (status = 422, description = "The draft does not load (messages give file:line:column)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "simulate_ruleset", skip_all)]
pub async fn simulate_ruleset(
    registry: web::Data<Registry>,
    body: JsonBody<RulesInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let as_of = parse_optional_date("as_of", input.as_of.as_deref()).map_err(ApiError::BadField)?;
    // The origin is stored and shown in messages: it gets the same hygiene as a name.
    let origin = query_text("origin", input.origin.clone())?.unwrap_or_else(|| "draft.toml".into());
    let report = crate::telemetry::blocking(move || {
        registry.rule_sets().simulate(&input.rules, &origin, as_of)
    })
    .await??;
    Ok(HttpResponse::Ok().json(report))
}
