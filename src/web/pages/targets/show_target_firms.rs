use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::view::{TargetFirmsPage, TargetQuery, target_firms_view};
use crate::domain::Role;
use crate::service::{Registry, TargetPlan};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Rows per page.
const PAGE: usize = 100;

/// The year and the page, as typed; anything unreadable falls back to the default.
#[derive(Debug, Default, Deserialize)]
pub struct FirmsQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    offset: String,
}

impl FirmsQuery {
    /// The year asked for; anything unreadable is this year.
    pub(super) fn year(&self) -> Option<i32> {
        self.year.trim().parse::<i32>().ok()
    }
}

/// `GET /targets/{id}/firms`: the firms behind a target's figure.
#[tracing::instrument(name = "web.show_target_firms", skip_all)]
pub async fn show_target_firms(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<FirmsQuery>,
) -> Result<HttpResponse, WebError> {
    let q = query.into_inner();
    let offset = q.offset.trim().parse::<usize>().unwrap_or(0);
    let query = TargetQuery {
        id: path.into_inner(),
        offset,
    };
    ok(&target_firms_page(ctx, &registry, plan, query, q.year(), PAGE).await?)
}

/// `limit` entries of target `query.id` in `year` from `query.offset`, as the page (and its
/// download) shows them.
pub(super) async fn target_firms_page(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    query: TargetQuery,
    year: Option<i32>,
    limit: usize,
) -> Result<TargetFirmsPage, WebError> {
    ctx.require(Role::Viewer)?;
    let plan = plan.into_inner();
    let read_plan = plan.clone();
    let (id, offset) = (query.id.clone(), query.offset);
    let (found, names) = blocking(registry, move |r| {
        let found = r
            .counts()
            .target_firms(&read_plan, year, &id, offset, limit)?;
        Ok((found, names(r)?))
    })
    .await??;
    Ok(target_firms_view(
        ctx,
        &found,
        &names,
        registry.catalog(),
        &plan,
        &query,
    ))
}
