use actix_web::{HttpResponse, web};
use chrono::Datelike;
use serde::Deserialize;

use super::view::{TargetsFilter, targets_view};
use crate::domain::Role;
use crate::service::{Registry, TargetPlan};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// The year and district, as typed; anything unreadable means the default.
#[derive(Debug, Default, Deserialize)]
pub struct TargetsQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    region: String,
}

/// `GET /targets?year=&region=`: a year's targets as cards, city-wide and per district, or one
/// district's.
#[tracing::instrument(name = "web.show_targets", skip_all)]
pub async fn show_targets(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    query: web::Query<TargetsQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let q = query.into_inner();
    let plan = plan.into_inner();
    let this_year = registry.clock().today().year();
    // A year outside the plan's range would be refused by the service; fall back instead.
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| planned_year(&plan, this_year));
    let region = Some(q.region.trim().to_owned())
        .filter(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit()));
    let read_plan = plan.clone();
    let (targets, names) = blocking(&registry, move |r| {
        Ok((
            r.counts().targets(&read_plan, Some(year), false)?,
            names(r)?,
        ))
    })
    .await??;
    let filter = TargetsFilter { year, region };
    ok(&targets_view(
        ctx,
        &targets,
        &names,
        registry.catalog(),
        &plan,
        &filter,
    ))
}

/// This year if it has targets, else the last planned year before it (or this year).
fn planned_year(plan: &TargetPlan, this_year: i32) -> i32 {
    plan.targets
        .iter()
        .map(|t| t.year)
        .filter(|y| *y <= this_year)
        .max()
        .unwrap_or(this_year)
}
