use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::{Role, clean_text};
use crate::service::{DEFAULT_PAGE, FirmFilter, Registry};
use crate::web::context::url_encode;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::shared::{blocking, district_choices, district_name, names, with_any};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Search and filters of the firm list, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    cursor: String,
}

/// A row of the list.
pub struct FirmRow {
    id: Uuid,
    name: String,
    uscc: String,
    district: String,
    industry: String,
    founded_on: String,
    tiers: Vec<String>,
}

#[derive(Template)]
#[template(path = "firms/list.html")]
struct ListPage {
    ctx: PageContext,
    form: FormView,
    rows: Vec<FirmRow>,
    next_href: Option<String>,
    first_href: Option<String>,
}

/// `GET /firms`: search by name or USCC, filter by district, industry and tier, a page at a
/// time.
#[tracing::instrument(name = "web.list_firms", skip_all)]
pub async fn list_firms(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let text = |field: &str, raw: &str, errors: &mut Vec<_>| match raw.trim() {
        "" => None,
        t => clean_text(field, t, 200).map_err(|e| errors.push(e)).ok(),
    };
    let search = text("q", &q.q, &mut errors);
    let industry = text("industry", &q.industry, &mut errors).map(|s| s.to_ascii_uppercase());
    let region = text("region", &q.region, &mut errors);
    let tier = text("tier", &q.tier, &mut errors);
    let after = Uuid::parse_str(q.cursor.trim()).ok();
    let filter = FirmFilter {
        region,
        industry,
        q: search,
        tier,
        after,
        limit: DEFAULT_PAGE,
    };
    let ok_to_search = errors.is_empty();
    let (page, tiers, names) = blocking(&registry, move |r| {
        let names = names(r)?;
        if !ok_to_search {
            return Ok((None, Default::default(), names));
        }
        let page = r.firms().list(filter)?;
        let ids: Vec<Uuid> = page.items.iter().map(|f| f.id).collect();
        let tiers = r.tiers().current(&ids)?;
        Ok((Some(page), tiers, names))
    })
    .await??;
    let mut values = FormData::default();
    values.set("q", q.q.clone());
    values.set("region", q.region.clone());
    values.set("industry", q.industry.clone());
    values.set("tier", q.tier.clone());
    let catalog = registry.catalog();
    let form = FormBuilder::new(&ctx, &values, &errors)
        .text("q", false)
        .select(
            "region",
            false,
            &with_any(&ctx, district_choices(catalog, ctx.lang)),
        )
        .text("industry", false)
        .select("tier", false, &with_any(&ctx, names.tier_choices(ctx.lang)))
        .finish();
    let (rows, next_cursor) = match page {
        Some(page) => (
            page.items
                .iter()
                .map(|f| FirmRow {
                    id: f.id,
                    name: f.profile.name.clone(),
                    uscc: f.profile.uscc.to_string(),
                    district: district_name(catalog, ctx.lang, f.profile.region_code.as_str()),
                    industry: f.profile.industry_code.to_string(),
                    founded_on: f.profile.founded_on.to_string(),
                    tiers: tiers
                        .get(&f.id)
                        .map(|ts| ts.iter().map(|(_, t)| names.tier(ctx.lang, t)).collect())
                        .unwrap_or_default(),
                })
                .collect(),
            page.next_cursor,
        ),
        None => (Vec::new(), None),
    };
    let base = format!(
        "/firms?q={}&region={}&industry={}&tier={}",
        url_encode(&q.q),
        url_encode(&q.region),
        url_encode(&q.industry),
        url_encode(&q.tier)
    );
    ok(&ListPage {
        next_href: next_cursor.map(|c| format!("{base}&cursor={c}")),
        first_href: after.map(|_| base.clone()),
        form,
        rows,
        ctx,
    })
}
