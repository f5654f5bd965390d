//! `tier-registry`: the service and its command-line tools.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use tier_registry::bulk::FileKind;
use tier_registry::cli::ExportFormat;
use tier_registry::configuration::Settings;
use tier_registry::domain::parse_date;
use tier_registry::service::{Clock, Registry};
use tier_registry::startup::{Application, open_database, open_registry, redact};
use tier_registry::{cli, telemetry};

// glibc's malloc took about a fifth of a million-row import's CPU (per-row strings, bind
// buffers, consolidation of freed chunks); mimalloc's thread-local free lists cost less.
// See docs/PERFORMANCE.md, run 5.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Check, publish or simulate rule sets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Classify firm dossiers (JSON lines on stdin) without a database.
    Classify {
        /// A rule file (used whatever its date) or a directory (the version in force).
        #[arg(long)]
        rules: PathBuf,
        /// The evaluation date, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        as_of: NaiveDate,
    },
    /// Record the tier changes time has brought, day by day up to DATE (default today).
    Reclassify {
        /// The last day to cover, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Import firms, annual figures or financing rounds from CSV or Excel (a dry run unless --commit).
    Import {
        /// A .csv (UTF-8) or .xlsx file; one kind of record per file.
        file: PathBuf,
        /// firms, years or financings (default: detected from the headers).
        #[arg(long, value_parser = FileKind::parse)]
        kind: Option<FileKind>,
        /// Apply the import (all or nothing) instead of reporting what it would do.
        #[arg(long)]
        commit: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Export every firm with its current tiers and latest figures.
    Export {
        /// csv or xlsx.
        #[arg(long, default_value = "csv", value_parser = format_arg)]
        format: ExportFormat,
        /// Output file (CSV goes to standard output without one).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage staff accounts (there is no default account).
    User {
        #[command(subcommand)]
        command: cli::UserCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage API tokens for REST clients.
    Token {
        #[command(subcommand)]
        command: cli::TokenCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Write a generated, realistic population of Changzhou firms (deterministic per seed).
    DemoData {
        /// How many firms.
        #[arg(long, default_value_t = 2_000)]
        firms: usize,
        /// PRNG seed (SplitMix64).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Check a rule file or directory; exit 1 with the messages if it is refused.
    Check {
        /// File or directory.
        path: PathBuf,
    },
    /// Publish a rule file and reclassify every firm (all or nothing).
    Publish {
        /// The rule file.
        path: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Show, as JSON, what a draft rule file would change; writes nothing.
    Simulate {
        /// The draft rule file.
        path: PathBuf,
        /// The evaluation date (default today).
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Default, clap::Args)]
struct DatabaseArgs {
    /// sqlite://PATH or postgres://…; overrides configuration and DATABASE_URL.
    // Global, so `user add … --database-url` works as well as `user --database-url … add`.
    #[arg(long, global = true)]
    database_url: Option<String>,
}

#[derive(Debug, Default, clap::Args)]
struct ServeArgs {
    /// HOST:PORT to listen on.
    #[arg(long)]
    bind: Option<String>,
    /// Serve a temporary SQLite database filled with 2,000 demo firms (deleted on exit).
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

fn format_arg(raw: &str) -> Result<ExportFormat, String> {
    match raw {
        "csv" => Ok(ExportFormat::Csv),
        "xlsx" => Ok(ExportFormat::Xlsx),
        other => Err(format!("unknown format {other:?}: use csv or xlsx")),
    }
}

fn date_arg(raw: &str) -> Result<NaiveDate, String> {
    parse_date("as_of", raw).map_err(|e| e.message)
}

fn settings(cli: &Cli, database: &DatabaseArgs) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(&cli.config_dir)?;
    if let Some(url) = &database.database_url {
        settings.database.url = url.clone();
    }
    telemetry::init(&settings.log.filter);
    Ok(settings)
}

/// Settings for a one-off command: no `statement_timeout`, which bounds a serving process's
/// statements, while an export or a publication over a large database may run one long scan.
fn command_settings(cli: &Cli, database: &DatabaseArgs) -> anyhow::Result<Settings> {
    let mut settings = settings(cli, database)?;
    settings.database.statement_timeout_ms = 0;
    Ok(settings)
}

fn registry(cli: &Cli, database: &DatabaseArgs) -> anyhow::Result<Registry> {
    open_registry(&command_settings(cli, database)?, Clock::system())
}

/// A registry whose database has the shipped rules published, as the server would, so bulk
/// writes to a fresh database are classified.
fn registry_with_rules(settings: &Settings) -> anyhow::Result<Registry> {
    let registry = open_registry(settings, Clock::system())?;
    registry
        .publish_initial_rules(&settings.rules.dir)
        .map_err(|e| anyhow::anyhow!("Failed to publish the initial rules: {e}"))?;
    Ok(registry)
}

fn serve(cli: &Cli, args: &ServeArgs) -> anyhow::Result<()> {
    let mut settings = settings(cli, &args.database)?;
    if let Some(bind) = &args.bind {
        settings.server.bind = bind.clone();
    }
    // The demo binds its port first: loading takes a while, and a port in use should be
    // reported before it, not after.
    let listener = if args.demo {
        Some(tier_registry::startup::bind(&settings.server.bind)?)
    } else {
        None
    };
    let demo_dir = if args.demo {
        let dir = std::env::temp_dir().join(format!("tier-registry-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("Failed to create {}", dir.display()))?;
        settings.database.url = format!("sqlite://{}", dir.join("registry.db").display());
        let registry = registry_with_rules(&settings)?;
        let bar = progress("classifying demo firms", "firms");
        let summary = cli::demo_data(&registry, 2_000, 1, &mut std::io::sink(), &|n| {
            bar.set_position(n)
        });
        bar.finish_and_clear();
        let summary = summary?;
        tracing::info!(firms = summary.firms, dir = %dir.display(), "demo population loaded (deleted on exit)");
        // The demo database is temporary, so its admin account is too.
        let account = registry
            .add_user("demo", tier_registry::domain::Role::Admin, "cli")
            .map_err(|e| anyhow::anyhow!("Failed to add the demo account: {e}"))?;
        eprintln!(
            "demo: log in as `demo` with the one-time password {} (you will choose a new one)",
            account.one_time_password
        );
        Some(dir)
    } else {
        None
    };
    let served = serve_with(settings, listener);
    if let Some(dir) = demo_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    served
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

fn progress(label: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {{msg}} {{pos}} {unit} ({{per_sec}}, {{elapsed}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(label.to_owned());
    bar
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    match &cli.command {
        None => serve(cli, &ServeArgs::default())?,
        Some(Command::Serve(args)) => serve(cli, args)?,
        Some(Command::Migrate(args)) => {
            open_database(&command_settings(cli, args)?)?;
            println!("database is up to date");
        }
        Some(Command::Rules(RulesCommand::Check { path })) => {
            let ok = cli::rules_check(path, &mut stdout.lock());
            return Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        Some(Command::Classify { rules, as_of }) => {
            let settings = Settings::load(&cli.config_dir)?;
            let input = BufReader::new(std::io::stdin().lock());
            cli::classify(rules, *as_of, &settings.city, input, stdout.lock())?;
        }
        Some(Command::Rules(RulesCommand::Publish { path, database })) => {
            let registry = registry(cli, database)?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("Failed to read {}", path.display()))?;
            let origin = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let bar = progress("reclassifying", "firms");
            let outcome = registry.publish_rules(&text, &origin, "cli", &|n| bar.set_position(n));
            bar.finish_and_clear();
            let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
            if outcome.published {
                println!(
                    "published {} version {} ({}); in force today: {}; {} firms reclassified, {} tier events recorded",
                    outcome.id,
                    outcome.version,
                    outcome.content_hash,
                    outcome.in_force,
                    outcome.summary.firms,
                    outcome.summary.events
                );
            } else {
                println!(
                    "{} version {} is already published with this content; nothing changed",
                    outcome.id, outcome.version
                );
            }
        }
        Some(Command::Rules(RulesCommand::Simulate {
            path,
            as_of,
            database,
        })) => {
            let registry = registry(cli, database)?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("Failed to read {}", path.display()))?;
            let report = registry
                .simulate_rules(&text, &path.display().to_string(), *as_of)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut out = stdout.lock();
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Some(Command::Reclassify { as_of, database }) => {
            let registry = registry(cli, database)?;
            let until = as_of.unwrap_or_else(|| registry.clock().today());
            let bar = progress("re-evaluating", "firms");
            let days = registry.pass_time(until, "cli", &|n| bar.set_position(n));
            bar.finish_and_clear();
            let days = days.map_err(|e| anyhow::anyhow!("{e}"))?;
            if days.is_empty() {
                println!("nothing to do: time-passing changes are recorded up to {until}");
            }
            for (day, summary) in days {
                println!(
                    "{day}: {} firms re-evaluated, {} tier events recorded",
                    summary.firms, summary.events
                );
            }
        }
        Some(Command::Import {
            file,
            kind,
            commit,
            database,
        }) => {
            let registry = registry_with_rules(&command_settings(cli, database)?)?;
            let bar = progress("importing", "rows, then firms classified");
            let ok = cli::import(&registry, file, *kind, *commit, &mut stdout.lock(), &|n| {
                bar.set_position(n)
            });
            bar.finish_and_clear();
            if !ok? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Some(Command::Export {
            format,
            out,
            database,
        }) => {
            let registry = registry(cli, database)?;
            let bar = progress("exporting", "firms");
            let n = cli::export(
                &registry,
                *format,
                out.as_deref(),
                &mut stdout.lock(),
                &|n| bar.set_position(n),
            );
            bar.finish_and_clear();
            let n = n?;
            if let Some(path) = out {
                eprintln!("{n} firms written to {}", path.display());
            }
        }
        Some(Command::User { command, database }) => {
            cli::user(
                &registry(cli, database)?,
                command,
                &mut stdout.lock(),
                &mut std::io::stderr(),
            )?;
        }
        Some(Command::Token { command, database }) => {
            cli::token(
                &registry(cli, database)?,
                command,
                &mut stdout.lock(),
                &mut std::io::stderr(),
            )?;
        }
        Some(Command::DemoData {
            firms,
            seed,
            database,
        }) => {
            let registry = registry_with_rules(&command_settings(cli, database)?)?;
            let bar = progress("classifying", "firms");
            let summary = cli::demo_data(&registry, *firms, *seed, &mut stdout.lock(), &|n| {
                bar.set_position(n)
            });
            bar.finish_and_clear();
            summary?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(&Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
