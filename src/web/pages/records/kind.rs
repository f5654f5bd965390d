//! What makes a financing round and a certificate different to the pages that correct and
//! withdraw them: their path, words, form and service calls. The flows in `edit` and
//! `withdraw` are written once over this trait.

use uuid::Uuid;

use crate::domain::{FieldError, Recorded};
use crate::inputs::WithdrawalInput;
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::PageContext;
use crate::web::form::{FormData, FormView};

/// A kind of record a firm keeps a list of (rounds, certificates).
pub trait RecordKind: 'static {
    /// The record.
    type Item: Send + 'static;
    /// The correction a posted edit form asks for.
    type Patch: Send + 'static;

    /// The path segment under the firm (`financings`).
    const SEGMENT: &'static str;
    /// The column labels (`field.…` keys) of `cells`, in order.
    const COLUMNS: &'static [&'static str];
    /// The form fields behind each column: a sum is a value and a currency.
    const FIELDS: &'static [&'static [&'static str]];
    /// The flash shown after a correction.
    const CORRECTED: &'static str;
    /// The flash shown after a withdrawal.
    const WITHDRAWN: &'static str;

    /// The title of the edit page.
    fn edit_title(ctx: &PageContext) -> String;
    /// The title of the withdrawal confirmation.
    fn withdraw_title(ctx: &PageContext) -> String;
    /// The record's id, once stored.
    fn id_of(item: &Self::Item) -> Option<Uuid>;
    /// The shown values, in column order.
    fn cells(ctx: &PageContext, item: &Self::Item) -> Vec<String>;
    /// The form values of a stored record.
    fn values_of(item: &Self::Item) -> FormData;
    /// The record's form fields (the add and edit forms are the same).
    fn form(ctx: &PageContext, values: &FormData, errors: &[FieldError]) -> FormView;
    /// The correction a posted form restates, or the errors of values that are not numbers.
    fn patch_of(posted: &FormData) -> Result<Self::Patch, Vec<FieldError>>;
    /// Whether a conflict the service reports belongs beside a field (a number taken)
    /// rather than meaning the record changed under the form.
    fn is_field_conflict(error: &FieldError) -> bool;

    /// Reads the record of a firm.
    fn get(r: &Registry, firm: Uuid, id: Uuid) -> Result<Recorded<Self::Item>, ServiceError>;
    /// Corrects the record if it is at the version of `precondition`.
    fn correct(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        patch: &Self::Patch,
        actor: &str,
    ) -> Result<Recorded<Self::Item>, ServiceError>;
    /// Withdraws the record if it is at the version of `precondition`.
    fn withdraw(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<Self::Item>, ServiceError>;
}

/// Where the pages of one record live.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// The firm.
    pub firm: Uuid,
    /// The record.
    pub record: Uuid,
}

impl Place {
    /// `/firms/{firm}/{segment}/{record}/{action}`.
    pub fn href<K: RecordKind>(self, action: &str) -> String {
        format!(
            "/firms/{}/{}/{}/{action}",
            self.firm,
            K::SEGMENT,
            self.record
        )
    }

    /// The firm's list of records of this kind with the add form.
    pub fn list<K: RecordKind>(self) -> String {
        list_href::<K>(self.firm)
    }
}

/// `/firms/{firm}/{segment}/new`: the records of a kind and the form to add one.
fn list_href<K: RecordKind>(firm: Uuid) -> String {
    format!("/firms/{firm}/{}/new", K::SEGMENT)
}
