use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::create_financing::input_of;
use super::page::{COLUMNS, cells, form, values_of};
use crate::domain::Role;
use crate::inputs::FinancingPatch;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::form::{FormData, parse_int};
use crate::web::pages::records::{Change, RecordConflictPage, RecordFormPage};
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::{ok, render, see_other};
use crate::web::{PageContext, WebError};

fn title(ctx: &PageContext) -> String {
    ctx.t("record.edit_financing").to_owned()
}

/// `GET /firms/{id}/financings/{financing_id}/edit`: the round in a form, with its version.
pub async fn edit_financing(
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
    let values = values_of(&round.item);
    ok(&RecordFormPage {
        title: title(&ctx),
        firm_name: firm.profile.name.clone(),
        action: format!("/firms/{id}/financings/{round_id}/edit"),
        cancel: format!("/firms/{id}/financings/new"),
        version: round.version,
        form: form(&ctx, &values, &[]),
        ctx,
    })
}

/// `POST /firms/{id}/financings/{financing_id}/edit`: saves the correction if the round is
/// still at the version the form was opened at; a stale form shows what changed meanwhile
/// and writes nothing.
#[tracing::instrument(name = "web.update_financing", skip_all, fields(firm.id = %path.0))]
pub async fn update_financing(
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
    let (input, mut errors) = input_of(&posted);
    if errors.is_empty() {
        // The form restates the whole round.
        let patch = FinancingPatch {
            closed_on: Some(input.closed_on),
            round: Some(input.round),
            amount: Some(input.amount),
            post_money_valuation: Some(input.post_money_valuation),
            investor_kind: Some(input.investor_kind),
            confirm: posted.get("confirm") == "yes",
        };
        let actor = ctx.actor();
        let precondition = Precondition::Versions(vec![version]);
        match blocking(&registry, move |r| {
            r.figures()
                .correct_financing(id, round_id, &precondition, &patch, &actor)
        })
        .await?
        {
            Ok(_) => {
                return Ok(see_other(
                    &format!("/firms/{id}/financings/new"),
                    "financing_corrected",
                ));
            }
            Err(ServiceError::PreconditionFailed { .. }) | Err(ServiceError::Conflict(_)) => {
                return conflict(ctx, &registry, id, round_id, &posted).await;
            }
            Err(ServiceError::Validation(e)) => errors.extend(e.0),
            Err(other) => return Err(other.into()),
        }
    }
    let firm = blocking(&registry, move |r| r.firms().get(id)).await??;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &RecordFormPage {
            title: title(&ctx),
            firm_name: firm.profile.name.clone(),
            action: format!("/firms/{id}/financings/{round_id}/edit"),
            cancel: format!("/firms/{id}/financings/new"),
            version,
            form: form(&ctx, &posted, &errors),
            ctx,
        },
    )
}

/// The round changed or was withdrawn since the form was opened: what is stored now next to
/// what was typed.
async fn conflict(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    id: uuid::Uuid,
    round_id: uuid::Uuid,
    posted: &FormData,
) -> Result<HttpResponse, WebError> {
    let (firm, round) = blocking(registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().get_financing(id, round_id)?))
    })
    .await??;
    let stored = values_of(&round.item);
    let shown = cells(&ctx, &round.item);
    let mut changes: Vec<Change> = [
        "closed_on",
        "round",
        "amount",
        "post_money_valuation",
        "investor_kind",
    ]
    .iter()
    .zip(COLUMNS.iter().zip(shown))
    .filter(|(name, _)| {
        let same = |f: &str| stored.get(f).trim() == posted.get(f).trim();
        match **name {
            "amount" | "post_money_valuation" => {
                !(same(&format!("{name}_value")) && same(&format!("{name}_currency")))
            }
            other => !same(other),
        }
    })
    .map(|(name, (column, value))| Change {
        label: ctx.label("field", column),
        stored: value,
        typed: match *name {
            "amount" | "post_money_valuation" => format!(
                "{} {}",
                posted.get(&format!("{name}_value")),
                posted.get(&format!("{name}_currency"))
            ),
            other => posted.text(other),
        },
    })
    .collect();
    if let Some(w) = &round.withdrawn {
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
            reopen: round
                .withdrawn
                .is_none()
                .then(|| format!("/firms/{id}/financings/{round_id}/edit")),
            back: format!("/firms/{id}/financings/new"),
            changes,
            ctx,
        },
    )
}
