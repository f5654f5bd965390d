//! Use cases. Each public method is one transaction; handlers parse, call one method, render.

mod clock;
mod error;
mod facts;
mod firms;
mod registry;

pub use clock::Clock;
pub use error::ServiceError;
pub use firms::{DEFAULT_PAGE, FirmPage, MAX_PAGE, Precondition};
pub use registry::{Conn, Registry};
