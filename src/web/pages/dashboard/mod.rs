//! The dashboard: counts per tier and district, target progress, recent promotions.

mod cockpit;
mod show_dashboard;
mod view;

pub use show_dashboard::{download_dashboard, show_dashboard};
