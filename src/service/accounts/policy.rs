//! Session and login limits, kept by the registry and read by the account use cases.

use chrono::Duration;

/// Session and login limits (OWASP ASVS 5.0 level 2 values by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPolicy {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login whatever happens.
    pub absolute_timeout: Duration,
    /// Failed logins allowed per account and per address within `failure_window`.
    pub max_login_failures: i64,
    /// The sliding window failures are counted over.
    pub failure_window: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
            max_login_failures: 5,
            failure_window: Duration::minutes(15),
        }
    }
}
