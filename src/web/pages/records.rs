//! What the financing and certificate pages share: a stored record as a table row with its
//! 修改 / 撤回 actions (or its withdrawal), the edit form, the withdrawal confirmation and the
//! page shown when the record changed after the form was opened.

use askama::Template;

use crate::domain::{Recorded, Withdrawal};
use crate::web::PageContext;
use crate::web::form::FormView;

/// One stored record in a list.
pub struct RecordRow {
    /// The shown values, in column order.
    pub cells: Vec<String>,
    /// Where to correct it; `None` once withdrawn.
    pub edit: Option<String>,
    /// Where to withdraw it; `None` once withdrawn.
    pub withdraw: Option<String>,
    /// "已撤回 …" with when, who and why, for a withdrawn record.
    pub withdrawn: Option<String>,
}

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

/// A row for `record` at `base` (`/firms/{id}/financings/{financing_id}`).
pub fn row<T>(
    ctx: &PageContext,
    record: &Recorded<T>,
    base: &str,
    cells: Vec<String>,
) -> RecordRow {
    match &record.withdrawn {
        None => RecordRow {
            cells,
            edit: Some(format!("{base}/edit")),
            withdraw: Some(format!("{base}/withdraw")),
            withdrawn: None,
        },
        Some(w) => RecordRow {
            cells,
            edit: None,
            withdraw: None,
            withdrawn: Some(withdrawal_text(ctx, w)),
        },
    }
}

/// The edit form of a record, carrying the version it was opened at.
#[derive(Template)]
#[template(path = "records/edit.html")]
pub struct RecordFormPage {
    pub ctx: PageContext,
    pub title: String,
    pub firm_name: String,
    pub action: String,
    pub cancel: String,
    pub version: i64,
    pub form: FormView,
}

/// A label and a value of the record shown before withdrawing it.
pub struct Shown {
    pub label: String,
    pub value: String,
}

/// The confirmation step of a withdrawal: the record, a reason and one more click.
#[derive(Template)]
#[template(path = "records/withdraw.html")]
pub struct WithdrawPage {
    pub ctx: PageContext,
    pub title: String,
    pub firm_name: String,
    pub action: String,
    pub cancel: String,
    pub version: i64,
    pub shown: Vec<Shown>,
    pub form: FormView,
}

/// A field that differs between the stored record and the stale form.
pub struct Change {
    pub label: String,
    pub stored: String,
    pub typed: String,
}

/// Someone changed or withdrew the record after this form was opened: nothing was written.
#[derive(Template)]
#[template(path = "records/conflict.html")]
pub struct RecordConflictPage {
    pub ctx: PageContext,
    pub firm_name: String,
    /// The edit form again, or `None` when the record is now withdrawn.
    pub reopen: Option<String>,
    pub back: String,
    pub changes: Vec<Change>,
}
