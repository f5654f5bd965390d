//! One connection type for both backends and a pool that picks the backend by URL scheme.

use std::time::Duration;

use anyhow::{Context, bail};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// SQLite and PostgreSQL behind one type, so every query is written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// The embedded default.
    Sqlite(SqliteConnection),
    /// Production, and several app instances.
    Pg(PgConnection),
}

/// A pool of connections to one database.
pub type DbPool = r2d2::Pool<Manager>;

/// A connection taken from the pool; it goes back when dropped.
pub type Conn = r2d2::PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which backend a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (`sqlite://data/registry.db` → `data/registry.db`).
    Sqlite(String),
    /// A libpq connection URL, passed on unchanged.
    Postgres(String),
}

impl DatabaseUrl {
    /// Chooses the backend by scheme. Anything else is refused: SQLite would otherwise
    /// accept any string as a file name and silently create it.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                bail!("the SQLite URL {url:?} names no file (expected sqlite://path/to/file.db)");
            }
            Ok(Self::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else {
            let scheme = url.split_once("://").map_or(url, |(s, _)| s);
            bail!(
                "unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            )
        }
    }

    /// Whether this is the embedded backend.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }
}

/// The log size (pages) at which a committing SQLite connection checkpoints by itself. A
/// serving process checkpoints in the background well before (`service::checkpoint`), so
/// this is a bound for when that falls behind, and the rule for one-off commands.
pub const AUTO_CHECKPOINT_PAGES: u32 = 10_000;

/// An r2d2 manager that opens the right backend and prepares every new connection.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
    options: PoolOptions,
}

impl Manager {
    /// A manager for `url`; SQLite waits `busy_timeout` for a competing writer, PostgreSQL
    /// connections give up on a stalled link (see [`bounded_postgres_url`]).
    pub fn new(url: DatabaseUrl, options: PoolOptions) -> Self {
        let url = match url {
            DatabaseUrl::Postgres(url) => {
                DatabaseUrl::Postgres(bounded_postgres_url(&url, &options))
            }
            sqlite => sqlite,
        };
        Self { url, options }
    }
}

/// The URL with libpq parameters that keep a stalled link from blocking a connection for
/// minutes: a connect timeout, TCP keepalives and `tcp_user_timeout` (unacknowledged data
/// fails the socket) derived from `connection_timeout`, and a server-side
/// `statement_timeout`. Parameters the operator already put in the URL win.
pub fn bounded_postgres_url(url: &str, options: &PoolOptions) -> String {
    let wait_ms = options.connection_timeout.as_millis().max(1);
    // libpq counts connect_timeout in whole seconds and treats anything under 2 as 2.
    let wait_s = wait_ms.div_ceil(1000).max(2);
    let mut wanted = vec![
        ("connect_timeout", wait_s.to_string()),
        ("keepalives", "1".into()),
        ("keepalives_idle", wait_s.to_string()),
        ("keepalives_interval", "1".into()),
        ("keepalives_count", "3".into()),
        ("tcp_user_timeout", wait_ms.to_string()),
    ];
    let statement_ms = options.statement_timeout.as_millis();
    if statement_ms > 0 {
        // `-c statement_timeout=N`, percent-encoded as a URI query value.
        wanted.push((
            "options",
            format!("-c%20statement_timeout%3D{statement_ms}"),
        ));
    }
    let present: Vec<&str> = url
        .split_once('?')
        .map(|(_, query)| {
            query
                .split('&')
                .map(|p| p.split('=').next().unwrap_or(p))
                .collect()
        })
        .unwrap_or_default();
    let mut bounded = url.to_owned();
    for (key, value) in wanted {
        if present.contains(&key) {
            continue;
        }
        bounded.push(if bounded.contains('?') { '&' } else { '?' });
        bounded.push_str(&format!("{key}={value}"));
    }
    bounded
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // Pragmas are per connection: durability (WAL + FULL), integrity (foreign
                // keys are off by default in SQLite) and waiting for writers instead of failing.
                // The busy timeout comes first: switching to WAL needs a lock, and without a
                // timeout a new connection opened while another writes would fail at once.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA wal_autocheckpoint = {AUTO_CHECKPOINT_PAGES};",
                    self.options.busy_timeout.as_millis()
                ))
                .map_err(r2d2::Error::QueryError)?;
                if let Some(pages) = self.options.sqlite_max_page_count {
                    conn.batch_execute(&format!("PRAGMA max_page_count = {pages};"))
                        .map_err(r2d2::Error::QueryError)?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// Pool settings from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolOptions {
    /// Most connections kept open.
    pub max_size: u32,
    /// How long a request waits for a free connection before answering 503.
    pub connection_timeout: Duration,
    /// How long SQLite waits for another writer before giving up with "database is locked".
    pub busy_timeout: Duration,
    /// PostgreSQL: the server cancels a statement running longer; zero means no limit.
    pub statement_timeout: Duration,
    /// SQLite: the most pages the file may grow to (`PRAGMA max_page_count`).
    pub sqlite_max_page_count: Option<u32>,
}

