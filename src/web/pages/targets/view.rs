//! The views of a target's firms and near misses: a heading naming the target and one table.

use askama::Template;

use crate::domain::RegionCatalog;
use crate::service::{TargetFirms, TargetPlan, TargetProgress};
use crate::web::PageContext;
use crate::web::context::url_encode;
use crate::web::explain::lines;
use crate::web::i18n::Lang;
use crate::web::names::Names;
use crate::web::pages::shared::{district_name, event_text};

/// Which target and page the firms page shows.
pub struct TargetQuery {
    /// The target's id.
    pub id: String,
    /// Rows skipped.
    pub offset: usize,
}

/// The target as a heading: year, subject (and district), what is measured, on which day.
pub struct TargetHeading {
    title: String,
    goal: String,
    actual: String,
    as_of: String,
    firms_href: String,
    near_href: String,
}

fn heading(
    ctx: &PageContext,
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
    p: &TargetProgress,
) -> TargetHeading {
    let t = &p.target;
    let subject = match plan.group(&t.subject) {
        Some(g) if ctx.lang == Lang::En => g.label_en.clone(),
        Some(g) => g.label_zh.clone(),
        None => names.tier(ctx.lang, &t.subject),
    };
    let region = t
        .region
        .as_deref()
        .map(|r| format!(" · {}", district_name(catalog, ctx.lang, r)))
        .unwrap_or_default();
    let page = |what: &str| format!("/targets/{}/{what}?year={}", url_encode(&t.id()), t.year);
    TargetHeading {
        title: format!("{} · {subject}{region}", t.year),
        goal: format!(
            "{} {} {}",
            ctx.label("target_kind", t.kind.as_str()),
            ctx.t(if t.comparison.as_str() == ">" {
                "op.gt"
            } else {
                "op.ge"
            }),
            t.value
        ),
        actual: p.actual.map_or_else(|| "—".to_owned(), |a| a.to_string()),
        as_of: p.as_of.to_string(),
        firms_href: page("firms"),
        near_href: page("near-misses"),
    }
}

/// A firm the target counts.
pub struct FirmRow {
    firm_id: String,
    name: String,
    tier: String,
    district: String,
    change: String,
    date: String,
    counts: String,
}

/// `GET /targets/{id}/firms`.
#[derive(Template)]
#[template(path = "targets/firms.html")]
pub struct TargetFirmsPage {
    ctx: PageContext,
    target: TargetHeading,
    total: usize,
    rows: Vec<FirmRow>,
    next_href: Option<String>,
    first_href: Option<String>,
}

/// The page of `found`.
pub fn target_firms_view(
    ctx: PageContext,
    found: &TargetFirms,
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
    query: &TargetQuery,
) -> TargetFirmsPage {
    let target = heading(&ctx, names, catalog, plan, &found.progress);
    let rows = found
        .items
        .iter()
        .map(|f| FirmRow {
            firm_id: f.firm_id.to_string(),
            name: f.name.clone(),
            tier: names.tier(ctx.lang, &f.tier),
            district: district_name(catalog, ctx.lang, &f.region_code),
            change: event_text(&ctx, names, &f.event, ""),
            date: f.event.effective_on.to_string(),
            counts: if f.counts > 0 {
                format!("+{}", f.counts)
            } else {
                format!("−{}", f.counts.unsigned_abs())
            },
        })
        .collect::<Vec<_>>();
    let base = format!(
        "/targets/{}/firms?year={}",
        url_encode(&query.id),
        found.progress.target.year
    );
    let next = query.offset + rows.len();
    TargetFirmsPage {
        next_href: (next < found.total).then(|| format!("{base}&offset={next}")),
        first_href: (query.offset > 0).then(|| base.clone()),
        total: found.total,
        rows,
        target,
        ctx,
    }
}

/// A firm close to the target's tier.
pub struct NearRow {
    firm_id: String,
    name: String,
    district: String,
    tier: String,
    gap: String,
    conditions: Vec<String>,
}

/// `GET /targets/{id}/near-misses`.
#[derive(Template)]
#[template(path = "targets/near_misses.html")]
pub struct NearMissesPage {
    ctx: PageContext,
    target: TargetHeading,
    rows: Vec<NearRow>,
}

/// The page of a target's near misses.
pub fn near_misses_view(
    ctx: PageContext,
    progress: &TargetProgress,
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
) -> NearMissesPage {
    let target = heading(&ctx, names, catalog, plan, progress);
    let rows = progress
        .near_misses
        .iter()
        .map(|n| NearRow {
            firm_id: n.firm_id.to_string(),
            name: n.name.clone(),
            district: district_name(catalog, ctx.lang, &n.region_code),
            tier: names.tier(ctx.lang, &n.tier),
            gap: n
                .relative_gap
                .map_or_else(|| "—".to_owned(), |g| format!("{:.1}%", g * 100.0)),
            conditions: n
                .conditions
                .iter()
                .flat_map(|c| lines(&ctx, names, c))
                .map(|l| l.text)
                .collect(),
        })
        .collect();
    NearMissesPage { ctx, target, rows }
}
