//! What every command needs before it runs: settings, a registry, a progress spinner.

use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use super::DatabaseArgs;
use crate::configuration::Settings;
use crate::service::{Clock, Registry};
use crate::startup::open_registry;
use crate::telemetry;

/// The layered settings, with `--database-url` applied; starts logging as they say.
pub fn settings(config_dir: &Path, database: &DatabaseArgs) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(config_dir)?;
    if let Some(url) = &database.database_url {
        settings.database.url = url.clone();
    }
    telemetry::init(&settings.log.filter);
    Ok(settings)
}

/// Settings for a one-off command: no `statement_timeout`, which bounds a serving process's
/// statements, while an export or a publication over a large database may run one long scan.
pub fn command_settings(config_dir: &Path, database: &DatabaseArgs) -> anyhow::Result<Settings> {
    let mut settings = settings(config_dir, database)?;
    settings.database.statement_timeout_ms = 0;
    Ok(settings)
}

/// A registry for a one-off command.
pub fn registry(config_dir: &Path, database: &DatabaseArgs) -> anyhow::Result<Registry> {
    open_registry(&command_settings(config_dir, database)?, Clock::system())
}

/// A registry whose database has the shipped rules published, as the server would, so bulk
/// writes to a fresh database are classified.
pub fn registry_with_rules(settings: &Settings) -> anyhow::Result<Registry> {
    let registry = open_registry(settings, Clock::system())?;
    registry
        .rule_sets()
        .publish_initial(&settings.rules.dir)
        .map_err(|e| anyhow::anyhow!("Failed to publish the initial rules: {e}"))?;
    Ok(registry)
}

/// Runs `work` with a spinner on standard error counting `unit`s as `work` reports them;
/// the spinner is cleared before the result is handed back.
pub fn with_progress<T>(label: &str, unit: &str, work: impl FnOnce(&dyn Fn(u64)) -> T) -> T {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {{msg}} {{pos}} {unit} ({{per_sec}}, {{elapsed}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(label.to_owned());
    let result = work(&|n| bar.set_position(n));
    bar.finish_and_clear();
    result
}

/// The process's exit status for a command that reports success as a flag.
pub fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