/// Opens a pool. The first connection is made lazily, so start-up can report a down
/// database with a clear message from `migrate`.
pub fn build_pool(url: &DatabaseUrl, options: PoolOptions) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| {
            format!("Failed to create the database directory {}", dir.display())
        })?;
    }
    if let DatabaseUrl::Sqlite(path) = url {
        // WAL mode is stored in the file. Switching a new file to it takes a lock that the
        // busy handler does not wait for, so do it once here rather than racing in every
        // connection the pool opens at once.
        let mut conn = SqliteConnection::establish(path)
            .with_context(|| format!("Failed to open the SQLite database {path}"))?;
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
            options.busy_timeout.as_millis()
        ))
        .with_context(|| format!("Failed to switch {path} to WAL mode"))?;
    }
    Ok(r2d2::Pool::builder()
        .max_size(options.max_size)
        .connection_timeout(options.connection_timeout)
        .build_unchecked(Manager::new(url.clone(), options)))
}

/// Applies pending migrations of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|versions| versions.len()),
        DbConnection::Pg(c) => {
            // A migration may rewrite a large table: no statement limit for this connection.
            c.batch_execute("SET statement_timeout = 0")
                .map_err(|e| anyhow::anyhow!("Failed to prepare migrations: {e}"))?;
            let applied = c
                .run_pending_migrations(PG_MIGRATIONS)
                .map(|versions| versions.len());
            let _ = c.batch_execute("RESET statement_timeout");
            applied
        }
    }
    .map_err(|e| anyhow::anyhow!("Failed to run migrations: {e}"))?;
    Ok(applied)
}

/// Reads the durability settings PostgreSQL runs with; acknowledged writes are only safe
/// with both on. Returns a warning to log, if any.
pub fn check_durability(conn: &mut DbConnection) -> Option<String> {
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        setting: String,
    }
    let DbConnection::Pg(pg) = conn else {
        return None;
    };
    let mut problems = Vec::new();
    for name in ["fsync", "synchronous_commit"] {
        let value = diesel::sql_query("SELECT setting FROM pg_settings WHERE name = $1")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result::<Setting>(pg)
            .map(|s| s.setting)
            .unwrap_or_else(|_| "unknown".into());
        if value != "on" && value != "remote_apply" && value != "remote_write" {
            problems.push(format!("{name} = {value}"));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "PostgreSQL runs with {}: acknowledged writes may be lost on a crash",
            problems.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_is_chosen_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/registry.db").ok(),
            Some(DatabaseUrl::Sqlite("data/registry.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://root@127.0.0.1/test"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql://root@127.0.0.1/test"),
            Ok(DatabaseUrl::Postgres(_))
        ));
    }

    #[test]
    fn postgres_connections_get_bounded_waits_unless_the_url_sets_its_own() {
        let options = PoolOptions {
            max_size: 1,
            connection_timeout: Duration::from_millis(1_500),
            busy_timeout: Duration::from_millis(1),
            statement_timeout: Duration::from_secs(30),
            sqlite_max_page_count: None,
        };
        let url = bounded_postgres_url("postgres://u@h/db", &options);
        assert!(
            url.starts_with("postgres://u@h/db?connect_timeout=2&keepalives=1"),
            "{url}"
        );
        assert!(url.contains("&tcp_user_timeout=1500"), "{url}");
        assert!(
            url.ends_with("&options=-c%20statement_timeout%3D30000"),
            "{url}"
        );
        let own = bounded_postgres_url("postgres://u@h/db?connect_timeout=9", &options);
        assert!(
            own.starts_with("postgres://u@h/db?connect_timeout=9&keepalives=1"),
            "{own}"
        );
        assert_eq!(own.matches("connect_timeout").count(), 1, "{own}");
    }

    #[test]
    fn unknown_schemes_and_bare_paths_are_refused_with_a_clear_message() {
        for url in ["mysql://root@localhost/db", "data/registry.db", "sqlite://"] {
            let err = DatabaseUrl::parse(url).expect_err(url).to_string();
            assert!(err.contains("sqlite://"), "{url}: {err}");
        }
    }
}
