//! Correcting a record, for every kind: the form at the record's version, the save, and the
//! conflict page when the record changed after the form was opened.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::kind::{Place, RecordKind};
use super::view::{changes, conflict_page, edit_page};
use crate::domain::Role;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::{FormData, parse_int};
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{ok, render, see_other};
use crate::web::{PageContext, WebError};

/// The firm and record ids of a `/firms/{id}/{segment}/{record_id}/…` path.
pub fn place_of(path: &(String, String)) -> Result<Place, WebError> {
    Ok(Place {
        firm: firm_id(&path.0)?,
        record: firm_id(&path.1)?,
    })
}

/// The version a posted form was opened at; a form without one was not ours.
pub fn posted_version(posted: &FormData) -> Result<i64, WebError> {
    match parse_int("version", posted.get("version")) {
        Ok(Some(v)) => Ok(v),
        _ => Err(WebError::BadRequest),
    }
}

/// `GET …/{record_id}/edit`: the record in a form, with its version; a withdrawn record
/// has no edit page.
pub async fn edit<K: RecordKind>(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let place = place_of(&path)?;
    let (firm, record) = blocking(&registry, move |r| {
        Ok((
            r.firms().get(place.firm)?,
            K::get(r, place.firm, place.record)?,
        ))
    })
    .await??;
    if record.withdrawn.is_some() {
        return Err(WebError::NotFound);
    }
    let values = K::values_of(&record.item);
    ok(&edit_page::<K>(
        ctx,
        &firm,
        place,
        record.version,
        &values,
        &[],
    ))
}

/// `POST …/{record_id}/edit`: saves the correction if the record is still at the version
/// the form was opened at; a stale form shows what changed meanwhile and writes nothing.
pub async fn update<K: RecordKind>(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let posted = ctx.accept_form(&body, Role::Editor)?;
    let place = place_of(&path)?;
    let version = posted_version(&posted)?;
    let errors = match K::patch_of(&posted) {
        Err(errors) => errors,
        Ok(patch) => {
            let actor = ctx.actor();
            let precondition = Precondition::Versions(vec![version]);
            let outcome = blocking(&registry, move |r| {
                K::correct(r, place.firm, place.record, &precondition, &patch, &actor)
            })
            .await?;
            match outcome {
                Ok(_) => return Ok(see_other(&place.list::<K>(), K::CORRECTED)),
                Err(ServiceError::Conflict(e)) if K::is_field_conflict(&e) => vec![e],
                Err(ServiceError::PreconditionFailed { .. }) | Err(ServiceError::Conflict(_)) => {
                    return conflict::<K>(ctx, &registry, place, &posted).await;
                }
                Err(ServiceError::Validation(e)) => e.0,
                Err(other) => return Err(other.into()),
            }
        }
    };
    let firm = blocking(&registry, move |r| r.firms().get(place.firm)).await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &edit_page::<K>(ctx, &firm, place, version, &posted, &errors),
    )
}

/// The record changed or was withdrawn since the form was opened: what is stored now next
/// to what was typed.
async fn conflict<K: RecordKind>(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    place: Place,
    posted: &FormData,
) -> Result<HttpResponse, WebError> {
    let (firm, record) = blocking(registry, move |r| {
        Ok((
            r.firms().get(place.firm)?,
            K::get(r, place.firm, place.record)?,
        ))
    })
    .await??;
    let changes = changes::<K>(&ctx, &record.item, posted);
    render(
        StatusCode::CONFLICT,
        &conflict_page::<K>(ctx, &firm, &record, changes, place, "edit"),
    )
}
