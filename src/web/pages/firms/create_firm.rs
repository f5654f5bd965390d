use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::form::{input, new_page};
use crate::domain::Role;
use crate::service::{Created, Registry, ServiceError};
use crate::web::form_key;
use crate::web::pages::shared::blocking;
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// `POST /firms`: registers a firm, or shows the form again with every error beside its
/// field and what was typed kept.
#[tracing::instrument(name = "web.create_firm", skip_all)]
pub async fn create_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let firm_input = input(&form);
    let key = form_key::posted(&ctx, &form)?;
    let actor = ctx.actor();
    let outcome = blocking(&registry, move |r| {
        r.firms().register(&firm_input, &actor, key.as_ref())
    })
    .await?;
    let errors = match outcome {
        Ok(Created::New(firm)) => {
            return Ok(see_other(&format!("/firms/{}", firm.id), "firm_registered"));
        }
        Ok(Created::Replayed(id)) => {
            return Ok(see_other(&format!("/firms/{id}"), "firm_registered"));
        }
        Err(ServiceError::Validation(errors)) => errors.0,
        Err(ServiceError::Conflict(error)) => vec![error],
        Err(other) => return Err(other.into()),
    };
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &new_page(ctx, registry.catalog(), &form, &errors),
    )
}
