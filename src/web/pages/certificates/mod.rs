//! Certificates of a firm: those recorded and a form to add one.

mod create_certificate;
mod new_certificate;
mod page;

pub use create_certificate::create_certificate;
pub use new_certificate::new_certificate;
