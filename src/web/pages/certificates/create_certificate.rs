use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::page;
use crate::domain::Role;
use crate::inputs::CertificateInput;
use crate::service::{Registry, ServiceError};
use crate::web::form_key;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// `POST /firms/{id}/certificates`: records a certificate (expiry defaults to three years
/// less a day); the firm is reclassified at once.
#[tracing::instrument(name = "web.create_certificate", skip_all, fields(firm.id = %path))]
pub async fn create_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let id = firm_id(&path)?;
    let key = form_key::posted(&ctx, &form)?;
    let input = CertificateInput {
        kind: form.text("kind"),
        number: form.text("number"),
        issued_on: form.date("issued_on"),
        expires_on: form.opt_date("expires_on"),
    };
    let actor = ctx.actor();
    let errors = match blocking(&registry, move |r| {
        r.figures()
            .add_certificate(id, &input, &actor, key.as_ref())
    })
    .await?
    {
        Ok(_) => return Ok(see_other(&format!("/firms/{id}"), "certificate_added")),
        Err(ServiceError::Validation(e)) => e.0,
        Err(ServiceError::Conflict(e)) => vec![e],
        Err(other) => return Err(other.into()),
    };
    let (firm, certificates) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_certificates(id)?))
    })
    .await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, &firm, &certificates, &form, &errors),
    )
}
