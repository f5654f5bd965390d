//! The staff web interface: server-rendered pages (askama, auto-escaped), usable without
//! JavaScript, Chinese first with an English switch. Handlers call the service like the JSON
//! API does and never touch storage.

mod chart;
mod context;
mod error;
mod explain;
mod face;
mod form;
mod form_key;
pub mod i18n;
mod keep_work;
mod memory;
pub(crate) mod money;
mod multipart;
mod names;
mod pages;
mod render;
mod trend;
mod xlsx;

pub use context::{LANG_COOKIE, PageContext, StaffView};
pub use error::{WebError, localise_errors, not_found_page, wants_html};
pub use face::Pages;
pub use memory::PageMemory;
pub use pages::{access_routes, configure};
