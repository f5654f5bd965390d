//! The firm list's view model: the search form as typed, a page of firms as rows, and the
//! links to the next and the first page. Pure, so it is tested without a server.

use std::collections::HashMap;

use askama::Template;
use uuid::Uuid;

use super::list_firms::{ListQuery, SORTS};
use crate::domain::{FieldError, Firm, IndustryCode, RegionCatalog};
use crate::service::{DEFAULT_PAGE, FirmPage};
use crate::web::PageContext;
use crate::web::context::url_encode;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::names::Names;
use crate::web::pages::shared::{district_choices, district_name, with_any};

/// What the list shows, as the service hands it out.
pub struct ListData {
    /// The page of firms; `None` when the search did not parse.
    pub page: Option<FirmPage>,
    /// The current (track, tier) pairs of the listed firms.
    pub tiers: HashMap<Uuid, Vec<(String, String)>>,
    /// Names of the rule set in force.
    pub names: Names,
}

/// A row of the list.
pub struct FirmRow {
    id: Uuid,
    pub(super) name: String,
    pub(super) uscc: String,
    pub(super) district: String,
    pub(super) industry: String,
    pub(super) founded_on: String,
    pub(super) tiers: Vec<String>,
}

/// A link of the pager: a page number (or a gap), and whether it is the page shown.
pub struct PageLink {
    label: String,
    href: Option<String>,
    current: bool,
}

/// The firm list page.
#[derive(Template)]
#[template(path = "firms/list.html")]
pub struct ListPage {
    ctx: PageContext,
    form: FormView,
    rows: Vec<FirmRow>,
    /// Firms matching the search in all.
    total: Option<i64>,
    /// The page shown and the number of pages.
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// Numbered links: the first, the last, and two either side of the page shown.
    numbers: Vec<PageLink>,
    /// Every page of the same search, in the same order, as a spreadsheet.
    xlsx_href: String,
}

/// The page for `query` (as typed, with its `errors`) and what it found.
pub fn list_view(
    ctx: PageContext,
    query: &ListQuery,
    errors: &[FieldError],
    data: &ListData,
    catalog: &RegionCatalog,
) -> ListPage {
    let mut values = FormData::default();
    values.set("q", query.q.clone());
    values.set("region", query.region.clone());
    values.set("industry", query.industry.clone());
    values.set("tier", query.tier.clone());
    let (sort, _) = query.order();
    values.set("sort", sort);
    let sorts = SORTS
        .iter()
        .map(|(name, _)| ((*name).to_owned(), ctx.label("sort", name)))
        .collect::<Vec<_>>();
    let form = FormBuilder::new(&ctx, &values, errors)
        .text("q", false)
        .select(
            "region",
            false,
            &with_any(&ctx, district_choices(catalog, ctx.lang)),
        )
        .text("industry", false)
        .select(
            "tier",
            false,
            &with_any(&ctx, data.names.tier_choices(ctx.lang)),
        )
        .select("sort", false, &sorts)
        .finish();
    let rows: Vec<FirmRow> = data.page.as_ref().map_or_else(Vec::new, |page| {
        page.items
            .iter()
            .map(|f| firm_row(&ctx, data, catalog, f))
            .collect()
    });
    // The same search and order again, on another page.
    let href = |page: i64| {
        format!(
            "/firms?q={}&region={}&industry={}&tier={}&sort={sort}&page={page}",
            url_encode(&query.q),
            url_encode(&query.region),
            url_encode(&query.industry),
            url_encode(&query.tier)
        )
    };
    let total = data.page.as_ref().and_then(|p| p.total);
    let page = query.page();
    let pages = total.map_or(page, |t| ((t + DEFAULT_PAGE - 1) / DEFAULT_PAGE).max(1));
    let mut numbers = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || (n - page).abs() <= 2 {
            if n > last_shown + 1 {
                numbers.push(PageLink {
                    label: "…".into(),
                    href: None,
                    current: false,
                });
            }
            numbers.push(PageLink {
                label: n.to_string(),
                href: Some(href(n)),
                current: n == page,
            });
            last_shown = n;
        }
    }
    ListPage {
        xlsx_href: href(1)
            .replacen("/firms?", "/firms.xlsx?", 1)
            .replace("&page=1", ""),
        total,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        numbers: if pages > 1 { numbers } else { Vec::new() },
        page,
        pages,
        form,
        rows,
        ctx,
    }
}

pub(super) fn firm_row(
    ctx: &PageContext,
    data: &ListData,
    catalog: &RegionCatalog,
    f: &Firm,
) -> FirmRow {
    FirmRow {
        id: f.id,
        name: f.profile.name.clone(),
        uscc: f.profile.uscc.to_string(),
        district: district_name(catalog, ctx.lang, f.profile.region_code.as_str()),
        // The section's name beside the code: officials read 制造业, not C.
        industry: IndustryCode::section_name(f.profile.industry_code.section()).map_or_else(
            || f.profile.industry_code.to_string(),
            |name| format!("{}（{name}）", f.profile.industry_code),
        ),
        founded_on: f.profile.founded_on.to_string(),
        tiers: data
            .tiers
            .get(&f.id)
            .map(|ts| {
                ts.iter()
                    .map(|(_, t)| data.names.tier(ctx.lang, t))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
