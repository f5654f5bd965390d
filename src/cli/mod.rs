//! Command-line entry points, wired into clap by `main.rs`: `rules check`, `classify`,
//! `import`, `export`, `demo-data`, `user` and `token`.

mod accounts;
mod bulk;
mod classify;
mod rules_check;

pub use accounts::{TokenCommand, UserCommand, token, user};
pub use bulk::{ExportFormat, demo_data, export, import};
pub use classify::classify;
pub use rules_check::rules_check;
