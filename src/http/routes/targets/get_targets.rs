use actix_web::{HttpResponse, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::FieldError;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{TargetProgressResponse, TargetsResponse};
use crate::service::{Registry, TargetPlan};

/// The plan year.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetsQuery {
    /// Calendar year, 2000–2100; default this year.
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
}

/// Each target of the year with the actual figure, progress, the progress a linear pace
/// would have reached today, status and the firms closest to entering the tier.
#[utoipa::path(
    get, path = "/api/v1/targets", tag = "counts", params(TargetsQuery),
    responses(
        (status = 200, description = "The year's targets", body = TargetsResponse),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed year", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_targets", skip_all)]
pub async fn get_targets(
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    query: web::Query<TargetsQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = match query.into_inner().year {
        None => registry.clock().today().year(),
        Some(raw) => raw
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                ApiError::BadField(FieldError::new(
                    "year",
                    "invalid_year",
                    format!("must be a year from 2000 to 2100, got {raw:?}"),
                ))
            })?,
    };
    let items =
        crate::telemetry::blocking(move || registry.counts().targets(&plan, Some(year), true))
            .await??;
    Ok(HttpResponse::Ok().json(TargetsResponse {
        year,
        items: items.iter().map(TargetProgressResponse::from).collect(),
    }))
}
