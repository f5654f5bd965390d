use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::page;
use crate::domain::{FieldError, Role};
use crate::inputs::{FinancingInput, MoneyInput};
use crate::service::{Registry, ServiceError};
use crate::web::form::FormData;
use crate::web::form_key;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// An optional sum: empty value = not disclosed.
fn money(form: &FormData, field: &str, errors: &mut Vec<FieldError>) -> Option<MoneyInput> {
    let value = form.int(&format!("{field}_value"), errors)?;
    Some(MoneyInput {
        value,
        currency: form.text(&format!("{field}_currency")),
    })
}

/// The round a form describes, and the errors of sums that are not numbers.
pub fn input_of(form: &FormData) -> (FinancingInput, Vec<FieldError>) {
    let mut errors = Vec::new();
    let input = FinancingInput {
        closed_on: form.text("closed_on"),
        round: form.text("round"),
        amount: money(form, "amount", &mut errors),
        post_money_valuation: money(form, "post_money_valuation", &mut errors),
        investor_kind: form.text("investor_kind"),
    };
    (input, errors)
}

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
    let key = form_key::posted(&form)?;
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
