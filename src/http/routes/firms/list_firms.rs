use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::FieldError;
use crate::http::extract::{page_limit, query_text};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::FirmResponse;
use crate::service::FirmFilter;
use crate::service::{DEFAULT_PAGE, MAX_PAGE, Registry};

/// Filters and paging of the firm list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListFirmsQuery {
    /// District code (GB/T 2260), exact.
    region: Option<String>,
    /// Industry code prefix (`C` or `C38`).
    industry: Option<String>,
    /// Only firms holding a tier of this track now.
    track: Option<String>,
    /// Only firms holding this tier now; several tiers separated by commas (a tier group)
    /// match firms holding any of them.
    tier: Option<String>,
    /// Part of the name, or the start of the USCC.
    q: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50; values outside are refused with 422).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// A page of firms.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FirmPageResponse {
    /// Firms in registration order.
    pub items: Vec<FirmResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// How many firms match the filters in all; given on the first page (no `cursor`), null
    /// on later pages.
    pub total: Option<i64>,
}

/// Tier ids separated by commas; an empty one (`a,,b`) is refused.
fn tier_list(raw: &str) -> Result<Vec<String>, ApiError> {
    raw.split(',')
        .map(|t| {
            let t = t.trim();
            if t.is_empty() {
                Err(ApiError::BadField(FieldError::new(
                    "tier",
                    "invalid_tier",
                    format!("tier ids separated by commas, got {raw:?}"),
                )))
            } else {
                Ok(t.to_owned())
            }
        })
        .collect()
}

/// Lists firms, filtered, with cursor pagination and the total on the first page.
#[utoipa::path(
    get, path = "/api/v1/firms", tag = "firms", params(ListFirmsQuery),
    responses(
        (status = 200, description = "A page of firms", body = FirmPageResponse),
        (status = 400, description = "A malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_firms", skip_all)]
pub async fn list_firms(
    registry: web::Data<Registry>,
    query: web::Query<ListFirmsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let after = q
        .cursor
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            Uuid::parse_str(c).map_err(|_| {
                ApiError::BadRequest(format!("cursor {c:?} is not one this API returned"))
            })
        })
        .transpose()?;
    let filter = FirmFilter {
        region: query_text("region", q.region)?,
        industry: query_text("industry", q.industry)?.map(|s| s.to_ascii_uppercase()),
        q: query_text("q", q.q)?,
        tiers: query_text("tier", q.tier)?
            .map(|t| tier_list(&t))
            .transpose()?
            .unwrap_or_default(),
        track: query_text("track", q.track)?,
        after,
        limit: page_limit(q.limit, DEFAULT_PAGE, MAX_PAGE)?,
        // The API pages by cursor, in registration order.
        ..FirmFilter::default()
    };
    let page = crate::telemetry::blocking(move || registry.firms().list(filter)).await??;
    Ok(HttpResponse::Ok().json(FirmPageResponse {
        items: page.items.iter().map(FirmResponse::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.to_string()),
        total: page.total,
    }))
}
