use std::collections::HashMap;

use actix_web::{HttpResponse, web};

use super::cockpit::{CockpitData, Days};
use super::view::{DashboardData, dashboard_view};
use crate::domain::Role;
use crate::service::{
    CountFilter, FirmFilter, GroupBy, Interval, Registry, ServiceError, TargetPlan, TierCounts,
};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::xlsx;
use crate::web::{PageContext, WebError};

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
    let read_plan = plan.clone();
    let data = blocking(&registry, move |r| read(r, &read_plan)).await??;
    ok(&dashboard_view(ctx, &data, registry.catalog(), &plan))
}

/// `GET /dashboard.xlsx`: the dashboard's tables, one worksheet each, from the same view
/// model as the page.
#[tracing::instrument(name = "web.dashboard_xlsx", skip_all)]
pub async fn download_dashboard(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let plan = plan.into_inner();
    let read_plan = plan.clone();
    let data = blocking(&registry, move |r| read(r, &read_plan)).await??;
    let page = dashboard_view(ctx, &data, registry.catalog(), &plan);
    let bytes = xlsx::workbook(&page.sheets())?;
    xlsx::download(bytes, &format!("dashboard-{}.xlsx", data.counts.as_of))
}

/// Everything the dashboard shows, read on the blocking pool.
fn read(r: &Registry, plan: &TargetPlan) -> Result<DashboardData, ServiceError> {
    let filter = CountFilter {
        group_by: Some(GroupBy::Region),
        ..CountFilter::default()
    };
    let counts = r.counts().tiers(None, &filter, &plan.groups)?;
    let year = shown_year(plan, chrono::Datelike::year(&r.clock().today()));
    // The dashboard shows no near misses: they are the targets API's costly part.
    let targets = r.counts().targets(plan, Some(year), false)?;
    let events = r.tiers().recent_events(&["promoted", "entered"], RECENT)?;
    let mut firm_names = HashMap::new();
    for e in &events {
        if let Ok(f) = r.firms().get(e.firm_id) {
            firm_names.insert(e.firm_id, f.profile.name);
        }
    }
    let cockpit = read_cockpit(r, plan, &counts)?;
    Ok(DashboardData {
        counts,
        targets,
        events,
        firm_names,
        names: names(r)?,
        cockpit,
    })
}

/// The trend, the comparisons, the industries and each district's firms in any tier.
pub(super) fn read_cockpit(
    r: &Registry,
    plan: &TargetPlan,
    today: &TierCounts,
) -> Result<CockpitData, ServiceError> {
    let days = Days::of(today.as_of);
    let counts = r.counts();
    let by = |group_by| CountFilter {
        group_by: Some(group_by),
        ..CountFilter::default()
    };
    let (_, series) = counts.series_at(
        days.trend_from,
        today.as_of,
        Interval::Month,
        &CountFilter::default(),
        &plan.groups,
    )?;
    let tiers: Vec<String> = today.tiers.iter().map(|t| t.tier.clone()).collect();
    let mut district_firms = Vec::new();
    for district in &r.catalog().districts {
        // The firm list's own total, so the ranking's figure is the row count its link shows
        // (a firm holding tiers of two tracks counts once).
        let page = r.firms().list(FirmFilter {
            region: Some(district.code.clone()),
            tiers: tiers.clone(),
            limit: 1,
            ..FirmFilter::default()
        })?;
        let firms = if tiers.is_empty() {
            0
        } else {
            page.total.unwrap_or(0)
        };
        district_firms.push((district.code.clone(), firms));
    }
    Ok(CockpitData {
        series,
        year_end: counts.tiers(Some(days.year_end), &by(GroupBy::Region), &plan.groups)?,
        year_ago: counts.tiers(Some(days.year_ago), &CountFilter::default(), &plan.groups)?,
        industries: counts.tiers(None, &by(GroupBy::Industry), &plan.groups)?,
        district_firms,
    })
}

/// The year whose targets are shown: this year's; early in a year before its plan is
/// configured, the last year that has one.
fn shown_year(plan: &TargetPlan, this_year: i32) -> i32 {
    plan.targets
        .iter()
        .map(|t| t.year)
        .filter(|y| *y <= this_year)
        .max()
        .unwrap_or(this_year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Comparison, Target, TargetKind};

    fn plan(years: &[i32]) -> TargetPlan {
        let target = |year: i32| Target {
            year,
            subject: "gazelle".into(),
            kind: TargetKind::Stock,
            comparison: Comparison::Gt,
            value: 1,
            region: None,
            source: String::new(),
        };
        TargetPlan {
            groups: Vec::new(),
            targets: years.iter().map(|y| target(*y)).collect(),
        }
    }

    #[test]
    fn the_shown_year_is_this_one_or_the_last_planned_before_it() {
        assert_eq!(shown_year(&plan(&[2025, 2026, 2027]), 2026), 2026);
        assert_eq!(shown_year(&plan(&[2024, 2025, 2028]), 2026), 2025);
        assert_eq!(
            shown_year(&plan(&[2028]), 2026),
            2026,
            "none before: this year"
        );
        assert_eq!(shown_year(&plan(&[]), 2026), 2026);
    }
}
