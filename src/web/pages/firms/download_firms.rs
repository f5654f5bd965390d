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
    let (mut filter, errors) = filter_of(&query);
    // A search the list page would refuse has no rows to download.
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    filter.after = None;
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

/// Every page of the list (up to the cap) as one page, with the firms' tiers; the page's
/// `next_cursor` is set when firms were left out.
fn read_all(r: &Registry, mut filter: FirmFilter) -> Result<ListData, ServiceError> {
    let mut items = Vec::new();
    let mut next_cursor = None;
    loop {
        filter.limit = MAX_PAGE.min(i64::try_from(MAX_EXPORT - items.len()).unwrap_or(MAX_PAGE));
        let page = r.firms().list(filter.clone())?;
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) if items.len() < MAX_EXPORT => filter.after = Some(cursor),
            rest => {
                next_cursor = rest.or(next_cursor);
                break;
            }
        }
    }
    let ids: Vec<_> = items.iter().map(|f| f.id).collect();
    let tiers = r.tiers().current(&ids)?;
    Ok(ListData {
        page: Some(FirmPage {
            total: None,
            items,
            next_cursor,
        }),
        tiers,
        names: names(r)?,
    })
}
