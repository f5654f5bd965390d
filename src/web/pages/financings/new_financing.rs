use actix_web::{HttpResponse, web};

use super::page::page;
use crate::domain::Role;
use crate::service::Registry;
use crate::web::form::FormData;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/financings/new`: the rounds so far (each with 修改 and 撤回) and an
/// empty form.
pub async fn new_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let id = firm_id(&path)?;
    let (firm, rounds) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_financings(id)?))
    })
    .await??;
    let values = ctx.values_or(|| {
        let mut values = FormData::default();
        values.set("amount_currency", "CNY");
        values.set("post_money_valuation_currency", "CNY");
        values
    });
    ok(&page(ctx, &firm, &rounds, &values, &[]))
}
