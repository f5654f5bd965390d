//! `/api/v1/firms/{id}/years`.

mod get_year;
mod list_years;
mod put_year;

pub use get_year::*;
pub use list_years::*;
pub use put_year::*;
