//! `tier-registry`: the service and its command-line tools. This file parses the command line
//! and dispatches; every command lives in `src/cli/`.

use std::process::ExitCode;

use clap::Parser;

use tier_registry::cli::{self, Cli, Command, RulesCommand, ServeArgs};

// glibc's malloc took about a fifth of a million-row import's CPU (per-row strings, bind
// buffers, consolidation of freed chunks); mimalloc's thread-local free lists cost less.
// See docs/PERFORMANCE.md, run 5.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config_dir.as_path();
    // Locked per command, never up front: the server's threads may log while it runs.
    let stdout = || std::io::stdout().lock();
    match &cli.command {
        None => cli::serve(config, &ServeArgs::default())?,
        Some(Command::Serve(args)) => cli::serve(config, args)?,
        Some(Command::Migrate(database)) => cli::migrate(config, database)?,
        Some(Command::Rules(RulesCommand::Check { path })) => {
            return Ok(cli::exit_code(cli::rules_check(path, &mut stdout())));
        }
        Some(Command::Rules(RulesCommand::Publish { path, database })) => {
            cli::rules_publish(&cli::registry(config, database)?, path, &mut stdout())?;
        }
        Some(Command::Rules(RulesCommand::Simulate {
            path,
            as_of,
            database,
        })) => cli::rules_simulate(
            &cli::registry(config, database)?,
            path,
            *as_of,
            &mut stdout(),
        )?,
        Some(Command::Classify { rules, as_of }) => cli::classify_command(config, rules, *as_of)?,
        Some(Command::Reclassify { as_of, database }) => {
            cli::reclassify(&cli::registry(config, database)?, *as_of, &mut stdout())?;
        }
        Some(Command::Import {
            file,
            kind,
            commit,
            database,
        }) => {
            let ok = cli::import_command(config, database, file, *kind, *commit)?;
            return Ok(cli::exit_code(ok));
        }
        Some(Command::Export {
            format,
            out,
            database,
        }) => cli::export_command(config, database, *format, out.as_deref())?,
        Some(Command::User { command, database }) => {
            let registry = cli::registry(config, database)?;
            cli::user(&registry, command, &mut stdout(), &mut std::io::stderr())?;
        }
        Some(Command::Token { command, database }) => {
            let registry = cli::registry(config, database)?;
            cli::token(&registry, command, &mut stdout(), &mut std::io::stderr())?;
        }
        Some(Command::DemoData {
            firms,
            seed,
            database,
        }) => cli::demo_data_command(config, database, *firms, *seed)?,
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
