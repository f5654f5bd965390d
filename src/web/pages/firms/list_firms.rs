use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::list_view::{ListData, list_view};
use crate::domain::{FieldError, Role, clean_text};
use crate::service::{DEFAULT_PAGE, FirmFilter, FirmOrder, Registry, ServiceError};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Search and filters of the firm list, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) region: String,
    #[serde(default)]
    pub(super) industry: String,
    #[serde(default)]
    pub(super) tier: String,
    #[serde(default)]
    pub(super) sort: String,
    #[serde(default)]
    pub(super) page: String,
}

/// The orders the list offers, by their `sort` value; the first is the default.
pub(super) const SORTS: [(&str, FirmOrder); 4] = [
    ("registered", FirmOrder::Registered),
    ("name", FirmOrder::Name),
    ("founded", FirmOrder::FoundedOn),
    ("founded_desc", FirmOrder::FoundedOnDesc),
];

impl ListQuery {
    /// The page number asked for, from 1; anything unreadable is the first page.
    pub(super) fn page(&self) -> i64 {
        self.page
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .unwrap_or(1)
    }

    /// The order asked for; anything else is registration order.
    pub(super) fn order(&self) -> (&'static str, FirmOrder) {
        SORTS
            .into_iter()
            .find(|(name, _)| *name == self.sort.trim())
            .unwrap_or(SORTS[0])
    }
}

/// `GET /firms`: search by name or USCC, filter by district, industry and tier, sort, and a
/// numbered page at a time.
#[tracing::instrument(name = "web.list_firms", skip_all)]
pub async fn list_firms(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let query = query.into_inner();
    let (filter, errors) = filter_of(&query);
    // A search that does not parse lists nothing: its errors show beside the fields.
    let search = errors.is_empty().then_some(filter);
    let data = blocking(&registry, move |r| read(r, search)).await??;
    ok(&list_view(ctx, &query, &errors, &data, registry.catalog()))
}

/// The filter the query asks for, and the errors of values that cannot be searched for.
pub(super) fn filter_of(q: &ListQuery) -> (FirmFilter, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut text = |field: &str, raw: &str| match raw.trim() {
        "" => None,
        t => clean_text(field, t, 200).map_err(|e| errors.push(e)).ok(),
    };
    let filter = FirmFilter {
        q: text("q", &q.q),
        industry: text("industry", &q.industry).map(|s| s.to_ascii_uppercase()),
        region: text("region", &q.region),
        // A tier group's cell links with its tiers separated by commas.
        tiers: text("tier", &q.tier)
            .map(|t| t.split(',').map(|x| x.trim().to_owned()).collect())
            .unwrap_or_default(),
        track: None,
        after: None,
        limit: DEFAULT_PAGE,
        order: q.order().1,
        offset: (q.page() - 1) * DEFAULT_PAGE,
    };
    (filter, errors)
}

/// The names, and for a search a page of firms with their current tiers.
fn read(r: &Registry, search: Option<FirmFilter>) -> Result<ListData, ServiceError> {
    let names = names(r)?;
    let Some(filter) = search else {
        return Ok(ListData {
            page: None,
            tiers: HashMap::new(),
            names,
        });
    };
    let page = r.firms().list(filter)?;
    let ids: Vec<Uuid> = page.items.iter().map(|f| f.id).collect();
    let tiers = r.tiers().current(&ids)?;
    Ok(ListData {
        page: Some(page),
        tiers,
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_becomes_a_trimmed_filter_with_the_industry_in_capitals() {
        let query = ListQuery {
            q: "  星辰 ".into(),
            region: "320411".into(),
            industry: "c39".into(),
            tier: String::new(),
            sort: " founded_desc ".into(),
            page: "3".into(),
        };
        let (filter, errors) = filter_of(&query);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(filter.q.as_deref(), Some("星辰"));
        assert_eq!(filter.region.as_deref(), Some("320411"));
        assert_eq!(filter.industry.as_deref(), Some("C39"));
        assert!(filter.tiers.is_empty(), "an empty field filters nothing");
        assert_eq!(filter.order, FirmOrder::FoundedOnDesc);
        assert_eq!(filter.offset, 2 * DEFAULT_PAGE, "page 3 skips two pages");
        assert_eq!(filter.limit, DEFAULT_PAGE);
    }

    #[test]
    fn a_value_too_long_to_search_for_is_a_field_error_and_a_bad_page_or_sort_starts_over() {
        let query = ListQuery {
            q: "x".repeat(201),
            page: "zero".into(),
            sort: "salary".into(),
            ..ListQuery::default()
        };
        let (filter, errors) = filter_of(&query);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["q"]);
        assert_eq!(filter.q, None);
        assert_eq!(filter.offset, 0);
        assert_eq!(filter.order, FirmOrder::Registered);
    }
}
