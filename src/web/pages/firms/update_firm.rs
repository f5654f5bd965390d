use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::form::{FACTS, FirmFormPage, fields, input, values_of};
use crate::domain::Role;
use crate::inputs::FirmPatch;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::parse_int;
use crate::web::pages::shared::{blocking, firm_id, load_firm};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// A field that differs between the stored record and the stale form.
pub struct Change {
    pub label: String,
    pub stored: String,
    pub typed: String,
}

/// Someone saved the record (the firm, a year of it) after this form was opened: nothing was
/// written.
#[derive(Template)]
#[template(path = "firms/conflict.html")]
pub struct ConflictPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub changes: Vec<Change>,
    /// Where the form opens again with what is stored now.
    pub reopen: String,
}

/// Every field the edit form posts; all are sent, so the patch restates the whole firm.
const FIELDS: [&str; 8] = [
    "uscc",
    "name",
    "name_en",
    "region_code",
    "industry_code",
    "founded_on",
    "listed_on",
    "status",
];

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
    let firm_input = input(&form);
    let patch = FirmPatch {
        uscc: Some(firm_input.uscc),
        name: Some(firm_input.name),
        name_en: Some(firm_input.name_en),
        region_code: Some(firm_input.region_code),
        industry_code: Some(firm_input.industry_code),
        founded_on: Some(firm_input.founded_on),
        listed_on: Some(firm_input.listed_on),
        status: firm_input.status,
        credit_ok: Some(firm_input.credit_ok),
        tech_firm: Some(firm_input.tech_firm),
        key_tech_breakthrough: Some(firm_input.key_tech_breakthrough),
        in_gazelle_pool: Some(firm_input.in_gazelle_pool),
        in_key_tech_field: Some(firm_input.in_key_tech_field),
        major_violation_on: Some(firm_input.major_violation_on),
    };
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
            let stored = values_of(&current);
            let changes = FIELDS
                .iter()
                .chain(FACTS.iter())
                .chain(["major_violation_on"].iter())
                .filter(|name| stored.get(name).trim() != form.get(name).trim())
                .map(|name| Change {
                    label: ctx.label("field", name),
                    stored: stored.text(name),
                    typed: form.text(name),
                })
                .collect();
            return render(
                StatusCode::CONFLICT,
                &ConflictPage {
                    id: id.to_string(),
                    name: current.profile.name.clone(),
                    changes,
                    reopen: format!("/firms/{id}/edit"),
                    ctx,
                },
            );
        }
        Err(ServiceError::Validation(errors)) => errors.0,
        Err(ServiceError::Conflict(error)) => vec![error],
        Err(other) => return Err(other.into()),
    };
    let view = fields(&ctx, registry.catalog(), &form, &errors, true);
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FirmFormPage {
            title: ctx.t("firm.edit_title").to_owned(),
            action: format!("/firms/{id}/edit"),
            cancel: format!("/firms/{id}"),
            version: Some(version),
            form: view,
            ctx,
        },
    )
}
