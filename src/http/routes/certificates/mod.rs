//! `/api/v1/firms/{id}/certificates` and `…/certificates/{certificate_id}`.

mod create_certificate;
mod get_certificate;
mod list_certificates;
mod patch_certificate;
mod withdraw_certificate;

pub use create_certificate::*;
pub use get_certificate::*;
pub use list_certificates::*;
pub use patch_certificate::*;
pub use withdraw_certificate::*;
