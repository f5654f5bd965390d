//! Wiring: database, migrations, the HTTP server.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::auth::{self, AuthConfig, Policy, RequestDeadline};
use crate::configuration::Settings;
use crate::http::{self, ApiError};
use crate::service::{Clock, Registry, TargetPlan};
use crate::storage::{self, DatabaseUrl, DbPool};
use crate::web as staff;

/// Opens the database named in the settings and brings its schema up to date.
pub fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let url = DatabaseUrl::parse(&settings.database.url)?;
    let pool = storage::build_pool(&url, settings.database.pool_options())?;
    let mut conn = pool.get().with_context(|| {
        format!(
            "Failed to connect to the database at {}",
            redact(&settings.database.url)
        )
    })?;
    let applied = storage::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    if let Some(warning) = storage::check_durability(&mut conn) {
        tracing::warn!("{warning}");
    }
    Ok(pool)
}

/// Opens the database and the service over it.
pub fn open_registry(settings: &Settings, clock: Clock) -> anyhow::Result<Registry> {
    let pool = open_database(settings)?;
    Ok(Registry::with_options(
        pool,
        settings.city.clone(),
        clock,
        settings.auth.policy(),
        std::time::Duration::from_millis(settings.database.head_check_ms),
    ))
}

/// How often the server checks whether a day has passed and records what time changed.
const TIME_PASSING_INTERVAL: std::time::Duration = std::time::Duration::from_secs(600);

/// How long to wait for the next run: the usual interval, or less so that a new day's pass
/// starts a second after midnight in Beijing (a write before it would wait for it).
fn until_next_run(clock: &crate::service::Clock) -> std::time::Duration {
    let now = clock.now();
    let next_day = clock
        .today()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 1))
        .map(|midnight| midnight.and_utc() - chrono::TimeDelta::hours(8));
    match next_day.map(|at| (at - now).to_std()) {
        Some(Ok(wait)) => wait.clamp(std::time::Duration::from_secs(1), TIME_PASSING_INTERVAL),
        _ => TIME_PASSING_INTERVAL,
    }
}

/// Re-evaluates every firm once per new day (certificates expire, cohorts age, the data year
/// rolls over). Several instances may run this: each day is claimed in a transaction.
fn spawn_time_passing(registry: Registry) {
    actix_web::rt::spawn(async move {
        let mut first = true;
        loop {
            if !first {
                actix_web::rt::time::sleep(until_next_run(registry.clock())).await;
            }
            first = false;
            let passing = registry.clone();
            let outcome = crate::telemetry::blocking(move || {
                let registry = passing;
                let today = registry.clock().today();
                registry.time().pass(today, "system", &|_| {})
            })
            .await;
            match outcome {
                Ok(Ok(days)) if !days.is_empty() => {
                    tracing::info!(days = days.len(), "time-passing re-evaluation done")
                }
                Ok(Ok(_)) => {}
                // `{:#}` prints the whole chain of causes, not only the outermost context.
                Ok(Err(e)) => tracing::warn!(
                    error = format!("{e:#}"),
                    "time-passing re-evaluation failed; will retry"
                ),
                Err(e) => tracing::warn!(error = %e, "time-passing re-evaluation did not run"),
            }
            // The lag gauge and the readiness answer read the job's progress themselves.
            let registry = registry.clone();
            if let Ok(Err(e)) = crate::telemetry::blocking(move || registry.time().lag()).await {
                tracing::warn!(error = format!("{e:#}"), "time-passing progress unreadable");
            }
        }
    });
}

/// Hides a password in a database URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    registry: Registry,
}

/// Listens on `address` (`HOST:PORT`).
pub fn bind(address: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address).with_context(|| format!("Failed to listen on {address}"))
}

impl Application {
    /// Opens the database and binds the listener first, so a test can ask for port 0 and
    /// learn the port before the server runs.
    pub fn build(settings: &Settings, clock: Clock) -> anyhow::Result<Self> {
        Self::build_on(settings, clock, None)
    }

