use actix_web::{HttpResponse, web};

use super::show_near_misses::{NearQuery, near_misses_page};
use super::show_target_firms::{FirmsQuery, target_firms_page};
use super::view::TargetQuery;
use crate::service::{Registry, TargetPlan};
use crate::web::xlsx::{self, Cell, Sheet};
use crate::web::{PageContext, WebError};

/// The most entries one download holds (a bound on the workbook's memory).
const MAX_EXPORT: usize = 10_000;

/// `GET /targets/{id}/firms.xlsx`: every entry the target's figure counts (all pages, at most
/// [`MAX_EXPORT`]), in the page's columns and words.
#[tracing::instrument(name = "web.target_firms_xlsx", skip_all)]
pub async fn download_target_firms(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<FirmsQuery>,
) -> Result<HttpResponse, WebError> {
    let year = query.into_inner().year();
    let target = TargetQuery {
        id: path.into_inner(),
        offset: 0,
    };
    let page = target_firms_page(ctx, &registry, plan, target, year, MAX_EXPORT).await?;
    let total = page.total();
    let ctx = page.context();
    let mut rows: Vec<Vec<Cell>> = page
        .rows()
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.tier.clone()),
                Cell::Text(r.district.clone()),
                Cell::Text(r.date.clone()),
                Cell::Text(r.change.clone()),
                Cell::Int(r.count),
            ]
        })
        .collect();
    if total > MAX_EXPORT {
        rows.push(vec![Cell::Text(
            ctx.t("alerts.export_capped")
                .replace("{n}", &MAX_EXPORT.to_string()),
        )]);
    }
    let t = |key: &str| ctx.t(key).to_owned();
    let sheet = Sheet {
        name: t("dashboard.target_firms"),
        header: vec![
            t("field.name"),
            t("dashboard.tier"),
            t("field.region_code"),
            t("alerts.date"),
            t("targets.event"),
            t("targets.counts"),
        ],
        rows,
    };
    xlsx::download(xlsx::workbook(&[sheet])?, "target-firms.xlsx")
}

/// `GET /targets/{id}/near-misses.xlsx`: the target's near misses as the page lists them.
#[tracing::instrument(name = "web.near_misses_xlsx", skip_all)]
pub async fn download_near_misses(
    ctx: PageContext,
    registry: web::Data<Registry>,
    plan: web::Data<TargetPlan>,
    path: web::Path<String>,
    query: web::Query<NearQuery>,
) -> Result<HttpResponse, WebError> {
    let year = query.into_inner().year();
    let page = near_misses_page(ctx, &registry, plan, path.into_inner(), year).await?;
    let ctx = page.context();
    let rows = page
        .rows()
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.district.clone()),
                Cell::Text(r.tier.clone()),
                Cell::Text(r.gap.clone()),
                Cell::Text(r.conditions.join("；")),
            ]
        })
        .collect();
    let t = |key: &str| ctx.t(key).to_owned();
    let sheet = Sheet {
        name: t("dashboard.near_misses"),
        header: vec![
            t("field.name"),
            t("field.region_code"),
            t("dashboard.tier"),
            t("targets.gap"),
            t("targets.conditions"),
        ],
        rows,
    };
    xlsx::download(xlsx::workbook(&[sheet])?, "near-misses.xlsx")
}
