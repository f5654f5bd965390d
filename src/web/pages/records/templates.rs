//! The templates the financing and certificate pages share: a stored record as a table row
//! with its 修改 / 撤回 actions (or its withdrawal), the edit form, the withdrawal
//! confirmation and the page shown when the record changed after the form was opened.

use askama::Template;

use crate::web::PageContext;
use crate::web::form::FormView;
use crate::web::pages::shared::Change;

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
