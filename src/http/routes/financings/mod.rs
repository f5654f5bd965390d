//! `/api/v1/firms/{id}/financings` and `…/financings/{financing_id}`.

mod create_financing;
mod get_financing;
mod list_financings;
mod patch_financing;
mod withdraw_financing;

pub use create_financing::*;
pub use get_financing::*;
pub use list_financings::*;
pub use patch_financing::*;
pub use withdraw_financing::*;
