//! Structured logs to stderr.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; `RUST_LOG` overrides the configured filter.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Runs blocking work (a service call) on actix's blocking thread pool inside the caller's
/// tracing span. `web::block` alone starts the closure on another thread with no span, so the
/// service's spans and events would be cut off from the request that caused them; every face
/// goes through here instead.
pub async fn blocking<F, R>(f: F) -> Result<R, actix_web::error::BlockingError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let span = tracing::Span::current();
    // The subscriber too: a scoped one (a test's) is thread-local and would not follow.
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    actix_web::web::block(move || tracing::dispatcher::with_default(&dispatch, || span.in_scope(f)))
        .await
}

#[cfg(test)]
mod tests {
    use tracing::Instrument;

    #[actix_web::test]
    async fn blocking_work_runs_inside_the_callers_span() {
        // A span has an id only while some subscriber records it.
        let subscriber = tracing_subscriber::fmt()
            .with_writer(std::io::sink)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let request = tracing::info_span!("request");
        let expected = request.id();
        let seen = async { super::blocking(|| tracing::Span::current().id()).await }
            .instrument(request)
            .await
            .expect("the blocking pool ran the closure");
        assert!(expected.is_some());
        assert_eq!(seen, expected);
    }
}
