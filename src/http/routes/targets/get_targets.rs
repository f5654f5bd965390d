use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::FieldError;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{CsvTable, TargetProgressResponse, TargetsResponse};
use crate::http::{Format, Rendered, not_modified, respond_rendered, respond_tagged, variant};
use crate::service::{Registry, TargetPlan};

/// The plan year and, optionally, one district.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetsQuery {
    /// Calendar year, 2000–2100; default this year.
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// Only the targets set for this district (GB/T 2260, six digits); without it, the
    /// city-wide targets and every district's.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$")]
    pub region: Option<String>,
}

/// The district asked for (`region`), six digits.
fn parse_region(raw: Option<String>) -> Result<Option<String>, ApiError> {
    match raw {
        None => Ok(None),
        Some(raw) if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(raw)),
        Some(raw) => Err(ApiError::BadField(FieldError::new(
            "region",
            "invalid_region",
            format!("must be a six-digit GB/T 2260 code, got {raw:?}"),
        ))),
    }
}

/// The year asked for (`year`), default this year.
pub(super) fn parse_year(registry: &Registry, raw: Option<String>) -> Result<i32, ApiError> {
    match raw {
        None => Ok(registry.clock().today().year()),
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
            }),
    }
}

/// Each target of the year with the actual figure, progress, the progress a linear pace
/// would have reached today, status and the firms closest to entering the tier.
#[utoipa::path(
    get, path = "/api/v1/targets", tag = "counts", params(TargetsQuery),
    responses(
        (status = 200, description = "The year's targets", body = TargetsResponse,
            headers(("ETag" = String, description = "Strong tag at the current snapshot key"))),
        (status = 304, description = "If-None-Match matched the current ETag"),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed year or region", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_targets", skip_all)]
pub async fn get_targets(
    req: HttpRequest,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    rendered: web::Data<Rendered>,
    query: web::Query<TargetsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let year = parse_year(&registry, query.year)?;
    let region = parse_region(query.region)?;
    let variant = variant(&req, Format::Json);
    // Near-miss gaps move with facts that change no tier: the tag covers the newest audit
    // entry as well as the snapshot key.
    if let Some(tag) = registry.counts().fresh_tag_with_facts(&variant) {
        if let Some(response) = not_modified(&req, &tag) {
            return Ok(response);
        }
        if let Some(response) = respond_rendered(&req, Format::Json, tag, "targets", &rendered) {
            return Ok(response);
        }
    }
    let service = registry.clone();
    let (version, items) =
        crate::telemetry::blocking(move || service.counts().targets_at(&plan, Some(year), true))
            .await??;
    let view = TargetsResponse {
        year,
        items: items
            .iter()
            .filter(|p| region.is_none() || p.target.region == region)
            .map(TargetProgressResponse::from)
            .collect(),
    };
    let csv = CsvTable::default;
    let tag = version.tag(&variant);
    respond_tagged(&req, Format::Json, tag, (&view, csv), "targets", &rendered)
}
