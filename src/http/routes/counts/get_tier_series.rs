use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use super::get_tier_counts::parse_filter;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{CsvTable, TierSeriesResponse};
use crate::http::{Format, Rendered, not_modified, respond_rendered, respond_tagged, variant};
use crate::inputs::parse_optional_date;
use crate::service::{Interval, Registry, TargetPlan};

/// Period, interval, filters and breakdown of a series.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TierSeriesQuery {
    /// First day (YYYY-MM-DD); default the first day of the month eleven months before `to`'s
    /// (twelve monthly points).
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), not after today; default today.
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub to: Option<String>,
    /// `month` (default), `quarter` or `year`: calendar intervals, the first and last clipped
    /// to the period. At most 60 points.
    #[param(pattern = "^(month|quarter|year)$")]
    pub interval: Option<String>,
    /// Only this district (GB/T 2260 code of the city).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region: Option<String>,
    /// Only industry codes under this section letter (`C`) or division (`C38`).
    #[param(pattern = "^\\s*[A-Ta-t]([0-9]{2,4})?\\s*$")]
    pub industry: Option<String>,
    /// `region` or `industry` (by section letter).
    #[param(pattern = "^(region|industry)$")]
    pub group_by: Option<String>,
}

/// The default first day: twelve monthly points ending with `to`'s month.
fn default_from(to: NaiveDate) -> NaiveDate {
    to.with_day(1)
        .and_then(|first| first.checked_sub_months(Months::new(11)))
        .unwrap_or(to)
}

/// Counts per tier and tier group at the end of each month, quarter or year of `[from, to]`
/// (equal to `GET /tier-counts?as_of=<end>`), with the net change over each interval.
#[utoipa::path(
    get, path = "/api/v1/tier-counts/series", tag = "counts", params(TierSeriesQuery),
    responses(
        (status = 200, description = "The series; ETag over the body",
            body = TierSeriesResponse,
            headers(("ETag" = String, description = "Strong tag of this representation at the current snapshot key"))),
        (status = 304, description = "If-None-Match matched the current ETag"),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed, reversed or future period, an unknown interval, more than 60 points, or a bad district, industry or group_by", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_tier_series", skip_all)]
pub async fn get_tier_series(
    req: HttpRequest,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    rendered: web::Data<Rendered>,
    query: web::Query<TierSeriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let today = registry.clock().today();
    let to = parse_optional_date("to", q.to.as_deref())
        .map_err(ApiError::BadField)?
        .unwrap_or(today);
    let from = parse_optional_date("from", q.from.as_deref())
        .map_err(ApiError::BadField)?
        .unwrap_or_else(|| default_from(to));
    let interval = q
        .interval
        .as_deref()
        .map(Interval::parse)
        .transpose()
        .map_err(ApiError::BadField)?
        .unwrap_or(Interval::Month);
    let filter = parse_filter(
        &registry,
        q.region.as_deref(),
        q.industry.as_deref(),
        q.group_by.as_deref(),
    )?;
    let variant = variant(&req, Format::Json);
    // A conditional request, or a series already serialised at the current key, is answered
    // from memory; the points themselves are read on a blocking thread.
    if to <= today
        && let Some(key) = registry.counts().fresh_key()
    {
        let tag = key.tag(&variant);
        if let Some(response) = not_modified(&req, &tag) {
            return Ok(response);
        }
        if let Some(response) = respond_rendered(&req, Format::Json, tag, "tier-series", &rendered)
        {
            return Ok(response);
        }
    }
    let service = registry.clone();
    let wanted = filter.clone();
    let (key, series) = crate::telemetry::blocking(move || {
        service
            .counts()
            .series_at(from, to, interval, &wanted, &plan.groups)
    })
    .await??;
    let view = TierSeriesResponse::new(
        &series,
        filter.group_by,
        filter.region,
        filter.industry,
        registry.catalog(),
    );
    let tag = key.tag(&variant);
    // JSON only: a series has no CSV form (the counts and flows reports have).
    let csv = || CsvTable::new(&[]);
    respond_tagged(
        &req,
        Format::Json,
        tag,
        (&view, csv),
        "tier-series",
        &rendered,
    )
}
