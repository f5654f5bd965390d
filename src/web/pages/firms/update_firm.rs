use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::conflict::firm_conflict;
use super::form::{edit_page, input};
use crate::domain::Role;
use crate::inputs::{FirmInput, FirmPatch};
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::parse_int;
use crate::web::pages::shared::{blocking, firm_id, load_firm};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// `POST /firms/{id}/edit`: saves the form if the firm is still at the version it was
/// opened at; a stale form shows what changed meanwhile and writes nothing.
#[tracing::instrument(name = "web.update_firm", skip_all, fields(firm.id = %path))]
pub async fn update_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let id = firm_id(&path)?;
    let version = match parse_int("version", form.get("version")) {
        Ok(Some(v)) => v,
        _ => return Err(WebError::BadRequest),
    };
    let patch = patch_of(input(&form));
    let actor = ctx.actor();
    let precondition = Precondition::Versions(vec![version]);
    let outcome = blocking(&registry, move |r| {
        r.firms().patch(id, &precondition, &patch, &actor)
    })
    .await?;
    let errors = match outcome {
        Ok(_) => return Ok(see_other(&format!("/firms/{id}"), "firm_saved")),
        Err(ServiceError::PreconditionFailed { .. }) => {
            let current = load_firm(&registry, id).await?;
            return render(StatusCode::CONFLICT, &firm_conflict(ctx, &current, &form));
        }
        Err(ServiceError::Validation(errors)) => errors.0,
        Err(ServiceError::Conflict(error)) => vec![error],
        Err(other) => return Err(other.into()),
    };
    let title = ctx.t("firm.edit_title").to_owned();
    let page = edit_page(
        ctx,
        registry.catalog(),
        (id, version),
        title,
        &form,
        &errors,
    );
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The edit form restates the whole firm: every field is set.
fn patch_of(input: FirmInput) -> FirmPatch {
    FirmPatch {
        uscc: Some(input.uscc),
        name: Some(input.name),
        name_en: Some(input.name_en),
        region_code: Some(input.region_code),
        industry_code: Some(input.industry_code),
        founded_on: Some(input.founded_on),
        listed_on: Some(input.listed_on),
        status: input.status,
        credit_ok: Some(input.credit_ok),
        tech_firm: Some(input.tech_firm),
        key_tech_breakthrough: Some(input.key_tech_breakthrough),
        in_gazelle_pool: Some(input.in_gazelle_pool),
        in_key_tech_field: Some(input.in_key_tech_field),
        major_violation_on: Some(input.major_violation_on),
    }
}
