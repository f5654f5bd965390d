use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::get_targets::parse_year;
use crate::domain::FieldError;
use crate::http::extract::page_limit;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{TargetFirmPage, TargetFirmResponse, TargetProgressResponse};
use crate::service::{Registry, ServiceError, TargetPlan};

/// The year and the page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetFirmsQuery {
    /// Calendar year, 2000–2100; default this year.
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// Entries to skip (the `next_offset` of the previous page); default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size, 1–1000 (default 100; values outside are refused with 422).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The firms behind a target's figure: for a stock target the firms holding its tiers on its
/// measuring day; for a flow the firms that came into them in the year; for a net increase
/// those arrivals (+1) and the departures (−1); each with the event that counts it.
#[utoipa::path(
    get, path = "/api/v1/targets/{target_id}/firms", tag = "counts", params(
        ("target_id" = String, Path, description = "The target's `id` in `GET /targets`"),
        TargetFirmsQuery,
    ),
    responses(
        (status = 200, description = "A page of the firms the target counts", body = TargetFirmPage),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No target with this id in that year", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed year, offset or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_target_firms", skip_all)]
pub async fn list_target_firms(
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<TargetFirmsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let year = parse_year(&registry, q.year)?;
    let offset = usize::try_from(q.offset.unwrap_or(0)).map_err(|_| {
        ApiError::BadField(FieldError::new(
            "offset",
            "out_of_range",
            "must be 0 or more",
        ))
    })?;
    let limit = page_limit(q.limit, 100, 1_000)?.unsigned_abs() as usize;
    let id = path.into_inner();
    let service = registry.clone();
    let found = crate::telemetry::blocking(move || {
        service
            .counts()
            .target_firms(&plan, Some(year), &id, offset, limit)
    })
    .await??;
    let items = found
        .items
        .iter()
        .map(TargetFirmResponse::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Service(ServiceError::Unexpected(e)))?;
    let next = offset.saturating_add(items.len());
    Ok(HttpResponse::Ok().json(TargetFirmPage {
        target: TargetProgressResponse::from(&found.progress),
        total: found.total,
        next_offset: (next < found.total).then_some(next),
        items,
    }))
}
