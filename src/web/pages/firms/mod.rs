//! Firm pages: list, register, show, edit.

mod conflict;
mod create_firm;
mod download_firms;
mod edit_firm;
mod firm_view;
mod form;
mod list_firms;
mod list_view;
mod new_firm;
mod show_firm;
mod update_firm;

pub use conflict::ConflictPage;
pub use create_firm::create_firm;
pub use download_firms::download_firms;
pub use edit_firm::edit_firm;
pub use list_firms::list_firms;
pub use new_firm::new_firm;
pub use show_firm::show_firm;
pub use update_firm::update_firm;
