//! Administration: bulk import of a CSV or Excel file, previewed then committed.

mod import;
mod show_import;

pub use import::{MAX_UPLOAD, import};
pub use show_import::show_import;
