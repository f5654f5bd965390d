use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::FieldError;
use crate::http::extract::{district_code, page_limit, query_text};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::AlertsResponse;
use crate::service::{
    AlertKind, AlertQuery, DEFAULT_ALERT_DAYS, DEFAULT_ALERT_MARGIN_PERCENT, MAX_ALERT_DAYS,
    MAX_ALERT_MARGIN_PERCENT, Registry,
};

/// Which warnings, where, at which thresholds, and the page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertsQuery {
    /// `certificate_expiring`, `leaves_at_new_year`, `missing_figures` or `near_loss`;
    /// default all.
    #[param(pattern = "^(certificate_expiring|leaves_at_new_year|missing_figures|near_loss)?$")]
    pub kind: Option<String>,
    /// Only firms in this district (six-digit code).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region: Option<String>,
    /// Certificates whose cover ends within this many days, 1–366 (default 90).
    #[param(minimum = 1, maximum = 366)]
    pub within_days: Option<i64>,
    /// Tiers whose rule passes by less than this percentage, 1–50 (default 10).
    #[param(minimum = 1, maximum = 50)]
    pub margin_percent: Option<i64>,
    /// Warnings to skip (the `next_offset` of the previous page); default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size, 1–1000 (default 100; values outside are refused with 422).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

fn in_range(field: &str, raw: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadField(FieldError::new(
            field,
            "out_of_range",
            format!("must be between 1 and {max}, got {n}"),
        ))),
    }
}

/// Parses the query into the service's terms.
pub(crate) fn alert_query(q: AlertsQuery) -> Result<AlertQuery, ApiError> {
    let kind = query_text("kind", q.kind)?
        .map(|k| AlertKind::parse(&k))
        .transpose()
        .map_err(ApiError::BadField)?;
    let region = query_text("region", q.region)?
        .map(district_code)
        .transpose()?;
    let offset = usize::try_from(q.offset.unwrap_or(0)).map_err(|_| {
        ApiError::BadField(FieldError::new(
            "offset",
            "out_of_range",
            "must be 0 or more",
        ))
    })?;
    Ok(AlertQuery {
        kind,
        region,
        within_days: in_range(
            "within_days",
            q.within_days,
            DEFAULT_ALERT_DAYS,
            MAX_ALERT_DAYS,
        )?,
        margin_percent: in_range(
            "margin_percent",
            q.margin_percent,
            i64::from(DEFAULT_ALERT_MARGIN_PERCENT),
            i64::from(MAX_ALERT_MARGIN_PERCENT),
        )?
        .unsigned_abs() as u32,
        offset,
        limit: page_limit(q.limit, 100, 1_000)?.unsigned_abs() as usize,
    })
}

/// Early warnings, as of today: high-tech certificates whose cover ends within
/// `within_days`; tiers firms hold today and lose on the coming 1 January (data-year
/// rollover, age, or the rules in force then); firms without figures for the data year the
/// rules read today; tiers held by less than `margin_percent`. Each links to its firm.
/// Computed in one scan of the firms per version of the data and kept.
#[utoipa::path(
    get, path = "/api/v1/alerts", tag = "counts", params(AlertsQuery),
    responses(
        (status = 200, description = "A page of warnings with the count of each kind", body = AlertsResponse),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed kind, district, threshold, offset or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_alerts", skip_all)]
pub async fn list_alerts(
    registry: web::Data<Registry>,
    query: web::Query<AlertsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = alert_query(query.into_inner())?;
    let (offset, within, margin) = (query.offset, query.within_days, query.margin_percent);
    let service = registry.clone();
    let page = crate::telemetry::blocking(move || service.counts().alerts(&query)).await??;
    Ok(HttpResponse::Ok().json(AlertsResponse::new(&page, offset, within, margin)))
}
