use actix_web::{HttpResponse, web};

use super::form::{FirmFormPage, fields};
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
    let form = fields(&ctx, registry.catalog(), &values, &[], false);
    ok(&FirmFormPage {
        title: ctx.t("firm.new_title").to_owned(),
        action: "/firms".into(),
        cancel: "/firms".into(),
        version: None,
        form,
        ctx,
    })
}
