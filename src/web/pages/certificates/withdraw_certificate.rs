use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::{COLUMNS, cells};
use crate::domain::{Certificate, FieldError, Firm, Recorded, Role};
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
    cert: &Recorded<Certificate>,
    version: i64,
    values: &FormData,
    errors: &[FieldError],
) -> WithdrawPage {
    let cert_id = cert.item.id.unwrap_or_default();
    let shown = COLUMNS
        .iter()
        .zip(cells(&ctx, &cert.item))
        .map(|(column, value)| Shown {
            label: ctx.label("field", column),
            value,
        })
        .collect();
    let form = FormBuilder::new(&ctx, values, errors)
        .text("reason", true)
        .finish();
    WithdrawPage {
        title: ctx.t("record.withdraw_certificate").to_owned(),
        firm_name: firm.profile.name.clone(),
        action: format!("/firms/{}/certificates/{cert_id}/withdraw", firm.id),
        cancel: format!("/firms/{}/certificates/new", firm.id),
        version,
        shown,
        form,
        ctx,
    }
}

/// `GET /firms/{id}/certificates/{certificate_id}/withdraw`: the certificate, a reason field and the
/// button that withdraws it (the confirmation step).
pub async fn confirm_withdraw_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let (id, cert_id) = (firm_id(&path.0)?, firm_id(&path.1)?);
    let (firm, cert) = blocking(&registry, move |r| {
        Ok((
            r.firms().get(id)?,
            r.figures().get_certificate(id, cert_id)?,
        ))
    })
    .await??;
    if cert.withdrawn.is_some() {
        return Err(WebError::NotFound);
    }
    let version = cert.version;
    ok(&confirmation(
        ctx,
        &firm,
        &cert,
        version,
        &FormData::default(),
        &[],
    ))
}

/// `POST /firms/{id}/certificates/{certificate_id}/withdraw`: withdraws the certificate with the
/// reason given, if it is still at the version shown.
#[tracing::instrument(name = "web.withdraw_certificate", skip_all, fields(firm.id = %path.0))]
pub async fn withdraw_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let posted = ctx.accept_form(&body, Role::Editor)?;
    let (id, cert_id) = (firm_id(&path.0)?, firm_id(&path.1)?);
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
            .withdraw_certificate(id, cert_id, &precondition, &input, &actor)
    })
    .await?;
    let errors = match outcome {
        Ok(_) => {
            return Ok(see_other(
                &format!("/firms/{id}/certificates/new"),
                "certificate_withdrawn",
            ));
        }
        Err(ServiceError::Validation(e)) => e.0,
        Err(ServiceError::PreconditionFailed { .. }) | Err(ServiceError::Conflict(_)) => {
            let (firm, cert) = blocking(&registry, move |r| {
                Ok((
                    r.firms().get(id)?,
                    r.figures().get_certificate(id, cert_id)?,
                ))
            })
            .await??;
            let changes = match &cert.withdrawn {
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
                    reopen: cert
                        .withdrawn
                        .is_none()
                        .then(|| format!("/firms/{id}/certificates/{cert_id}/withdraw")),
                    back: format!("/firms/{id}/certificates/new"),
                    changes,
                    ctx,
                },
            );
        }
        Err(other) => return Err(other.into()),
    };
    let (firm, cert) = blocking(&registry, move |r| {
        Ok((
            r.firms().get(id)?,
            r.figures().get_certificate(id, cert_id)?,
        ))
    })
    .await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &confirmation(ctx, &firm, &cert, version, &posted, &errors),
    )
}
