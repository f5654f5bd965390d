use actix_web::{HttpResponse, web};

use super::list_firms::{ListQuery, filter_of};
use super::list_view::{ListData, firm_row};
use crate::domain::Role;
use crate::service::{FirmFilter, FirmPage, MAX_PAGE, Registry, ServiceError};
use crate::web::pages::shared::{blocking, names};
use crate::web::xlsx::{self, Cell, Sheet};
use crate::web::{PageContext, WebError};

/// The most firms one download holds: every page of any list a district or tier gives today,
/// and a bound on the memory a workbook takes (about 2 MB).
pub const MAX_EXPORT: usize = 10_000;

/// `GET /firms.xlsx`: every page of the list `/firms` shows for the same search, at most
/// [`MAX_EXPORT`] firms, in the page's columns.
#[tracing::instrument(name = "web.firms_xlsx", skip_all)]
pub async fn download_firms(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let query = query.into_inner();
    let (filter, errors) = filter_of(&query);
    // A search the list page would refuse has no rows to download.
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let data = blocking(&registry, move |r| read_all(r, filter)).await??;
    let catalog = registry.catalog();
    let mut rows: Vec<Vec<Cell>> = data
        .page
        .iter()
        .flat_map(|p| &p.items)
        .map(|f| {
            let r = firm_row(&ctx, &data, catalog, f);
            vec![
                Cell::Text(r.name),
                Cell::Text(r.uscc),
                Cell::Text(r.district),
                Cell::Text(r.industry),
                Cell::Text(r.founded_on),
                Cell::Text(r.tiers.join("、")),
            ]
        })
        .collect();
    if data.page.as_ref().is_some_and(|p| p.next_cursor.is_some()) {
        rows.push(vec![Cell::Text(
            ctx.t("firms.export_capped")
                .replace("{n}", &MAX_EXPORT.to_string()),
        )]);
    }
    let t = |key: &str| ctx.t(key).to_owned();
    let sheet = Sheet {
        name: t("firms.title"),
        header: vec![
            t("field.name"),
            t("field.uscc"),
            t("field.region_code"),
            t("field.industry_code"),
            t("field.founded_on"),
            t("firms.tiers"),
        ],
        rows,
    };
    xlsx::download(xlsx::workbook(&[sheet])?, "firms.xlsx")
}

/// Every page of the list (up to the cap) as one page, in the list's order, with the firms'
/// tiers; the page's `next_cursor` is set (to the last firm) when firms were left out.
fn read_all(r: &Registry, mut filter: FirmFilter) -> Result<ListData, ServiceError> {
    let mut items = Vec::new();
    let mut capped = false;
    // Pages by offset: a cursor pages registration order only, the list offers others.
    filter.after = None;
    filter.offset = 0;
    loop {
        let remaining = MAX_EXPORT - items.len();
        // With the cap reached, one more firm tells whether any was left out.
        filter.limit = MAX_PAGE.min(i64::try_from(remaining).unwrap_or(MAX_PAGE).max(1));
        let page = r.firms().list(filter.clone())?;
        let got = page.items.len();
        if remaining == 0 {
            capped = got > 0;
            break;
        }
        items.extend(page.items);
        if i64::try_from(got).unwrap_or(0) < filter.limit {
            break;
        }
        filter.offset += i64::try_from(got).unwrap_or(0);
    }
    let ids: Vec<_> = items.iter().map(|f| f.id).collect();
    let tiers = r.tiers().current(&ids)?;
    Ok(ListData {
        page: Some(FirmPage {
            total: None,
            next_cursor: capped.then(|| items.last().map(|f| f.id)).flatten(),
            items,
        }),
        tiers,
        names: names(r)?,
    })
}
