use actix_web::{HttpResponse, web};

use super::form::new_page;
use crate::domain::Role;
use crate::service::Registry;
use crate::web::form::FormData;
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /firms/new`: the empty registration form.
pub async fn new_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let values = ctx.values_or(FormData::default);
    ok(&new_page(ctx, registry.catalog(), &values, &[]))
}
