//! Command-line entry points, dispatched by `main.rs`: the clap definitions (`args`), the
//! set-up every command shares (`setup`), and one file per command or group of commands.

mod accounts;
mod args;
mod bulk;
mod classify;
mod reclassify;
mod rules_check;
mod rules_publish;
mod serve;
mod setup;

pub use accounts::{TokenCommand, UserCommand, token, user};
pub use args::{Cli, Command, DatabaseArgs, RulesCommand, ServeArgs};
pub use bulk::{
    ExportFormat, demo_data, demo_data_command, export, export_command, import, import_command,
};
pub use classify::{classify, classify_command};
pub use reclassify::reclassify;
pub use rules_check::rules_check;
pub use rules_publish::{rules_publish, rules_simulate};
pub use serve::{migrate, serve};
pub use setup::{
    command_settings, exit_code, registry, registry_with_rules, settings, with_progress,
};
