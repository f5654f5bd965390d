//! The dashboard's view model: what the service read, turned into the rows, bars and labels
//! the template places. Pure, so the numbers and words are tested without a server.

use std::collections::HashMap;

use askama::Template;
use uuid::Uuid;

use super::cockpit::{CockpitData, CockpitView, cockpit_view};
use crate::domain::{RegionCatalog, TierEvent};
use crate::service::{TargetPlan, TargetProgress, TierCounts, TierTally};
use crate::web::PageContext;
use crate::web::chart::{BarChart, BarRow};
use crate::web::context::url_encode;
use crate::web::i18n::Lang;
use crate::web::names::Names;
use crate::web::pages::shared::{district_name, event_text};
use crate::web::pages::targets::{TargetCard, card};

/// What the dashboard shows, as the service hands it out.
pub struct DashboardData {
    /// Counts per tier, grouped by district.
    pub counts: TierCounts,
    /// The shown year's targets.
    pub targets: Vec<TargetProgress>,
    /// Recent promotions and entries, newest first.
    pub events: Vec<TierEvent>,
    /// Names of the firms in `events` (a firm that cannot be read shows no name).
    pub firm_names: HashMap<Uuid, String>,
    /// Names of the rule set in force.
    pub names: Names,
    /// Trends, comparisons, ranking and industries.
    pub cockpit: CockpitData,
}

/// A count and the staff firm list behind it.
pub struct CountCell {
    firms: i64,
    href: String,
}

/// A row of the counts table.
pub struct CountRow {
    name: String,
    total: i64,
    /// The firm list of the whole row.
    href: String,
    cells: Vec<CountCell>,
    /// Firms counted in `total` but in no district column (registered outside the city, or
    /// under a code that is no longer a district), so that a row always adds up.
    outside: i64,
}

/// A recent promotion or entry.
pub struct EventRow {
    date: String,
    firm_id: String,
    firm: String,
    text: String,
}

/// The dashboard page.
#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    ctx: PageContext,
    as_of: String,
    districts: Vec<String>,
    /// Whether any row has firms outside the district columns (the 市外 column is shown).
    any_outside: bool,
    counts: Vec<CountRow>,
    chart: BarChart,
    cockpit: CockpitView,
    targets: Vec<TargetCard>,
    events: Vec<EventRow>,
}

/// The page for `data`: districts in the catalogue's order, target subjects named by the
/// plan's groups (else as tiers).
pub fn dashboard_view(
    ctx: PageContext,
    data: &DashboardData,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
) -> DashboardPage {
    let names = &data.names;
    let district_codes: Vec<String> = catalog.districts.iter().map(|d| d.code.clone()).collect();
    let counts: Vec<CountRow> = data
        .counts
        .tiers
        .iter()
        .map(|t| count_row(ctx.lang, names, &district_codes, t))
        .collect();
    let chart = BarChart::new(
        &data
            .counts
            .tiers
            .iter()
            .map(|t| BarRow {
                panel: names.track(ctx.lang, &t.track),
                label: names.tier(ctx.lang, &t.tier),
                value: t.firms,
                href: format!("/firms?tier={}", url_encode(&t.tier)),
            })
            .collect::<Vec<_>>(),
    );
    let cockpit = cockpit_view(ctx.lang, names, catalog, &data.counts, &data.cockpit);
    let targets = data
        .targets
        .iter()
        .map(|p| card(&ctx, names, catalog, plan, p))
        .collect();
    let events = data
        .events
        .iter()
        .map(|e| EventRow {
            date: e.effective_on.to_string(),
            firm_id: e.firm_id.to_string(),
            firm: data.firm_names.get(&e.firm_id).cloned().unwrap_or_default(),
            text: event_text(&ctx, names, e, ""),
        })
        .collect();
    DashboardPage {
        as_of: data.counts.as_of.to_string(),
        districts: district_codes
            .iter()
            .map(|d| district_name(catalog, ctx.lang, d))
            .collect(),
        any_outside: counts.iter().any(|r| r.outside != 0),
        counts,
        chart,
        cockpit,
        targets,
        events,
        ctx,
    }
}

/// A tier's count per district column, and what no column holds.
fn count_row(lang: Lang, names: &Names, districts: &[String], t: &TierTally) -> CountRow {
    let list = |region: &str| {
        let mut href = format!("/firms?tier={}", url_encode(&t.tier));
        if !region.is_empty() {
            href.push_str("&region=");
            href.push_str(&url_encode(region));
        }
        href
    };
    let cells: Vec<CountCell> = districts
        .iter()
        .map(|d| CountCell {
            firms: t.groups.get(d).copied().unwrap_or(0),
            href: list(d),
        })
        .collect();
    CountRow {
        href: list(""),
        name: format!(
            "{} · {}",
            names.track(lang, &t.track),
            names.tier(lang, &t.tier)
        ),
        total: t.firms,
        outside: t.firms - cells.iter().map(|c| c.firms).sum::<i64>(),
        cells,
    }
}

#[cfg(test)]
mod tests;
mod xlsx;
