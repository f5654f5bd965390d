//! The view models of the record pages, written once for every kind of record: the list
//! rows, the edit form, the withdrawal confirmation and the conflict page.

use super::kind::{Place, RecordKind};
use super::templates::{RecordConflictPage, RecordFormPage, RecordRow, Shown, WithdrawPage};
use crate::domain::{FieldError, Firm, Recorded, Withdrawal};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData};
use crate::web::pages::shared::Change;

/// How a withdrawal is shown: when, by whom, why.
pub fn withdrawal_text(ctx: &PageContext, w: &Withdrawal) -> String {
    format!(
        "{} {} · {} · {}{}{}",
        ctx.t("record.withdrawn"),
        w.at.date_naive(),
        w.by,
        ctx.t("field.reason"),
        ctx.t("punct.colon"),
        w.reason
    )
}

/// The firm's records as rows: a live one with its 修改 and 撤回 links, a withdrawn one
/// with its withdrawal.
pub fn rows<K: RecordKind>(
    ctx: &PageContext,
    firm: &Firm,
    records: &[Recorded<K::Item>],
) -> Vec<RecordRow> {
    records
        .iter()
        .map(|r| {
            let cells = K::cells(ctx, &r.item);
            match &r.withdrawn {
                None => {
                    let place = Place {
                        firm: firm.id,
                        record: K::id_of(&r.item).unwrap_or_default(),
                    };
                    RecordRow {
                        cells,
                        edit: Some(place.href::<K>("edit")),
                        withdraw: Some(place.href::<K>("withdraw")),
                        withdrawn: None,
                    }
                }
                Some(w) => RecordRow {
                    cells,
                    edit: None,
                    withdraw: None,
                    withdrawn: Some(withdrawal_text(ctx, w)),
                },
            }
        })
        .collect()
}

/// The edit form of the record at `place`, opened at `version`.
pub fn edit_page<K: RecordKind>(
    ctx: PageContext,
    firm: &Firm,
    place: Place,
    version: i64,
    values: &FormData,
    errors: &[FieldError],
) -> RecordFormPage {
    RecordFormPage {
        title: K::edit_title(&ctx),
        firm_name: firm.profile.name.clone(),
        action: place.href::<K>("edit"),
        cancel: place.list::<K>(),
        version,
        form: K::form(&ctx, values, errors),
        ctx,
    }
}

/// The withdrawal confirmation: the record as stored, a reason field and the button.
pub fn withdraw_page<K: RecordKind>(
    ctx: PageContext,
    firm: &Firm,
    record: &Recorded<K::Item>,
    version: i64,
    values: &FormData,
    errors: &[FieldError],
) -> WithdrawPage {
    let place = Place {
        firm: firm.id,
        record: K::id_of(&record.item).unwrap_or_default(),
    };
    let shown = K::COLUMNS
        .iter()
        .zip(K::cells(&ctx, &record.item))
        .map(|(column, value)| Shown {
            label: ctx.label("field", column),
            value,
        })
        .collect();
    let form = FormBuilder::new(&ctx, values, errors)
        .text("reason", true)
        .finish();
    WithdrawPage {
        title: K::withdraw_title(&ctx),
        firm_name: firm.profile.name.clone(),
        action: place.href::<K>("withdraw"),
        cancel: place.list::<K>(),
        version,
        shown,
        form,
        ctx,
    }
}

/// The columns where the stored record and a stale form differ: the stored value as shown,
/// and what was typed (a sum as its value and currency).
pub fn changes<K: RecordKind>(ctx: &PageContext, item: &K::Item, posted: &FormData) -> Vec<Change> {
    let stored = K::values_of(item);
    K::COLUMNS
        .iter()
        .zip(K::FIELDS)
        .zip(K::cells(ctx, item))
        .filter(|((_, fields), _)| {
            fields
                .iter()
                .any(|f| stored.get(f).trim() != posted.get(f).trim())
        })
        .map(|((column, fields), value)| Change {
            label: ctx.label("field", column),
            stored: value,
            typed: match fields {
                [one] => posted.text(one),
                many => many
                    .iter()
                    .map(|f| posted.get(f))
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        })
        .collect()
}

/// The record at `place` changed or was withdrawn since a form was opened: `changes` (and
/// the withdrawal, first), with a link to open the form at `action` again while the record
/// is live.
pub fn conflict_page<K: RecordKind>(
    ctx: PageContext,
    firm: &Firm,
    record: &Recorded<K::Item>,
    mut changes: Vec<Change>,
    place: Place,
    action: &str,
) -> RecordConflictPage {
    if let Some(w) = &record.withdrawn {
        changes.insert(
            0,
            Change {
                label: ctx.t("record.status").to_owned(),
                stored: withdrawal_text(&ctx, w),
                typed: String::new(),
            },
        );
    }
    RecordConflictPage {
        firm_name: firm.profile.name.clone(),
        reopen: record.withdrawn.is_none().then(|| place.href::<K>(action)),
        back: place.list::<K>(),
        changes,
        ctx,
    }
}

#[cfg(test)]
mod tests;
