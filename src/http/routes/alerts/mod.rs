//! Early warnings: what will change unless someone acts.

mod list_alerts;

pub use list_alerts::*;
