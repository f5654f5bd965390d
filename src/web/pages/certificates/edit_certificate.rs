use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::page::{COLUMNS, cells, form, values_of};
use crate::domain::Role;
use crate::inputs::CertificatePatch;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::{FormData, parse_int};
use crate::web::pages::records::{Change, RecordConflictPage, RecordFormPage};
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{ok, render, see_other};
use crate::web::{PageContext, WebError};

fn title(ctx: &PageContext) -> String {
    ctx.t("record.edit_certificate").to_owned()
}

/// `GET /firms/{id}/certificates/{certificate_id}/edit`: the certificate in a form, with its version.
pub async fn edit_certificate(
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
    let values = values_of(&cert.item);
    ok(&RecordFormPage {
        title: title(&ctx),
        firm_name: firm.profile.name.clone(),
        action: format!("/firms/{id}/certificates/{cert_id}/edit"),
        cancel: format!("/firms/{id}/certificates/new"),
        version: cert.version,
        form: form(&ctx, &values, &[]),
        ctx,
    })
}

/// `POST /firms/{id}/certificates/{certificate_id}/edit`: saves the correction if the certificate is
/// still at the version the form was opened at; a stale form shows what changed meanwhile
/// and writes nothing.
#[tracing::instrument(name = "web.update_certificate", skip_all, fields(firm.id = %path.0))]
pub async fn update_certificate(
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
    // The form restates the whole certificate.
    let patch = CertificatePatch {
        kind: Some(posted.text("kind")),
        number: Some(posted.text("number")),
        issued_on: Some(posted.text("issued_on")),
        expires_on: posted.opt("expires_on"),
    };
    let actor = ctx.actor();
    let precondition = Precondition::Versions(vec![version]);
    let errors = match blocking(&registry, move |r| {
        r.figures()
            .correct_certificate(id, cert_id, &precondition, &patch, &actor)
    })
    .await?
    {
        Ok(_) => {
            return Ok(see_other(
                &format!("/firms/{id}/certificates/new"),
                "certificate_corrected",
            ));
        }
        Err(ServiceError::PreconditionFailed { .. }) => {
            return conflict(ctx, &registry, id, cert_id, &posted).await;
        }
        // A withdrawn certificate is a conflict of its own; a taken number is the field's.
        Err(ServiceError::Conflict(e)) if e.field == "withdrawn" => {
            return conflict(ctx, &registry, id, cert_id, &posted).await;
        }
        Err(ServiceError::Conflict(e)) => vec![e],
        Err(ServiceError::Validation(e)) => e.0,
        Err(other) => return Err(other.into()),
    };
    let firm = blocking(&registry, move |r| r.firms().get(id)).await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &RecordFormPage {
            title: title(&ctx),
            firm_name: firm.profile.name.clone(),
            action: format!("/firms/{id}/certificates/{cert_id}/edit"),
            cancel: format!("/firms/{id}/certificates/new"),
            version,
            form: form(&ctx, &posted, &errors),
            ctx,
        },
    )
}

/// The certificate changed or was withdrawn since the form was opened: what is stored now next to
/// what was typed.
async fn conflict(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    id: uuid::Uuid,
    cert_id: uuid::Uuid,
    posted: &FormData,
) -> Result<HttpResponse, WebError> {
    let (firm, cert) = blocking(registry, move |r| {
        Ok((
            r.firms().get(id)?,
            r.figures().get_certificate(id, cert_id)?,
        ))
    })
    .await??;
    let stored = values_of(&cert.item);
    let shown = cells(&ctx, &cert.item);
    let mut changes: Vec<Change> = COLUMNS
        .iter()
        .zip(shown)
        .filter(|(name, _)| stored.get(name).trim() != posted.get(name).trim())
        .map(|(name, value)| Change {
            label: ctx.label("field", name),
            stored: value,
            typed: posted.text(name),
        })
        .collect();
    if let Some(w) = &cert.withdrawn {
        changes.insert(
            0,
            Change {
                label: ctx.t("record.status").to_owned(),
                stored: crate::web::pages::records::withdrawal_text(&ctx, w),
                typed: String::new(),
            },
        );
    }
    render(
        StatusCode::CONFLICT,
        &RecordConflictPage {
            firm_name: firm.profile.name.clone(),
            reopen: cert
                .withdrawn
                .is_none()
                .then(|| format!("/firms/{id}/certificates/{cert_id}/edit")),
            back: format!("/firms/{id}/certificates/new"),
            changes,
            ctx,
        },
    )
}
