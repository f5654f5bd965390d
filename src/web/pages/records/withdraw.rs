//! Withdrawing a record, for every kind: the confirmation with a reason, and the withdrawal
//! itself at the version confirmed.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::edit::{place_of, posted_version};
use super::kind::{Place, RecordKind};
use super::view::{conflict_page, withdraw_page};
use crate::domain::{Firm, Recorded, Role};
use crate::inputs::WithdrawalInput;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::FormData;
use crate::web::pages::shared::blocking;
use crate::web::render::{ok, render, see_other};
use crate::web::{PageContext, WebError};

/// The firm and the record at `place`.
async fn read<K: RecordKind>(
    registry: &web::Data<Registry>,
    place: Place,
) -> Result<(Firm, Recorded<K::Item>), WebError> {
    Ok(blocking(registry, move |r| {
        Ok((
            r.firms().get(place.firm)?,
            K::get(r, place.firm, place.record)?,
        ))
    })
    .await??)
}

/// `GET …/{record_id}/withdraw`: the record, a reason field and the button that withdraws
/// it (the confirmation step); a withdrawn record has no such page.
pub async fn confirm_withdraw<K: RecordKind>(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Editor)?;
    let place = place_of(&path)?;
    let (firm, record) = read::<K>(&registry, place).await?;
    if record.withdrawn.is_some() {
        return Err(WebError::NotFound);
    }
    let version = record.version;
    let values = FormData::default();
    ok(&withdraw_page::<K>(
        ctx,
        &firm,
        &record,
        version,
        &values,
        &[],
    ))
}

/// `POST …/{record_id}/withdraw`: withdraws the record with the reason given, if it is
/// still at the version shown.
pub async fn withdraw<K: RecordKind>(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let posted = ctx.accept_form(&body, Role::Editor)?;
    let place = place_of(&path)?;
    let version = posted_version(&posted)?;
    let input = WithdrawalInput {
        reason: posted.text("reason"),
    };
    let actor = ctx.actor();
    let precondition = Precondition::Versions(vec![version]);
    let outcome = blocking(&registry, move |r| {
        K::withdraw(r, place.firm, place.record, &precondition, &input, &actor)
    })
    .await?;
    let errors = match outcome {
        Ok(_) => return Ok(see_other(&place.list::<K>(), K::WITHDRAWN)),
        Err(ServiceError::Validation(e)) => e.0,
        Err(ServiceError::PreconditionFailed { .. }) | Err(ServiceError::Conflict(_)) => {
            let (firm, record) = read::<K>(&registry, place).await?;
            let page = conflict_page::<K>(ctx, &firm, &record, Vec::new(), place, "withdraw");
            return render(StatusCode::CONFLICT, &page);
        }
        Err(other) => return Err(other.into()),
    };
    let (firm, record) = read::<K>(&registry, place).await?;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &withdraw_page::<K>(ctx, &firm, &record, version, &posted, &errors),
    )
}
