//! `/api/v1/firms/{id}/years`.

mod list_years;
mod put_year;

pub use list_years::*;
pub use put_year::*;
