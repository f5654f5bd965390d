use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::view::{NearMissesPage, near_misses_view};
use crate::domain::Role;
use crate::service::{Registry, TargetPlan};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// The year, as typed; anything unreadable means this year.
#[derive(Debug, Default, Deserialize)]
pub struct NearQuery {
    #[serde(default)]
    year: String,
}

impl NearQuery {
    /// The year asked for; anything unreadable is this year.
    pub(super) fn year(&self) -> Option<i32> {
        self.year.trim().parse::<i32>().ok()
    }
}

/// `GET /targets/{id}/near-misses`: the firms closest to a target's tier, smallest gap
/// first, each with the conditions it still fails.
#[tracing::instrument(name = "web.show_near_misses", skip_all)]
pub async fn show_near_misses(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<NearQuery>,
) -> Result<HttpResponse, WebError> {
    let year = query.into_inner().year();
    ok(&near_misses_page(ctx, &registry, plan, path.into_inner(), year).await?)
}

/// The near-miss page of target `id` in `year`: what the page and its download show.
pub(super) async fn near_misses_page(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    id: String,
    year: Option<i32>,
) -> Result<NearMissesPage, WebError> {
    ctx.require(Role::Viewer)?;
    let plan = plan.into_inner();
    let read_plan = plan.clone();
    let (progress, names) = blocking(registry, move |r| {
        let progress = r.counts().target_near_misses(&read_plan, year, &id)?;
        Ok((progress, names(r)?))
    })
    .await??;
    Ok(near_misses_view(
        ctx,
        &progress,
        &names,
        registry.catalog(),
        &plan,
    ))
}
