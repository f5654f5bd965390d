//! Annual figures of a firm: the last five years and a form to enter or replace one.

pub(crate) mod page;
mod put_year;
mod show_years;

pub use put_year::put_year;
pub use show_years::show_years;
