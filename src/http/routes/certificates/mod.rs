//! `/api/v1/firms/{id}/certificates`.

mod create_certificate;
mod list_certificates;

pub use create_certificate::*;
pub use list_certificates::*;
