use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::inputs::parse_optional_date;

use crate::domain::{FieldError, IndustryCode, RegionCode};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::TierCountsResponse;
use crate::http::{
    Format, Rendered, negotiate, not_modified, respond_rendered, respond_tagged, variant,
};
use crate::service::{CountFilter, GroupBy, Registry, TargetPlan, TierCounts};

/// Date, filters and breakdown of the counts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TierCountsQuery {
    /// YYYY-MM-DD, not after today; without it the live counts are read.
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub as_of: Option<String>,
    /// Only this district (GB/T 2260 code of the city).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region: Option<String>,
    /// Only industry codes under this section letter (`C`) or division (`C38`).
    #[param(pattern = "^\\s*[A-Ta-t]([0-9]{2,4})?\\s*$")]
    pub industry: Option<String>,
    /// `region` or `industry` (by section letter).
    #[param(pattern = "^(region|industry)$")]
    pub group_by: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also asks for CSV.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// Parses the district, industry and breakdown shared by counts and flows.
pub(super) fn parse_filter(
    registry: &Registry,
    region: Option<&str>,
    industry: Option<&str>,
    group_by: Option<&str>,
) -> Result<CountFilter, ApiError> {
    let catalog = registry.catalog();
    let region = region
        .map(|r| {
            let code = RegionCode::parse(r, catalog).map_err(|mut e| {
                e.field = "region".into();
                ApiError::BadField(e)
            })?;
            // Firms are registered in a district, so any other code would only ever count 0.
            if catalog.districts.iter().any(|d| d.code == code.as_str()) {
                Ok(code)
            } else {
                Err(ApiError::BadField(FieldError::new(
                    "region",
                    "not_a_district",
                    format!("{r} is not a district of {}", catalog.city_name),
                )))
            }
        })
        .transpose()?;
    let industry = industry
        .map(|i| {
            IndustryCode::parse(i).map_err(|mut e| {
                e.field = "industry".into();
                ApiError::BadField(e)
            })
        })
        .transpose()?;
    Ok(CountFilter {
        region: region.map(|r| r.as_str().to_owned()),
        industry: industry.map(|i| i.as_str().to_owned()),
        group_by: group_by
            .map(GroupBy::parse)
            .transpose()
            .map_err(ApiError::BadField)?,
    })
}

/// Firms per track and tier (every tier of the rule set in force, 0 when empty) and per
/// configured tier group; live, or as of a past date.
#[utoipa::path(
    get, path = "/api/v1/tier-counts", tag = "counts", params(TierCountsQuery),
    responses(
        (status = 200, description = "Counts (JSON, or CSV with format=csv or Accept: text/csv); ETag over the body",
            content((TierCountsResponse = "application/json"), (String = "text/csv")),
            headers(("ETag" = String, description = "Strong tag of this representation at the current snapshot key (ledger position, rule publications, date)"))),
        (status = 304, description = "If-None-Match matched the current ETag"),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed date, district, industry, group_by or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "get_tier_counts", skip_all)]
pub async fn get_tier_counts(
    req: HttpRequest,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    rendered: web::Data<Rendered>,
    query: web::Query<TierCountsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = negotiate(&req, q.format.as_deref())?;
    let as_of = parse_optional_date("as_of", q.as_of.as_deref()).map_err(ApiError::BadField)?;
    let filter = parse_filter(
        &registry,
        q.region.as_deref(),
        q.industry.as_deref(),
        q.group_by.as_deref(),
    )?;
    let variant = variant(&req, format);
    let today = registry.clock().today();
    // A conditional request, or an answer already computed at the current key, is served
    // from memory without a blocking thread or a database read.
    if as_of.is_none_or(|day| day <= today)
        && let Some(key) = registry.counts().fresh_key()
    {
        let tag = key.tag(&variant);
        if let Some(response) = not_modified(&req, &tag) {
            return Ok(response);
        }
        if let Some(response) = respond_rendered(&req, format, tag, "tier-counts", &rendered) {
            return Ok(response);
        }
        if let Some((key, counts)) =
            registry
                .counts()
                .tiers_from_memory(as_of, &filter, &plan.groups)
        {
            let tag = key.tag(&variant);
            return represent(&req, format, &registry, &counts, filter, tag, &rendered);
        }
    }
    let service = registry.clone();
    let wanted = filter.clone();
    let (key, counts) =
        crate::telemetry::blocking(move || service.counts().tiers_at(as_of, &wanted, &plan.groups))
            .await??;
    let tag = key.tag(&variant);
    represent(&req, format, &registry, &counts, filter, tag, &rendered)
}

fn represent(
    req: &HttpRequest,
    format: Format,
    registry: &Registry,
    counts: &TierCounts,
    filter: CountFilter,
    tag: String,
    rendered: &Rendered,
) -> Result<HttpResponse, ApiError> {
    let view = TierCountsResponse::new(
        counts,
        filter.group_by,
        filter.region,
        filter.industry,
        registry.catalog(),
        registry.clock().today(),
    );
    let csv = || view.to_csv();
    respond_tagged(req, format, tag, (&view, csv), "tier-counts", rendered)
}
