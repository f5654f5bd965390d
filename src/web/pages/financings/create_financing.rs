use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::page;
use super::record::input_of;
use crate::domain::Role;
use crate::service::{Registry, ServiceError};
use crate::web::form_key;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// `POST /firms/{id}/financings`: records a round; the firm is reclassified at once.
/// Implausible figures come back with a confirmation choice to set and submit again.
#[tracing::instrument(name = "web.create_financing", skip_all, fields(firm.id = %path))]
pub async fn create_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let id = firm_id(&path)?;
    let key = form_key::posted(&ctx, &form)?;
    let (input, mut errors) = input_of(&form);
    let confirm = form.get("confirm") == "yes";
    if errors.is_empty() {
        let actor = ctx.actor();
        match blocking(&registry, move |r| {
            r.figures()
                .add_financing(id, &input, confirm, &actor, key.as_ref())
        })
        .await?
        {
            Ok(_) => return Ok(see_other(&format!("/firms/{id}"), "financing_added")),
            Err(ServiceError::Validation(e)) => errors.extend(e.0),
            Err(ServiceError::Conflict(e)) => errors.push(e),
            Err(other) => return Err(other.into()),
        }
    } else if let Err(e) = input.parse(None, registry.parse_context()) {
        // A sum that is not a number stops the write; the other fields are still checked
        // (without writing) so every error shows at once.
        errors.extend(e.0);
    }
    let (firm, rounds) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_financings(id)?))
    })
    .await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, &firm, &rounds, &form, &errors),
    )
}
