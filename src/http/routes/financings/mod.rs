//! `/api/v1/firms/{id}/financings`.

mod create_financing;
mod list_financings;

pub use create_financing::*;
pub use list_financings::*;
