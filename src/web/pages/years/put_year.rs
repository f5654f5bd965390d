use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::{page, year_conflict, year_of};
use crate::domain::{FieldError, Role};
use crate::inputs::YearInput;
use crate::service::{Once, Precondition, Registry, ServiceError, YearPrecondition};
use crate::web::form::{FormData, parse_int};
use crate::web::form_key;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// The figures typed in the form; every unreadable one adds its error.
fn input_of(form: &FormData, errors: &mut Vec<FieldError>) -> YearInput {
    YearInput {
        fiscal_year: None,
        revenue: form.int("revenue", errors),
        rd_expense: form.int("rd_expense", errors),
        rd_expense_domestic: form.int("rd_expense_domestic", errors),
        high_tech_revenue: form.int("high_tech_revenue", errors),
        total_assets: form.int("total_assets", errors),
        net_assets: form.int("net_assets", errors),
        employees: form.int("employees", errors),
        tech_staff: form.int("tech_staff", errors),
        ip_class1: form.int("ip_class1", errors),
        ip_class2: form.int("ip_class2", errors),
        innovation_score: form.int("innovation_score", errors),
    }
}

/// The form's version: the year as it was when the form was opened, or none when the form
/// creates the year (then it must still be new).
fn precondition_of(form: &FormData) -> Result<YearPrecondition, WebError> {
    match parse_int("version", form.get("version")) {
        Ok(Some(v)) => Ok(YearPrecondition {
            if_match: Precondition::Versions(vec![v]),
            create_only: false,
        }),
        Ok(None) => Ok(YearPrecondition {
            if_match: Precondition::Missing,
            create_only: true,
        }),
        Err(_) => Err(WebError::BadRequest),
    }
}

/// `POST /firms/{id}/years`: enters or replaces one year's figures if the year is still as
/// the form found it; an empty field is "not reported", never zero.
#[tracing::instrument(name = "web.put_year", skip_all, fields(firm.id = %path))]
pub async fn put_year(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let id = firm_id(&path)?;
    let key = form_key::posted(&ctx, &form)?;
    let precondition = precondition_of(&form)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let input = input_of(&form, &mut errors);
    let year = year_of(form.get("fiscal_year"));
    if year.is_none() {
        errors.push(FieldError::new("fiscal_year", "required", "is required"));
    }
    if let (Some(year), true) = (year, errors.is_empty()) {
        let actor = ctx.actor();
        let outcome = blocking(&registry, move |r| {
            r.figures()
                .put_year_once(id, year, &input, &precondition, &actor, key.as_ref())
        })
        .await?;
        match outcome {
            Ok(Once::New(_)) => {
                return Ok(see_other(
                    &format!("/firms/{id}/years?year={year}"),
                    "year_saved",
                ));
            }
            // The same form sent again: where the first submission went.
            Ok(Once::Replayed(first)) => {
                return Ok(see_other(
                    &format!("/firms/{id}/years?year={first}"),
                    "year_saved",
                ));
            }
            Err(ServiceError::PreconditionFailed { .. }) => {
                return conflict(ctx, &registry, id, year, &form).await;
            }
            Err(ServiceError::Validation(e)) => errors = e.0,
            Err(other) => return Err(other.into()),
        }
    }
    let (firm, stored) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_year_versions(id)?))
    })
    .await??;
    let today = registry.clock().today();
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, &firm, &stored, today, &form, &errors),
    )
}

/// Someone saved the year after this form was opened: the conflict page. Nothing was
/// written.
async fn conflict(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    id: uuid::Uuid,
    year: i32,
    form: &FormData,
) -> Result<HttpResponse, WebError> {
    let (firm, stored) = blocking(registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_year_versions(id)?))
    })
    .await??;
    render(
        StatusCode::CONFLICT,
        &year_conflict(ctx, &firm, &stored, year, form),
    )
}
