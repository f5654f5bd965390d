use actix_web::{HttpResponse, web};

use crate::inputs::RulesInput;

use crate::auth::Principal;
use crate::domain::FieldError;
use crate::http::extract::{JsonBody, query_text};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::PublicationResponse;
use crate::service::Registry;

/// Publishes a rule set version and reclassifies every firm with the set in force today, all
/// or nothing. Sending the identical file again changes nothing (200).
#[utoipa::path(
    post, path = "/api/v1/rulesets", tag = "rules", request_body = RulesInput,
    responses(
        (status = 201, description = "Published; firms reclassified", body = PublicationResponse),
        (status = 200, description = "This exact file was already published", body = PublicationResponse),
        (status = 409, description = "The id and version are taken by other content", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file does not load (messages give file:line:column)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "publish_ruleset", skip_all)]
pub async fn publish_ruleset(
    registry: web::Data<Registry>,
    principal: Principal,
    body: JsonBody<RulesInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let actor = principal.actor();
    if input.as_of.is_some() {
        return Err(ApiError::BadField(FieldError::new(
            "as_of",
            "not_applicable",
            "a publication takes effect from the file's effective_from; as_of is for simulations",
        )));
    }
    // The origin is stored and shown in messages: it gets the same hygiene as a name.
    let origin =
        query_text("origin", input.origin.clone())?.unwrap_or_else(|| "published.toml".into());
    let outcome = crate::telemetry::blocking(move || {
        registry
            .rule_sets()
            .publish(&input.rules, &origin, &actor, &|_| {})
    })
    .await??;
    let body = PublicationResponse {
        id: outcome.id,
        version: outcome.version,
        content_hash: outcome.content_hash,
        published: outcome.published,
        in_force: outcome.in_force,
        firms_reclassified: outcome.summary.firms,
        events_recorded: outcome.summary.events,
    };
    Ok(if body.published {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}
