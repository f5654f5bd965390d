use actix_web::{HttpResponse, web};

use super::show_alerts::{AlertsForm, query_of};
use super::view::{AlertsData, alert_rows};
use crate::domain::Role;
use crate::service::Registry;
use crate::web::pages::shared::{blocking, names};
use crate::web::xlsx::{self, Cell, Sheet};
use crate::web::{PageContext, WebError};

/// The most warnings one download holds (a bound on the workbook's memory, about 2 MB).
pub const MAX_EXPORT: usize = 10_000;

/// `GET /alerts.xlsx`: every warning `/alerts` lists for the same filters (all pages, at most
/// [`MAX_EXPORT`]), in the page's columns and words.
#[tracing::instrument(name = "web.alerts_xlsx", skip_all)]
pub async fn download_alerts(
    ctx: PageContext,
    registry: web::Data<Registry>,
    form: web::Query<AlertsForm>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let (mut query, errors) = query_of(&form.into_inner());
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    query.offset = 0;
    query.limit = MAX_EXPORT;
    let data = blocking(&registry, move |r| {
        Ok(AlertsData {
            page: r.counts().alerts(&query)?,
            names: names(r)?,
        })
    })
    .await??;
    let mut rows: Vec<Vec<Cell>> = alert_rows(&ctx, &data, registry.catalog())
        .into_iter()
        .map(|r| {
            let what = if r.conditions.is_empty() {
                r.text
            } else {
                format!("{}：{}", r.text, r.conditions.join("；"))
            };
            vec![
                Cell::Text(r.kind),
                Cell::Text(r.name),
                Cell::Text(r.district),
                Cell::Text(r.held.join("、")),
                Cell::Text(what),
                Cell::Text(r.date),
            ]
        })
        .collect();
    if data.page.total > MAX_EXPORT {
        rows.push(vec![Cell::Text(
            ctx.t("alerts.export_capped")
                .replace("{n}", &MAX_EXPORT.to_string()),
        )]);
    }
    let t = |key: &str| ctx.t(key).to_owned();
    let sheet = Sheet {
        name: t("alerts.title"),
        header: vec![
            t("alerts.kind"),
            t("field.name"),
            t("field.region_code"),
            t("firms.tiers"),
            t("alerts.what"),
            t("alerts.date"),
        ],
        rows,
    };
    xlsx::download(xlsx::workbook(&[sheet])?, "alerts.xlsx")
}
