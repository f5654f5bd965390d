//! Settings: `config/default.toml`, then `config/{APP_PROFILE}.toml`, then `APP_…__…`
//! environment variables, then `DATABASE_URL`, then command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::RegionCatalog;
use crate::storage::PoolOptions;

/// Everything the service can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The HTTP listener.
    pub server: ServerSettings,
    /// The database.
    pub database: DatabaseSettings,
    /// The city served and its districts.
    pub city: RegionCatalog,
    /// Where rule sets live.
    pub rules: RulesSettings,
    /// Where the year's targets and tier groups live.
    pub targets: TargetsSettings,
    /// Log filter (`info`, `tier_registry=debug`).
    pub log: LogSettings,
    /// Sessions, logins, API tokens and what is public.
    pub auth: AuthSettings,
}

/// Sessions, logins, API tokens and what is public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Whether `/tier-counts` (and its series), `/tier-flows` and `/targets` answer without
    /// credentials.
    pub public_counts: bool,
    /// Mark the session cookie `Secure` and send HSTS; turn on when served over TLS.
    pub secure_cookies: bool,
    /// A session unused this many minutes ends.
    pub session_idle_minutes: u32,
    /// A session ends this many hours after login.
    pub session_absolute_hours: u32,
    /// Failed logins allowed per account and per address within the window.
    pub login_max_failures: u32,
    /// The window failed logins are counted over, in minutes.
    pub login_window_minutes: u32,
    /// Requests each API token (or anonymous address) may make per window; 0 = no limit.
    pub api_rate_limit: u64,
    /// The rate-limit window, in seconds.
    pub api_rate_window_seconds: u64,
}

impl AuthSettings {
    /// The service's session and login limits.
    pub fn policy(&self) -> crate::service::AuthPolicy {
        crate::service::AuthPolicy {
            idle_timeout: chrono::Duration::minutes(i64::from(self.session_idle_minutes.max(1))),
            absolute_timeout: chrono::Duration::hours(i64::from(
                self.session_absolute_hours.max(1),
            )),
            max_login_failures: i64::from(self.login_max_failures.max(1)),
            failure_window: chrono::Duration::minutes(i64::from(self.login_window_minutes.max(1))),
        }
    }
}

/// The HTTP listener.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// `HOST:PORT`; port 0 picks a free one.
    pub bind: String,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
}

/// The database connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` (embedded default) or `postgres://…`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
    /// How long a request waits for a connection before answering 503.
    pub connection_timeout_ms: u64,
    /// How long SQLite waits for a competing writer before answering 503.
    pub busy_timeout_ms: u64,
    /// PostgreSQL: the longest one statement may run before the server cancels it; 0 = no limit.
    #[serde(default = "default_statement_timeout_ms")]
    pub statement_timeout_ms: u64,
    /// SQLite: caps the file at this many pages (`PRAGMA max_page_count`); a write beyond it
    /// answers 503 `storage-full`, as a full disk does. Unset: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite_max_page_count: Option<u32>,
    /// How long an instance trusts its last read of the ledger head for counts when it has not
    /// written since: other instances' writes show in its counts within this; 0 = read the
    /// head for every count answer.
    #[serde(default = "default_head_check_ms")]
    pub head_check_ms: u64,
}

fn default_statement_timeout_ms() -> u64 {
    30_000
}

fn default_head_check_ms() -> u64 {
    250
}

impl DatabaseSettings {
    /// Pool options from these settings.
    pub fn pool_options(&self) -> PoolOptions {
        PoolOptions {
            max_size: self.max_connections.max(1),
            connection_timeout: Duration::from_millis(self.connection_timeout_ms.max(1)),
            busy_timeout: Duration::from_millis(self.busy_timeout_ms),
            statement_timeout: Duration::from_millis(self.statement_timeout_ms),
            sqlite_max_page_count: self.sqlite_max_page_count,
        }
    }
}

/// Rule set locations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSettings {
    /// Directory of rule set files; the version in force on a date is used.
    pub dir: PathBuf,
}

/// The targets file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSettings {
    /// Path of the targets file (TOML), read and checked at start-up.
    pub path: PathBuf,
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// An `EnvFilter` directive; `RUST_LOG` overrides it.
    pub filter: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            server: ServerSettings {
                bind: "127.0.0.1:8080".into(),
                workers: 0,
            },
            database: DatabaseSettings {
                url: "sqlite://data/registry.db".into(),
                max_connections: 8,
                connection_timeout_ms: 5_000,
                busy_timeout_ms: 5_000,
                statement_timeout_ms: default_statement_timeout_ms(),
                sqlite_max_page_count: None,
                head_check_ms: default_head_check_ms(),
            },
            city: RegionCatalog::changzhou(),
            rules: RulesSettings {
                dir: "config/rules".into(),
            },
            targets: TargetsSettings {
                path: "config/targets.toml".into(),
            },
            log: LogSettings {
                filter: "info".into(),
            },
            auth: AuthSettings {
                public_counts: false,
                secure_cookies: false,
                session_idle_minutes: 30,
                session_absolute_hours: 12,
                login_max_failures: 5,
                login_window_minutes: 15,
                api_rate_limit: 600,
                api_rate_window_seconds: 300,
            },
        }
    }
}

impl Settings {
    /// Reads the layered configuration from `config_dir` and the environment.
    pub fn load(config_dir: &std::path::Path) -> anyhow::Result<Self> {
        let profile = std::env::var("APP_PROFILE").unwrap_or_else(|_| "local".into());
        let mut figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join(format!("{profile}.toml"))))
            .merge(Env::prefixed("APP_").split("__").ignore(&["profile"]));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database.url", url));
        }
        figment
            .extract()
            .map_err(|e| anyhow::anyhow!("Failed to read the configuration: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_default_file_matches_the_built_in_defaults() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let from_file: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(dir.join("default.toml")))
            .extract()
            .expect("config/default.toml parses");
        assert_eq!(from_file, Settings::default());
    }
}
