//! Command-line entry points, wired into clap by `main.rs`: `rules check` and `classify`.

mod classify;
mod rules_check;

pub use classify::classify;
pub use rules_check::rules_check;
