use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::inputs::parse_optional_date;

use crate::domain::{FieldError, IndustryCode};
use crate::http::extract::{district_code, page_limit, query_text};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{TierEventPage, TierEventResponse};
use crate::service::EventFilter;
use crate::service::{MAX_EVENTS, Registry, ServiceError};

const KINDS: [&str; 5] = ["entered", "promoted", "demoted", "exited", "moved"];

/// Feed position and filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TierEventsQuery {
    /// Only events after this position (the `next_after` of the previous page); default 0.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Only this track (an id of a track of a published rule set; another is refused with 422).
    pub track: Option<String>,
    /// `entered`, `promoted`, `demoted`, `exited` or `moved`.
    #[param(pattern = "^(entered|promoted|demoted|exited|moved)?$")]
    pub kind: Option<String>,
    /// Only events from or to this tier (either side).
    pub tier: Option<String>,
    /// Only events from this tier (promotions, demotions and exits out of it).
    pub from_tier: Option<String>,
    /// Only events to this tier (entries, promotions and demotions into it).
    pub to_tier: Option<String>,
    /// Only firms in this district (six-digit code, at the time of the event).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region: Option<String>,
    /// Only firms whose industry code (at the time of the event) is under this section letter
    /// (`C`) or division (`C38`).
    #[param(pattern = "^\\s*[A-Ta-t]([0-9]{2,4})?\\s*$")]
    pub industry: Option<String>,
    /// Effective on or after (YYYY-MM-DD).
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub from: Option<String>,
    /// Effective on or before (YYYY-MM-DD).
    #[param(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    pub to: Option<String>,
    /// Page size, 1–1000 (default 100; values outside are refused with 422).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The ledger as a resumable feed, in position order; every filter narrows it.
#[utoipa::path(
    get, path = "/api/v1/tier-events", tag = "tiers", params(TierEventsQuery),
    responses(
        (status = 200, description = "A page of the ledger", body = TierEventPage),
        (status = 400, description = "An unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed filter, an unknown track or tier, or `to` before `from`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_tier_events", skip_all)]
pub async fn list_tier_events(
    registry: web::Data<Registry>,
    query: web::Query<TierEventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut q = query.into_inner();
    q.kind = query_text("kind", q.kind)?;
    if let Some(kind) = &q.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(ApiError::BadField(FieldError::new(
            "kind",
            "invalid_kind",
            format!("must be one of {}, got {kind:?}", KINDS.join(", ")),
        )));
    }
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::BadField(FieldError::new(
            "after",
            "out_of_range",
            "ledger positions start at 1; use 0 to read from the beginning",
        )));
    }
    let from = parse_optional_date("from", q.from.as_deref()).map_err(ApiError::BadField)?;
    let to = parse_optional_date("to", q.to.as_deref()).map_err(ApiError::BadField)?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::BadField(FieldError::new(
            "to",
            "before_from",
            format!("{to} is before from {from}"),
        )));
    }
    let filter = EventFilter {
        after,
        track: query_text("track", q.track)?,
        kind: q.kind,
        region: query_text("region", q.region)?
            .map(district_code)
            .transpose()?,
        industry: query_text("industry", q.industry)?
            .map(|i| {
                IndustryCode::parse(&i)
                    .map(|code| code.as_str().to_owned())
                    .map_err(|mut e| {
                        e.field = "industry".into();
                        ApiError::BadField(e)
                    })
            })
            .transpose()?,
        tier: query_text("tier", q.tier)?,
        from_tier: query_text("from_tier", q.from_tier)?,
        to_tier: query_text("to_tier", q.to_tier)?,
        from,
        to,
        limit: page_limit(q.limit, 100, MAX_EVENTS)?,
    };
    let events = crate::telemetry::blocking(move || registry.tiers().events(filter)).await??;
    let items = events
        .iter()
        .map(TierEventResponse::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Service(ServiceError::Unexpected(e)))?;
    let next_after = items.last().map_or(after, |e| e.position);
    Ok(HttpResponse::Ok().json(TierEventPage { items, next_after }))
}
