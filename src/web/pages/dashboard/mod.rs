//! The dashboard: counts per tier and district, target progress, recent promotions.

mod show_dashboard;

pub use show_dashboard::show_dashboard;
