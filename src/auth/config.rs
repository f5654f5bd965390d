//! What the gate is configured with, shared by all workers.

use std::time::Duration;

use actix_extensible_rate_limit::backend::memory::InMemoryBackend;

use super::Policy;

/// The session cookie. With `secure_cookies` the `__Host-` prefix makes browsers insist on
/// Secure, path `/` and no Domain, so a sibling host cannot plant one.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tr_session"
    } else {
        "tr_session"
    }
}

/// What the middleware needs, shared by all workers.
#[derive(Clone)]
pub struct AuthConfig {
    /// Counts, flows and targets answer anonymous callers.
    pub public_counts: bool,
    /// Cookies are `Secure` and HSTS is sent.
    pub secure_cookies: bool,
    /// Requests per window per token or anonymous address; 0 = unlimited.
    pub rate_limit: u64,
    /// The fixed window.
    pub rate_window: Duration,
    /// Per-process counters (fixed windows in memory).
    pub limiter: InMemoryBackend,
    /// What every route needs, from the faces' route tables.
    pub policy: Policy,
}

impl AuthConfig {
    /// From the settings and the merged route policy; must be called inside the actix
    /// runtime (the limiter's cleanup task is spawned on it).
    pub fn new(settings: &crate::configuration::AuthSettings, policy: Policy) -> Self {
        Self {
            public_counts: settings.public_counts,
            secure_cookies: settings.secure_cookies,
            rate_limit: settings.api_rate_limit,
            rate_window: Duration::from_secs(settings.api_rate_window_seconds.max(1)),
            limiter: InMemoryBackend::builder().build(),
            policy,
        }
    }
}
