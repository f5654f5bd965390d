//! The dashboard: counts per tier and district, target progress, recent promotions.

mod show_dashboard;
mod view;

pub use show_dashboard::show_dashboard;
