use actix_web::{HttpResponse, web};

use super::get_targets::{TargetsQuery, parse_year};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{TargetNearMissesResponse, TargetProgressResponse};
use crate::service::{Registry, TargetPlan};

/// The firms closest to a target's tier, smallest gap first, each with the comparisons that
/// decide it: the list `GET /targets` computes, kept per version of the data.
#[utoipa::path(
    get, path = "/api/v1/targets/{target_id}/near-misses", tag = "counts", params(
        ("target_id" = String, Path, description = "The target's `id` in `GET /targets`"),
        TargetsQuery,
    ),
    responses(
        (status = 200, description = "The target's near misses", body = TargetNearMissesResponse),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No target with this id in that year", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed year", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_target_near_misses", skip_all)]
pub async fn list_target_near_misses(
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<TargetsQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = parse_year(&registry, query.into_inner().year)?;
    let id = path.into_inner();
    let service = registry.clone();
    let progress = crate::telemetry::blocking(move || {
        service.counts().target_near_misses(&plan, Some(year), &id)
    })
    .await??;
    Ok(HttpResponse::Ok().json(TargetNearMissesResponse {
        items: progress.near_misses.iter().map(Into::into).collect(),
        target: TargetProgressResponse::from(&progress),
    }))
}
