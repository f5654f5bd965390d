use actix_web::{HttpResponse, web};

use super::form::{FirmFormPage, fields, values_of};
use crate::domain::Role;
use crate::service::Registry;
use crate::web::pages::shared::{firm_id, load_firm};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/edit`: the form filled with the stored firm and its version.
pub async fn edit_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let id = firm_id(&path)?;
    let firm = load_firm(&registry, id).await?;
    let form = fields(&ctx, registry.catalog(), &values_of(&firm), &[], true);
    ok(&FirmFormPage {
        title: format!(
            "{}{}{}",
            ctx.t("firm.edit_title"),
            ctx.t("punct.colon"),
            firm.profile.name
        ),
        action: format!("/firms/{id}/edit"),
        cancel: format!("/firms/{id}"),
        version: Some(firm.version),
        form,
        ctx,
    })
}
