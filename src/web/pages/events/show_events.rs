use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::{FieldError, IndustryCode, RegionCatalog, Role, TierEvent, parse_date};
use crate::service::{EventFilter, Registry, ServiceError};
use crate::web::context::url_encode;
use crate::web::names::Names;
use crate::web::pages::shared::{blocking, district_name, event_text, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Events per page.
const PAGE: i64 = 100;

/// The filters, as typed; the names are the API's (`/api/v1/tier-events`).
#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    after: String,
}

impl EventsQuery {
    /// The same filters as a query string, without the page.
    fn filters(&self) -> String {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("track", &self.track),
            ("tier", &self.tier),
            ("kind", &self.kind),
            ("region", &self.region),
            ("industry", &self.industry),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// The filter the query asks for, or the errors of what cannot be searched for.
fn filter_of(q: &EventsQuery) -> Result<EventFilter, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_owned);
    let mut date = |field: &str, v: &str| match text(v) {
        None => None,
        Some(v) => parse_date(field, &v).map_err(|e| errors.push(e)).ok(),
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    let industry = text(&q.industry).and_then(|i| {
        IndustryCode::parse(&i)
            .map(|c| c.as_str().to_owned())
            .map_err(|mut e| {
                e.field = "industry".into();
                errors.push(e);
            })
            .ok()
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(EventFilter {
        after: q.after.trim().parse().unwrap_or(0),
        track: text(&q.track),
        kind: text(&q.kind),
        region: text(&q.region),
        industry,
        tier: text(&q.tier),
        from,
        to,
        limit: PAGE,
        ..EventFilter::default()
    })
}

/// A page of events; a `tier` of several tiers separated by commas (a tier group) reads each
/// tier's page after the same position and keeps the first `PAGE` of their union, in ledger
/// order, so that paging on from the last position misses nothing.
fn events_of(r: &Registry, filter: EventFilter) -> Result<Vec<TierEvent>, ServiceError> {
    let Some(tiers) = filter.tier.as_deref().filter(|t| t.contains(',')) else {
        return r.tiers().events(filter);
    };
    let mut all: Vec<TierEvent> = Vec::new();
    for tier in tiers.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        all.extend(r.tiers().events(EventFilter {
            tier: Some(tier.to_owned()),
            ..filter.clone()
        })?);
    }
    all.sort_by_key(|e| e.position);
    all.dedup_by_key(|e| e.position);
    all.truncate(usize::try_from(PAGE).unwrap_or(100));
    Ok(all)
}

/// An event in words.
pub struct EventRow {
    date: String,
    firm_id: Uuid,
    firm: String,
    district: String,
    change: String,
    cause: String,
    actor: String,
}

/// `GET /events`.
#[derive(Template)]
#[template(path = "events.html")]
pub struct EventsPage {
    ctx: PageContext,
    /// The filters in words (period, tier, district…).
    summary: Vec<String>,
    errors: Vec<String>,
    rows: Vec<EventRow>,
    next_href: Option<String>,
    first_href: Option<String>,
    api_href: String,
}

fn row(
    ctx: &PageContext,
    names: &Names,
    catalog: &RegionCatalog,
    firms: &HashMap<Uuid, String>,
    e: &TierEvent,
) -> EventRow {
    EventRow {
        date: e.effective_on.to_string(),
        firm_id: e.firm_id,
        firm: firms.get(&e.firm_id).cloned().unwrap_or_default(),
        district: district_name(catalog, ctx.lang, &e.region_code),
        change: event_text(ctx, names, e, ""),
        cause: ctx.label("cause", e.cause.as_str()),
        actor: e.actor.clone(),
    }
}

/// `GET /events?from=&to=&track=&tier=&kind=&region=&industry=`: the ledger's events a
/// dashboard figure counts, each with its firm, a page at a time in ledger order.
#[tracing::instrument(name = "web.show_events", skip_all)]
pub async fn show_events(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let q = query.into_inner();
    let filters = q.filters();
    let (errors, found) = match filter_of(&q) {
        Err(errors) => (errors, None),
        Ok(filter) => {
            let read = blocking(&registry, move |r| {
                let events = events_of(r, filter)?;
                let ids: Vec<Uuid> = events.iter().map(|e| e.firm_id).collect();
                Ok((events, r.firms().names(&ids)?, names(r)?))
            })
            .await?;
            match read {
                Ok(found) => (Vec::new(), Some(found)),
                // An unknown track or tier is the query's mistake: shown, not a failure.
                Err(ServiceError::Validation(e)) => (e.0, None),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let catalog = registry.catalog();
    let (rows, next) = match &found {
        Some((events, firms, names)) => (
            events
                .iter()
                .map(|e| row(&ctx, names, catalog, firms, e))
                .collect::<Vec<_>>(),
            (events.len() as i64 == PAGE)
                .then(|| events.last().map(|e| e.position))
                .flatten(),
        ),
        None => (Vec::new(), None),
    };
    let names = found.as_ref().map(|f| &f.2);
    let mut summary = Vec::new();
    if !q.from.trim().is_empty() || !q.to.trim().is_empty() {
        summary.push(format!("{} ~ {}", q.from.trim(), q.to.trim()));
    }
    if let (Some(names), false) = (names, q.tier.trim().is_empty()) {
        let tiers: Vec<String> = q
            .tier
            .split(',')
            .map(|t| names.tier(ctx.lang, t.trim()))
            .collect();
        summary.push(tiers.join("、"));
    } else if let (Some(names), false) = (names, q.track.trim().is_empty()) {
        summary.push(names.track(ctx.lang, q.track.trim()));
    }
    if !q.kind.trim().is_empty() {
        summary.push(ctx.label("event_kind", q.kind.trim()));
    }
    if !q.region.trim().is_empty() {
        summary.push(district_name(catalog, ctx.lang, q.region.trim()));
    }
    if !q.industry.trim().is_empty() {
        summary.push(q.industry.trim().to_owned());
    }
    let errors = errors
        .iter()
        .map(|e| {
            format!(
                "{}{}{}",
                ctx.label("field", &e.field),
                ctx.t("punct.colon"),
                crate::web::form::message(&ctx, e)
            )
        })
        .collect();
    ok(&EventsPage {
        summary,
        errors,
        rows,
        next_href: next.map(|p| format!("/events?{filters}&after={p}")),
        first_href: q
            .after
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|a| *a > 0)
            .map(|_| format!("/events?{filters}")),
        api_href: format!("/api/v1/tier-events?{filters}"),
        ctx,
    })
}
