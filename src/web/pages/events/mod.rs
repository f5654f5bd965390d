//! The ledger's events for staff: what a number on the dashboard moved by, firm by firm.

mod show_events;

pub use show_events::show_events;
