//! Early warnings (预警): the firms about to lose a tier or a certificate, or missing figures.

mod download_alerts;
mod show_alerts;
mod view;

pub use download_alerts::download_alerts;
pub use show_alerts::show_alerts;
