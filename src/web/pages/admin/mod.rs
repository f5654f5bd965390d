//! Administration: bulk import of a CSV or Excel file (previewed then committed), API
//! tokens, staff accounts and the audit trail.

mod add_user;
mod create_token;
mod import;
mod import_view;
mod reset_password;
mod revoke_token;
mod show_audit;
mod show_import;
mod show_tokens;
mod show_users;
mod update_user;

pub use add_user::add_user;
pub use create_token::create_token;
pub use import::{MAX_UPLOAD, import};
pub use reset_password::reset_password;
pub use revoke_token::revoke_token;
pub use show_audit::show_audit;
pub use show_import::show_import;
pub use show_tokens::show_tokens;
pub use show_users::show_users;
pub use update_user::update_user;
