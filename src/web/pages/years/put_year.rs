use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::page;
use crate::api_types::YearInput;
use crate::domain::{FieldError, Role};
use crate::service::{Registry, ServiceError};
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};

/// `POST /firms/{id}/years`: enters or replaces one year's figures; an empty field is "not
/// reported", never zero.
#[tracing::instrument(name = "web.put_year", skip_all, fields(firm.id = %path))]
pub async fn put_year(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Editor)?;
    let id = firm_id(&path)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let fiscal_year = form.int("fiscal_year", &mut errors);
    let input = YearInput {
        fiscal_year: None,
        revenue: form.int("revenue", &mut errors),
        rd_expense: form.int("rd_expense", &mut errors),
        rd_expense_domestic: form.int("rd_expense_domestic", &mut errors),
        high_tech_revenue: form.int("high_tech_revenue", &mut errors),
        total_assets: form.int("total_assets", &mut errors),
        net_assets: form.int("net_assets", &mut errors),
        employees: form.int("employees", &mut errors),
        tech_staff: form.int("tech_staff", &mut errors),
        ip_class1: form.int("ip_class1", &mut errors),
        ip_class2: form.int("ip_class2", &mut errors),
        innovation_score: form.int("innovation_score", &mut errors),
    };
    let year = match fiscal_year.map(i32::try_from) {
        Some(Ok(y)) => Some(y),
        Some(Err(_)) => {
            errors.push(FieldError::new(
                "fiscal_year",
                "out_of_range",
                "is not a year",
            ));
            None
        }
        None => {
            // An unparsable year already has its error; an empty one is missing.
            if errors.iter().all(|e| e.field != "fiscal_year") {
                errors.push(FieldError::new("fiscal_year", "required", "is required"));
            }
            None
        }
    };
    if let (Some(year), true) = (year, errors.is_empty()) {
        let actor = ctx.actor();
        match blocking(&registry, move |r| r.put_year(id, year, &input, &actor)).await? {
            Ok(_) => {
                return Ok(see_other(
                    &format!("/firms/{id}/years?year={year}"),
                    "year_saved",
                ));
            }
            Err(ServiceError::Validation(e)) => errors = e.0,
            Err(other) => return Err(other.into()),
        }
    }
    let (firm, stored) =
        blocking(&registry, move |r| Ok((r.get_firm(id)?, r.list_years(id)?))).await??;
    let today = registry.clock().today();
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, &firm, &stored, today, &form, &errors),
    )
}
