//! `user …` and `token …`: staff accounts and API tokens, from the server's shell.

use std::io::Write;

use clap::Subcommand;

use crate::domain::{Role, TokenScope};
use crate::service::Registry;

/// The actor recorded for account work done from the command line.
const CLI_ACTOR: &str = "cli";

/// Staff account commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; prints a one-time password that must be changed at first login.
    Add {
        /// Login name (letters, digits, '.', '_', '-').
        name: String,
        /// viewer, editor or admin.
        #[arg(long, value_parser = role_arg)]
        role: Role,
    },
    /// List accounts.
    List,
    /// Give an account a new one-time password and end its sessions.
    ResetPassword {
        /// Login name.
        name: String,
    },
    /// Change an account's role, or disable or re-enable it (disabling ends its sessions).
    Set {
        /// Login name.
        name: String,
        /// viewer, editor or admin (default: unchanged).
        #[arg(long, value_parser = role_arg)]
        role: Option<Role>,
        /// Disable the account.
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Enable a disabled account.
        #[arg(long)]
        enable: bool,
    },
}

/// API token commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; prints it once, alone on its line. Only its digest is stored.
    Create {
        /// read (GET only) or write (also the writes an editor may make).
        #[arg(long, value_parser = scope_arg)]
        scope: TokenScope,
        /// What will use it, e.g. "province statistics feed".
        #[arg(long, default_value = "api client")]
        name: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working at once.
    Revoke {
        /// The token id from `token list`.
        id: String,
    },
}

fn role_arg(raw: &str) -> Result<Role, String> {
    Role::parse(raw).map_err(|e| e.to_string())
}

fn scope_arg(raw: &str) -> Result<TokenScope, String> {
    TokenScope::parse(raw).map_err(|e| e.to_string())
}

fn service_error(e: crate::service::ServiceError) -> anyhow::Error {
    match e {
        crate::service::ServiceError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Runs a `user` command; human messages go to `err`, secrets to `out` alone on a line.
pub fn user(
    registry: &Registry,
    command: &UserCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { name, role } => {
            let account = registry
                .accounts()
                .add_user(name, *role, CLI_ACTOR)
                .map_err(service_error)?;
            writeln!(
                err,
                "added {} ({}); one-time password (shown once, must be changed at first login):",
                account.user.username, account.user.role
            )?;
            writeln!(out, "{}", account.one_time_password)?;
        }
        UserCommand::List => {
            for u in registry.accounts().list_users().map_err(service_error)? {
                let state = match (u.disabled, u.must_change_password) {
                    (true, _) => "disabled",
                    (false, true) => "one-time password",
                    (false, false) => "active",
                };
                writeln!(out, "{}\t{}\t{state}", u.username, u.role)?;
            }
        }
        UserCommand::ResetPassword { name } => {
            let password = registry
                .accounts()
                .reset_password(name, CLI_ACTOR)
                .map_err(service_error)?;
            writeln!(err, "new one-time password for {name} (shown once):")?;
            writeln!(out, "{password}")?;
        }
        UserCommand::Set {
            name,
            role,
            disable,
            enable,
        } => {
            let current = registry.accounts().find_user(name).map_err(service_error)?;
            let disabled = if *disable {
                true
            } else if *enable {
                false
            } else {
                current.disabled
            };
            let user = registry
                .accounts()
                .update_user(name, role.unwrap_or(current.role), disabled, CLI_ACTOR)
                .map_err(service_error)?;
            writeln!(
                err,
                "{}: role {}, {}",
                user.username,
                user.role,
                if user.disabled { "disabled" } else { "enabled" }
            )?;
        }
    }
    Ok(())
}

/// Runs a `token` command; the token goes to `out` alone on its line.
pub fn token(
    registry: &Registry,
    command: &TokenCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { scope, name } => {
            let created = registry
                .accounts()
                .create_token(name, *scope, CLI_ACTOR)
                .map_err(service_error)?;
            writeln!(
                err,
                "token {} ({}, scope {}); send it as Authorization: Bearer <token>. Shown once:",
                created.token.id, created.token.name, created.token.scope
            )?;
            writeln!(out, "{}", created.secret)?;
        }
        TokenCommand::List => {
            for t in registry.accounts().list_tokens().map_err(service_error)? {
                let state = t
                    .revoked_at
                    .map_or_else(|| "live".to_owned(), |at| format!("revoked {at}"));
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    t.id, t.scope, t.name, t.created_by, state
                )?;
            }
        }
        TokenCommand::Revoke { id } => {
            registry
                .accounts()
                .revoke_token(id, CLI_ACTOR)
                .map_err(service_error)?;
            writeln!(err, "token {id} revoked")?;
        }
    }
    Ok(())
}
