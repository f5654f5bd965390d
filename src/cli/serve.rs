//! `tier-registry serve` (the default command) and `migrate`.

use std::path::Path;

use anyhow::Context;

use super::setup::{command_settings, registry_with_rules, settings, with_progress};
use super::{DatabaseArgs, ServeArgs, demo_data};
use crate::configuration::Settings;
use crate::domain::Role;
use crate::service::Clock;
use crate::startup::{Application, bind, open_database, redact};

/// Serves the API and the staff pages until stopped; `--demo` serves a temporary database
/// filled with demo firms, deleted on exit.
pub fn serve(config_dir: &Path, args: &ServeArgs) -> anyhow::Result<()> {
    let mut settings = settings(config_dir, &args.database)?;
    if let Some(bind) = &args.bind {
        settings.server.bind = bind.clone();
    }
    // The demo binds its port first: loading takes a while, and a port in use should be
    // reported before it, not after.
    let listener = if args.demo {
        Some(bind(&settings.server.bind)?)
    } else {
        None
    };
    let demo_dir = if args.demo {
        Some(load_demo(&mut settings)?)
    } else {
        None
    };
    let served = serve_with(settings, listener);
    if let Some(dir) = demo_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    served
}

/// Points `settings` at a new temporary SQLite database holding 2,000 demo firms and a demo
/// admin account; returns the directory to delete on exit.
fn load_demo(settings: &mut Settings) -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("tier-registry-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("Failed to create {}", dir.display()))?;
    settings.database.url = format!("sqlite://{}", dir.join("registry.db").display());
    let registry = registry_with_rules(settings)?;
    let summary = with_progress("classifying demo firms", "firms", |progress| {
        demo_data(&registry, 2_000, 1, &mut std::io::sink(), progress)
    })?;
    tracing::info!(firms = summary.firms, dir = %dir.display(), "demo population loaded (deleted on exit)");
    // The demo database is temporary, so its admin account is too.
    let account = registry
        .accounts()
        .add_user("demo", Role::Admin, "cli")
        .map_err(|e| anyhow::anyhow!("Failed to add the demo account: {e}"))?;
    eprintln!(
        "demo: log in as `demo` with the one-time password {} (you will choose a new one)",
        account.one_time_password
    );
    Ok(dir)
}

fn serve_with(settings: Settings, listener: Option<std::net::TcpListener>) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build_on(&settings, Clock::system(), listener)?;
        let host = settings
            .server
            .bind
            .rsplit_once(':')
            .map_or("127.0.0.1", |(h, _)| h);
        tracing::info!(
            address = %format!("http://{host}:{}", app.port()),
            database = %redact(&settings.database.url),
            "serving"
        );
        app.run_until_stopped().await?;
        Ok(())
    })
}

/// `tier-registry migrate`: creates or upgrades the schema (opening the database does it).
pub fn migrate(config_dir: &Path, database: &DatabaseArgs) -> anyhow::Result<()> {
    open_database(&command_settings(config_dir, database)?)?;
    println!("database is up to date");
    Ok(())
}
