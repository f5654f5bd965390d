use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::{COLUMNS, cells};
use crate::domain::{FieldError, FinancingRound, Firm, Recorded, Role};
use crate::inputs::WithdrawalInput;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::{FormBuilder, FormData, parse_int};
use crate::web::pages::records::{
    Change, RecordConflictPage, Shown, WithdrawPage, withdrawal_text,
};
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{ok, render, see_other};
use crate::web::{PageContext, WebError};

fn confirmation(
    ctx: PageContext,
    firm: &Firm,
    round: &Recorded<FinancingRound>,
    version: i64,
    values: &FormData,
    errors: &[FieldError],
) -> WithdrawPage {
    let round_id = round.item.id.unwrap_or_default();
    let shown = COLUMNS
        .iter()
        .zip(cells(&ctx, &round.item))
        .map(|(column, value)| Shown {
            label: ctx.label("field", column),
            value,
        })
        .collect();
    let form = FormBuilder::new(&ctx, values, errors)
        .text("reason", true)
        .finish();
    WithdrawPage {
        title: ctx.t("record.withdraw_financing").to_owned(),
        firm_name: firm.profile.name.clone(),
        action: format!("/firms/{}/financings/{round_id}/withdraw", firm.id),
        cancel: format!("/firms/{}/financings/new", firm.id),
        version,
        shown,
        form,
        ctx,
    }
}

/// `GET /firms/{id}/financings/{financing_id}/withdraw`: the round, a reason field and the
/// button that withdraws it (the confirmation step).
pub async fn confirm_withdraw_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let (id, round_id) = (firm_id(&path.0)?, firm_id(&path.1)?);
    let (firm, round) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().get_financing(id, round_id)?))
    })
    .await??;
    if round.withdrawn.is_some() {
        return Err(WebError::NotFound);
    }
    let version = round.version;
    ok(&confirmation(
        ctx,
        &firm,
        &round,
        version,
        &FormData::default(),
        &[],
    ))
}

/// `POST /firms/{id}/financings/{financing_id}/withdraw`: withdraws the round with the
/// reason given, if it is still at the version shown.
#[tracing::instrument(name = "web.withdraw_financing", skip_all, fields(firm.id = %path.0))]
pub async fn withdraw_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let posted = ctx.accept_form(&body, Role::Editor)?;
    let (id, round_id) = (firm_id(&path.0)?, firm_id(&path.1)?);
    let version = match parse_int("version", posted.get("version")) {
        Ok(Some(v)) => v,
        _ => return Err(WebError::BadRequest),
    };
    let input = WithdrawalInput {
        reason: posted.text("reason"),
    };
    let actor = ctx.actor();
    let precondition = Precondition::Versions(vec![version]);
    let outcome = blocking(&registry, move |r| {
        r.figures()
            .withdraw_financing(id, round_id, &precondition, &input, &actor)
    })
    .await?;
    let errors = match outcome {
        Ok(_) => {
            return Ok(see_other(
                &format!("/firms/{id}/financings/new"),
                "financing_withdrawn",
            ));
        }
        Err(ServiceError::Validation(e)) => e.0,
        Err(ServiceError::PreconditionFailed { .. }) | Err(ServiceError::Conflict(_)) => {
            let (firm, round) = blocking(&registry, move |r| {
                Ok((r.firms().get(id)?, r.figures().get_financing(id, round_id)?))
            })
            .await??;
            let changes = match &round.withdrawn {
                Some(w) => vec![Change {
                    label: ctx.t("record.status").to_owned(),
                    stored: withdrawal_text(&ctx, w),
                    typed: String::new(),
                }],
                None => Vec::new(),
            };
            return render(
                StatusCode::CONFLICT,
                &RecordConflictPage {
                    firm_name: firm.profile.name.clone(),
                    reopen: round
                        .withdrawn
                        .is_none()
                        .then(|| format!("/firms/{id}/financings/{round_id}/withdraw")),
                    back: format!("/firms/{id}/financings/new"),
                    changes,
                    ctx,
                },
            );
        }
        Err(other) => return Err(other.into()),
    };
    let (firm, round) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().get_financing(id, round_id)?))
    })
    .await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &confirmation(ctx, &firm, &round, version, &posted, &errors),
    )
}
