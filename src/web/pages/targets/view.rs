//! The views of a target's firms and near misses: a heading naming the target and one table.

use askama::Template;

use super::card::{TargetCard, card};
use crate::domain::RegionCatalog;
use crate::service::{
    Comparison, Target, TargetFirms, TargetKind, TargetPlan, TargetProgress, TargetStatus,
};
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
    pub(super) title: String,
    /// The subject (and district) without the year.
    pub(super) subject: String,
    pub(super) goal: String,
    pub(super) actual: String,
    pub(super) measured: String,
    pub(super) status: &'static str,
    pub(super) status_text: String,
    pub(super) history: Option<String>,
    pub(super) firms_href: String,
    pub(super) near_href: String,
}

/// The subject's name in the page's language: a group's label or the tier's, never its id
/// when the rule set names it.
pub(crate) fn subject_name(
    ctx: &PageContext,
    names: &Names,
    plan: &TargetPlan,
    subject: &str,
) -> String {
    match plan.group(subject) {
        Some(g) if ctx.lang == Lang::En => g.label_en.clone(),
        Some(g) => g.label_zh.clone(),
        None => names.tier(ctx.lang, subject),
    }
}

/// What the target asks, in words: kind, 超过 / 不少于, figure.
pub(crate) fn goal_text(ctx: &PageContext, t: &Target) -> String {
    let op = if t.comparison == Comparison::Gt {
        "gt"
    } else {
        "ge"
    };
    format!(
        "{} {} {}",
        ctx.label("target_kind", t.kind.as_str()),
        ctx.label("target_op", op),
        t.value
    )
}

/// The day the figure is taken, saying when the year is over and the status final.
pub(crate) fn measured_text(ctx: &PageContext, p: &TargetProgress) -> String {
    let key = if p.closed {
        "dashboard.measured_closed"
    } else {
        "dashboard.measured_on"
    };
    ctx.t(key).replace("{day}", &p.as_of.to_string())
}

/// When the ledger begins inside the period: from which day the figure counts (none for a
/// stock recorded on its day, which is whole).
pub(crate) fn history_text(ctx: &PageContext, p: &TargetProgress) -> Option<String> {
    let day = p.history_from?;
    if p.actual.is_none() && p.status == TargetStatus::IncompleteHistory {
        return Some(
            ctx.t("dashboard.history_none")
                .replace("{day}", &day.to_string()),
        );
    }
    (p.target.kind != TargetKind::Stock).then(|| {
        ctx.t("dashboard.history_partial")
            .replace("{day}", &day.to_string())
            .replace("{from}", &p.counted_from.to_string())
    })
}

pub(super) fn heading(
    ctx: &PageContext,
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
    p: &TargetProgress,
) -> TargetHeading {
    let t = &p.target;
    let subject = subject_name(ctx, names, plan, &t.subject);
    let region = t
        .region
        .as_deref()
        .map(|r| format!(" · {}", district_name(catalog, ctx.lang, r)))
        .unwrap_or_default();
    let page = |what: &str| format!("/targets/{}/{what}?year={}", url_encode(&t.id()), t.year);
    TargetHeading {
        title: format!("{} · {subject}{region}", t.year),
        subject: format!("{subject}{region}"),
        goal: goal_text(ctx, t),
        actual: p.actual.map_or_else(|| "—".to_owned(), |a| a.to_string()),
        measured: measured_text(ctx, p),
        status: p.status.as_str(),
        status_text: ctx.label("target_status", p.status.as_str()),
        history: history_text(ctx, p),
        firms_href: page("firms"),
        near_href: page("near-misses"),
    }
}

/// Which targets the targets page shows.
pub struct TargetsFilter {
    /// The plan year.
    pub year: i32,
    /// One district's targets only.
    pub region: Option<String>,
}

/// A link of the page's year or district choice.
pub struct Choice {
    label: String,
    href: String,
    current: bool,
}

/// `GET /targets`.
#[derive(Template)]
#[template(path = "targets/list.html")]
pub struct TargetsPage {
    ctx: PageContext,
    year: i32,
    none: String,
    years: Vec<Choice>,
    districts: Vec<Choice>,
    cards: Vec<TargetCard>,
}

/// The page of a year's targets (`filter.region`: one district's).
pub fn targets_view(
    ctx: PageContext,
    targets: &[TargetProgress],
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
    filter: &TargetsFilter,
) -> TargetsPage {
    let mut years: Vec<i32> = plan.targets.iter().map(|t| t.year).collect();
    years.push(filter.year);
    years.sort_unstable();
    years.dedup();
    let region_query = filter
        .region
        .as_deref()
        .map(|r| format!("&region={r}"))
        .unwrap_or_default();
    let years = years
        .into_iter()
        .map(|y| Choice {
            label: y.to_string(),
            href: format!("/targets?year={y}{region_query}"),
            current: y == filter.year,
        })
        .collect();
    let mut regions: Vec<String> = targets
        .iter()
        .filter_map(|p| p.target.region.clone())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    let mut districts = vec![Choice {
        label: ctx.t("targets.all").to_owned(),
        href: format!("/targets?year={}", filter.year),
        current: filter.region.is_none(),
    }];
    districts.extend(regions.into_iter().map(|r| Choice {
        label: district_name(catalog, ctx.lang, &r),
        href: format!("/targets?year={}&region={r}", filter.year),
        current: filter.region.as_deref() == Some(r.as_str()),
    }));
    let cards = targets
        .iter()
        .filter(|p| filter.region.is_none() || p.target.region == filter.region)
        .map(|p| card(&ctx, names, catalog, plan, p))
        .collect();
    TargetsPage {
        year: filter.year,
        none: ctx
            .t("targets.none_year")
            .replace("{year}", &filter.year.to_string()),
        years,
        districts,
        cards,
        ctx,
    }
}

/// A firm the target counts.
pub struct FirmRow {
    firm_id: String,
    pub(super) name: String,
    pub(super) tier: String,
    pub(super) district: String,
    pub(super) change: String,
    pub(super) date: String,
    counts: String,
    /// What it adds to the figure, as a number (for a spreadsheet to sum).
    pub(super) count: i64,
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

impl TargetFirmsPage {
    /// The page's context (its language), for a download built from the page.
    pub(super) fn context(&self) -> &PageContext {
        &self.ctx
    }

    /// The rows the page shows.
    pub(super) fn rows(&self) -> &[FirmRow] {
        &self.rows
    }

    /// Entries the target counts in all (the page may show fewer).
    pub(super) fn total(&self) -> usize {
        self.total
    }
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
            count: f.counts,
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
    pub(super) name: String,
    pub(super) district: String,
    pub(super) tier: String,
    pub(super) gap: String,
    pub(super) conditions: Vec<String>,
}

/// `GET /targets/{id}/near-misses`.
#[derive(Template)]
#[template(path = "targets/near_misses.html")]
pub struct NearMissesPage {
    ctx: PageContext,
    target: TargetHeading,
    rows: Vec<NearRow>,
}

impl NearMissesPage {
    /// The page's context (its language), for a download built from the page.
    pub(super) fn context(&self) -> &PageContext {
        &self.ctx
    }

    /// The rows the page shows.
    pub(super) fn rows(&self) -> &[NearRow] {
        &self.rows
    }
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
