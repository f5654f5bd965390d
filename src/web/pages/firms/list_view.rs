//! The firm list's view model: the search form as typed, a page of firms as rows, and the
//! links to the next and the first page. Pure, so it is tested without a server.

use std::collections::HashMap;

use askama::Template;
use uuid::Uuid;

use super::list_firms::ListQuery;
use crate::domain::{FieldError, Firm, RegionCatalog};
use crate::service::FirmPage;
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

/// The firm list page.
#[derive(Template)]
#[template(path = "firms/list.html")]
pub struct ListPage {
    ctx: PageContext,
    form: FormView,
    rows: Vec<FirmRow>,
    /// Firms matching the search in all (first page only).
    total: Option<i64>,
    next_href: Option<String>,
    first_href: Option<String>,
    /// Every page of the same search as a spreadsheet.
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
        .finish();
    let (rows, next_cursor) = match &data.page {
        Some(page) => (
            page.items
                .iter()
                .map(|f| firm_row(&ctx, data, catalog, f))
                .collect(),
            page.next_cursor,
        ),
        None => (Vec::new(), None),
    };
    // The same search again, from the first page or after a cursor.
    let base = format!(
        "/firms?q={}&region={}&industry={}&tier={}",
        url_encode(&query.q),
        url_encode(&query.region),
        url_encode(&query.industry),
        url_encode(&query.tier)
    );
    ListPage {
        xlsx_href: base.replacen("/firms?", "/firms.xlsx?", 1),
        total: data.page.as_ref().and_then(|p| p.total),
        next_href: next_cursor.map(|c| format!("{base}&cursor={c}")),
        first_href: query.after().map(|_| base.clone()),
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
        industry: f.profile.industry_code.to_string(),
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
