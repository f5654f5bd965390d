//! Certificates of a firm: those recorded, a form to add one, and pages to correct or
//! withdraw one.

mod create_certificate;
mod edit_certificate;
mod new_certificate;
mod page;
mod record;
mod withdraw_certificate;

pub use create_certificate::create_certificate;
pub use edit_certificate::{edit_certificate, update_certificate};
pub use new_certificate::new_certificate;
pub(crate) use record::Certificates;
pub use withdraw_certificate::{confirm_withdraw_certificate, withdraw_certificate};
