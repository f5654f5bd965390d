use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::Role;
use crate::service::{CountFilter, GroupBy, Registry, TargetPlan};
use crate::web::chart::BarChart;
use crate::web::i18n::Lang;
use crate::web::pages::shared::{blocking, district_name, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// A row of the counts table.
pub struct CountRow {
    name: String,
    total: i64,
    cells: Vec<i64>,
    /// Firms counted in `total` but in no district column (registered outside the city, or
    /// under a code that is no longer a district), so that a row always adds up.
    outside: i64,
}

/// A target with its progress bar.
pub struct TargetRow {
    year: i32,
    subject: String,
    goal: String,
    actual: String,
    /// Progress in percent, 0–100 for the bar (the text shows the true figure).
    bar: u32,
    percent: String,
    status: &'static str,
    status_text: String,
    source: String,
}

/// A recent promotion or entry.
pub struct EventRow {
    date: String,
    firm_id: String,
    firm: String,
    text: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    as_of: String,
    districts: Vec<String>,
    /// Whether any row has firms outside the district columns (the 市外 column is shown).
    any_outside: bool,
    counts: Vec<CountRow>,
    chart: BarChart,
    targets: Vec<TargetRow>,
    events: Vec<EventRow>,
}

/// Recent events shown.
const RECENT: usize = 10;

/// `GET /dashboard`.
#[tracing::instrument(name = "web.dashboard", skip_all)]
pub async fn show_dashboard(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let plan = plan.into_inner();
    let groups = plan.clone();
    let (counts, targets, events, firms, names) = blocking(&registry, move |r| {
        let filter = CountFilter {
            group_by: Some(GroupBy::Region),
            ..CountFilter::default()
        };
        let counts = r.counts().tiers(None, &filter, &plan.groups)?;
        // This year's targets; early in a year before its plan is configured, the last
        // year that has one.
        let this_year = chrono::Datelike::year(&r.clock().today());
        let year = plan
            .targets
            .iter()
            .map(|t| t.year)
            .filter(|y| *y <= this_year)
            .max()
            .unwrap_or(this_year);
        // The dashboard shows no near misses: they are the targets API's costly part.
        let targets = r.counts().targets(&plan, Some(year), false)?;
        let events = r.tiers().recent_events(&["promoted", "entered"], RECENT)?;
        let mut firms = HashMap::new();
        for e in &events {
            if let Ok(f) = r.firms().get(e.firm_id) {
                firms.insert(e.firm_id, f.profile.name);
            }
        }
        Ok((counts, targets, events, firms, names(r)?))
    })
    .await??;
    let lang = ctx.lang;
    let catalog = registry.catalog();
    let district_codes: Vec<String> = catalog.districts.iter().map(|d| d.code.clone()).collect();
    let rows: Vec<CountRow> = counts
        .tiers
        .iter()
        .map(|t| {
            let cells: Vec<i64> = district_codes
                .iter()
                .map(|d| t.groups.get(d).copied().unwrap_or(0))
                .collect();
            CountRow {
                name: format!(
                    "{} · {}",
                    names.track(lang, &t.track),
                    names.tier(lang, &t.tier)
                ),
                total: t.firms,
                outside: t.firms - cells.iter().sum::<i64>(),
                cells,
            }
        })
        .collect();
    let any_outside = rows.iter().any(|r| r.outside != 0);
    let chart = BarChart::new(
        &counts
            .tiers
            .iter()
            .map(|t| (names.tier(lang, &t.tier), t.firms))
            .collect::<Vec<_>>(),
    );
    let targets = targets
        .iter()
        .map(|p| {
            let t = &p.target;
            let subject = match groups.group(&t.subject) {
                Some(g) if lang == Lang::En => g.label_en.clone(),
                Some(g) => g.label_zh.clone(),
                None => names.tier(lang, &t.subject),
            };
            let region = t
                .region
                .as_deref()
                .map(|r| format!(" · {}", district_name(catalog, lang, r)))
                .unwrap_or_default();
            let progress = p.progress.unwrap_or(0.0);
            TargetRow {
                year: t.year,
                subject: format!("{subject}{region}"),
                goal: format!(
                    "{} {} {}",
                    ctx.label("target_kind", t.kind.as_str()),
                    t.comparison.as_str(),
                    t.value
                ),
                actual: p.actual.map_or_else(|| "—".to_owned(), |a| a.to_string()),
                bar: (progress * 100.0).clamp(0.0, 100.0).round() as u32,
                percent: p
                    .progress
                    .map_or_else(|| "—".to_owned(), |x| format!("{:.0}%", x * 100.0)),
                status: p.status.as_str(),
                status_text: ctx.label("target_status", p.status.as_str()),
                source: t.source.clone(),
            }
        })
        .collect();
    let events = events
        .iter()
        .map(|e| EventRow {
            date: e.effective_on.to_string(),
            firm_id: e.firm_id.to_string(),
            firm: firms.get(&e.firm_id).cloned().unwrap_or_default(),
            text: ctx
                .label("event", e.kind.as_str())
                .replace("{track}", &names.track(lang, &e.track))
                .replace(
                    "{from}",
                    &e.from_tier
                        .as_deref()
                        .map_or_else(String::new, |t| names.tier(lang, t)),
                )
                .replace(
                    "{to}",
                    &e.to_tier
                        .as_deref()
                        .map_or_else(String::new, |t| names.tier(lang, t)),
                ),
        })
        .collect();
    ok(&DashboardPage {
        as_of: counts.as_of.to_string(),
        districts: district_codes
            .iter()
            .map(|d| district_name(catalog, lang, d))
            .collect(),
        any_outside,
        counts: rows,
        chart,
        targets,
        events,
        ctx,
    })
}
