//! `/api/v1/firms` and `/api/v1/firms/{id}`.

mod create_firm;
mod get_firm;
mod list_firms;
mod patch_firm;

pub use create_firm::*;
pub use get_firm::*;
pub use list_firms::*;
pub use patch_firm::*;