    /// [`Application::build`] on a listener bound beforehand (`serve --demo` binds before it
    /// spends a while loading, so a port in use is reported at once); `None` binds
    /// `server.bind` here.
    pub fn build_on(
        settings: &Settings,
        clock: Clock,
        listener: Option<TcpListener>,
    ) -> anyhow::Result<Self> {
        let registry = open_registry(settings, clock)?;
        let published = registry
            .rule_sets()
            .publish_initial(&settings.rules.dir)
            .map_err(|e| {
                anyhow::anyhow!(
                    "Failed to publish the initial rules from {}: {e}",
                    settings.rules.dir.display()
                )
            })?;
        if published > 0 {
            tracing::info!(published, dir = %settings.rules.dir.display(), "initial rule sets published");
        }
        // Checked before serving, so a broken targets file stops start-up with its line.
        let plan = TargetPlan::load(&settings.targets.path)
            .map_err(|e| anyhow::anyhow!("Failed to load the targets: {e}"))?;
        spawn_time_passing(registry.clone());
        let listener = match listener {
            Some(listener) => listener,
            None => bind(&settings.server.bind)?,
        };
        let port = listener.local_addr()?.port();
        let auth = AuthConfig::new(&settings.auth, access_policy());
        let deadline = RequestDeadline(
            (!DatabaseUrl::parse(&settings.database.url)?.is_sqlite())
                .then(|| settings.database.pool_options().connection_timeout),
        );
        let server = run(
            listener,
            registry.clone(),
            plan,
            auth,
            deadline,
            settings.server.workers,
        )?;
        Ok(Self {
            port,
            server,
            registry,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The service the server runs on (for tools and tests that act beside the server).
    pub fn registry(&self) -> Registry {
        self.registry.clone()
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// What every route of both faces needs, from their route tables: the JSON API's (and the
/// operations endpoints'), then the staff pages'.
pub fn access_policy() -> Policy {
    Policy::new(
        http::access_routes()
            .into_iter()
            .chain(staff::access_routes()),
    )
}

fn run(
    listener: TcpListener,
    registry: Registry,
    plan: TargetPlan,
    auth: AuthConfig,
    deadline: RequestDeadline,
    workers: usize,
) -> anyhow::Result<Server> {
    http::metrics::install();
    let registry = web::Data::new(registry);
    let plan = web::Data::new(plan);
    let auth = web::Data::new(auth);
    // Made once, outside the factory, so that every worker shares it.
    let memory = web::Data::new(staff::PageMemory::default());
    let rendered = web::Data::new(http::Rendered::default());
    let mut server = HttpServer::new(move || {
        // The last `wrap` is outermost: security headers go on every response, including the
        // refusals of the authentication middleware, which runs last before routing.
        App::new()
            .wrap(from_fn(auth::authenticate::<http::Api, staff::Pages>))
            .wrap(from_fn(auth::deadline::<http::Api, staff::Pages>))
            .wrap(from_fn(staff::localise_errors))
            .wrap(from_fn(http::metrics::track))
            .wrap(TracingLogger::default())
            .wrap(from_fn(auth::security_headers))
            .app_data(registry.clone())
            .app_data(auth.clone())
            .app_data(plan.clone())
            .app_data(memory.clone())
            .app_data(rendered.clone())
            .app_data(deadline)
            .configure(http::extractor_config)
            // Every fixed pattern of both faces before any with a parameter: see
            // `auth::Patterns`.
            .configure(|cfg| http::configure(cfg, auth::Patterns::Fixed))
            .configure(|cfg| staff::configure(cfg, auth::Patterns::Fixed))
            .configure(|cfg| http::configure(cfg, auth::Patterns::WithParameters))
            .configure(|cfg| staff::configure(cfg, auth::Patterns::WithParameters))
            .default_service(web::to(|req: actix_web::HttpRequest| async move {
                // Browsers get the staff 404 page; API clients keep problem+json.
                if staff::wants_html(&req) {
                    Ok(staff::not_found_page(&req))
                } else {
                    Err::<actix_web::HttpResponse, _>(ApiError::NotFound)
                }
            }))
    })
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

#[cfg(test)]
mod tests {
    use super::{TIME_PASSING_INTERVAL, redact, until_next_run};
    use crate::service::Clock;

    #[test]
    fn every_route_is_listed_once() {
        let duplicates = super::access_policy().duplicates();
        assert!(duplicates.is_empty(), "listed twice: {duplicates:?}");
    }

    #[test]
    fn registering_fixed_patterns_first_changes_no_match() {
        // In the tables' own order (both faces), a fixed path that a parameter pattern also
        // matches must already come first: then registering every fixed pattern before the
        // parameter ones (`auth::Patterns`) routes every request as before.
        let policy = super::access_policy();
        let mut paths: Vec<&str> = Vec::new();
        for (_, path, _) in policy.routes() {
            if !paths.contains(path) {
                paths.push(path);
            }
        }
        for (at, fixed) in paths.iter().enumerate().filter(|(_, p)| !p.contains('{')) {
            for earlier in &paths[..at] {
                assert!(
                    !actix_web::dev::ResourceDef::new(*earlier).is_match(fixed),
                    "{fixed} is listed after {earlier}, which matches it"
                );
            }
        }
    }

    #[test]
    fn passwords_in_database_urls_are_not_logged() {
        assert_eq!(
            redact("postgres://app:s3cret@db/registry"),
            "postgres://app:***@db/registry"
        );
        assert_eq!(
            redact("postgres://root@127.0.0.1/test"),
            "postgres://root@127.0.0.1/test"
        );
        assert_eq!(
            redact("sqlite://data/registry.db"),
            "sqlite://data/registry.db"
        );
    }

    fn clock_at(text: &str) -> Clock {
        Clock::fixed(
            chrono::DateTime::parse_from_rfc3339(text)
                .expect("an instant")
                .with_timezone(&chrono::Utc),
        )
    }

    #[test]
    fn the_daily_pass_wakes_a_second_after_midnight_in_beijing() {
        // 23:59:00 in Beijing.
        let wait = until_next_run(&clock_at("2025-06-30T15:59:00Z"));
        assert_eq!(wait, std::time::Duration::from_secs(61));
        // Noon in Beijing: the usual interval.
        let wait = until_next_run(&clock_at("2025-06-30T04:00:00Z"));
        assert_eq!(wait, TIME_PASSING_INTERVAL);
    }
}
