//! `tier-registry`: the service and its command-line tools.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use tier_registry::configuration::Settings;
use tier_registry::service::Clock;
use tier_registry::startup::{Application, open_database};
use tier_registry::telemetry;

/// The registry of a city's high-growth firms and their tiers.
#[derive(Debug, Parser)]
#[command(name = "tier-registry", version, about)]
struct Cli {
    /// Directory holding default.toml and {profile}.toml.
    #[arg(long, global = true, default_value = "config", env = "APP_CONFIG_DIR")]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(DatabaseArgs),
}

#[derive(Debug, Default, clap::Args)]
struct DatabaseArgs {
    /// sqlite://PATH or postgres://…; overrides configuration and DATABASE_URL.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Default, clap::Args)]
struct ServeArgs {
    /// HOST:PORT to listen on.
    #[arg(long)]
    bind: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

fn settings(cli: &Cli, database_url: Option<&String>) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(&cli.config_dir)?;
    if let Some(url) = database_url {
        settings.database.url = url.clone();
    }
    Ok(settings)
}

fn serve(cli: &Cli, args: &ServeArgs) -> anyhow::Result<()> {
    let mut settings = settings(cli, args.database.database_url.as_ref())?;
    if let Some(bind) = &args.bind {
        settings.server.bind = bind.clone();
    }
    telemetry::init(&settings.log.filter);
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&settings, Clock::system())?;
        tracing::info!(
            address = %format!("http://{}", settings.server.bind.replace(":0", &format!(":{}", app.port()))),
            database = %tier_registry::startup::redact(&settings.database.url),
            "serving"
        );
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        None => serve(&cli, &ServeArgs::default())?,
        Some(Command::Serve(args)) => serve(&cli, args)?,
        Some(Command::Migrate(args)) => {
            let settings = settings(&cli, args.database_url.as_ref())?;
            telemetry::init(&settings.log.filter);
            open_database(&settings)?;
            println!("database is up to date");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
