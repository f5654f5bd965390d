//! Financing rounds of a firm: the rounds recorded and a form to add one.

mod create_financing;
mod new_financing;
mod page;

pub use create_financing::create_financing;
pub use new_financing::new_financing;
