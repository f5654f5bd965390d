//! The command line as clap reads it: commands, their arguments and how values are parsed.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use super::{ExportFormat, TokenCommand, UserCommand};
use crate::bulk::FileKind;
use crate::domain::parse_date;

/// The registry of a city's high-growth firms and their tiers.
#[derive(Debug, Parser)]
#[command(name = "tier-registry", version, about)]
pub struct Cli {
    /// Directory holding default.toml and {profile}.toml.
    #[arg(long, global = true, default_value = "config", env = "APP_CONFIG_DIR")]
    pub config_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
        command: UserCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage API tokens for REST clients.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
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
pub enum RulesCommand {
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
pub struct DatabaseArgs {
    /// sqlite://PATH or postgres://…; overrides configuration and DATABASE_URL.
    // Global, so `user add … --database-url` works as well as `user --database-url … add`.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// HOST:PORT to listen on.
    #[arg(long)]
    pub bind: Option<String>,
    /// Serve a temporary SQLite database filled with 2,000 demo firms (deleted on exit).
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
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
