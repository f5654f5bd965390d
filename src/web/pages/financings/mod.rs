//! Financing rounds of a firm: the rounds recorded, a form to add one, and pages to correct
//! or withdraw one.

mod create_financing;
mod edit_financing;
mod new_financing;
mod page;
mod record;
mod withdraw_financing;

pub use create_financing::create_financing;
pub use edit_financing::{edit_financing, update_financing};
pub use new_financing::new_financing;
pub(crate) use record::Financings;
pub use withdraw_financing::{confirm_withdraw_financing, withdraw_financing};
