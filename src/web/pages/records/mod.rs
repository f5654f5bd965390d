//! What the financing and certificate pages share: the correction and withdrawal flows,
//! written once over `RecordKind`, their templates and view models.

mod edit;
mod kind;
mod templates;
mod view;
mod withdraw;

pub use edit::{edit, update};
pub use kind::RecordKind;
pub use templates::RecordRow;
pub use view::rows;
pub use withdraw::{confirm_withdraw, withdraw};
