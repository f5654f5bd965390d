//! Early warnings (预警): the firms about to lose a tier or a certificate, or missing figures.

mod show_alerts;
mod view;

pub use show_alerts::show_alerts;
