use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::page::{page, values_of, year_of};
use crate::domain::Role;
use crate::service::Registry;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `?year=2024` opens the form of that year.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// `GET /firms/{id}/years`: every stored year, and the form of one year (the data year
/// unless `?year=` names another): filled when it is stored, empty when it is not.
pub async fn show_years(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let id = firm_id(&path)?;
    let (firm, stored) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_year_versions(id)?))
    })
    .await??;
    let today = registry.clock().today();
    let year = query
        .year
        .as_deref()
        .and_then(year_of)
        .unwrap_or_else(|| chrono::Datelike::year(&today) - 1);
    let values = ctx.values_or(|| values_of(year, &stored));
    ok(&page(ctx, &firm, &stored, today, &values, &[]))
}
