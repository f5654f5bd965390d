use actix_web::{HttpResponse, web};

use super::form::{edit_page, values_of};
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
    // A kept form keeps the version it was opened at: if the firm changed meanwhile, saving
    // it shows the conflict page rather than overwriting.
    let values = ctx.values_or(|| values_of(&firm));
    let version = crate::web::form::parse_int("version", values.get("version"))
        .ok()
        .flatten()
        .unwrap_or(firm.version);
    let title = format!(
        "{}{}{}",
        ctx.t("firm.edit_title"),
        ctx.t("punct.colon"),
        firm.profile.name
    );
    let catalog = registry.catalog();
    ok(&edit_page(ctx, catalog, (id, version), title, &values, &[]))
}
