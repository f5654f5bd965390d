use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::inputs::parse_optional_date;

use crate::http::problem::{ApiError, Problem};
use crate::http::views::TierFlowsResponse;
use crate::http::{Rendered, negotiate, not_modified, respond_rendered, respond_tagged, variant};
use crate::service::{GroupBy, Registry};

/// Period and breakdown of the flows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TierFlowsQuery {
    /// First day (YYYY-MM-DD); default 1 January of this year.
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), not after today; default today.
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub to: Option<String>,
    /// `region` or `industry` (by section letter).
    #[param(pattern = "^(region|industry)$")]
    pub group_by: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also asks for CSV.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// Per track and tier over `[from, to]`: opening, entered, promoted in, demoted in, moved in,
/// promoted out, demoted out, exited, moved out, closing and net, where
/// `opening + ins − outs = closing`.
#[utoipa::path(
    get, path = "/api/v1/tier-flows", tag = "counts", params(TierFlowsQuery),
    responses(
        (status = 200, description = "Flows (JSON, or CSV with format=csv or Accept: text/csv); ETag over the body",
            content((TierFlowsResponse = "application/json"), (String = "text/csv")),
            headers(("ETag" = String, description = "Strong tag of this representation"))),
        (status = 304, description = "If-None-Match matched the current ETag"),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed or reversed period, or a bad group_by or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_tier_flows", skip_all)]
pub async fn get_tier_flows(
    req: HttpRequest,
    registry: web::Data<Registry>,
    rendered: web::Data<Rendered>,
    query: web::Query<TierFlowsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = negotiate(&req, q.format.as_deref())?;
    let today = registry.clock().today();
    let from = parse_optional_date("from", q.from.as_deref())
        .map_err(ApiError::BadField)?
        .unwrap_or_else(|| today.with_ordinal(1).unwrap_or(today));
    let to = parse_optional_date("to", q.to.as_deref())
        .map_err(ApiError::BadField)?
        .unwrap_or(today);
    let group_by = q
        .group_by
        .as_deref()
        .map(GroupBy::parse)
        .transpose()
        .map_err(ApiError::BadField)?;
    let variant = variant(&req, format);
    if to <= today
        && let Some(key) = registry.counts().fresh_key()
    {
        let tag = key.tag(&variant);
        if let Some(response) = not_modified(&req, &tag) {
            return Ok(response);
        }
        if let Some(response) = respond_rendered(&req, format, tag, "tier-flows", &rendered) {
            return Ok(response);
        }
        if let Some((key, flows)) = registry.counts().flows_from_memory(from, to, group_by) {
            let view = TierFlowsResponse::new(&flows, group_by, registry.catalog());
            let csv = || view.to_csv();
            let tag = key.tag(&variant);
            return respond_tagged(&req, format, tag, (&view, csv), "tier-flows", &rendered);
        }
    }
    let service = registry.clone();
    let (key, flows) =
        crate::telemetry::blocking(move || service.counts().flows_at(from, to, group_by)).await??;
    let view = TierFlowsResponse::new(&flows, group_by, registry.catalog());
    let csv = || view.to_csv();
    let tag = key.tag(&variant);
    respond_tagged(&req, format, tag, (&view, csv), "tier-flows", &rendered)
}
