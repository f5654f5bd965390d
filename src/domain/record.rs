//! A stored financing round or certificate with its bookkeeping: version and withdrawal.

use chrono::{DateTime, Utc};

/// Why, when and by whom a record was withdrawn. A withdrawn record stays stored but no
/// longer counts for classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who: a user name, `api`, `cli`.
    pub by: String,
    /// The reason given.
    pub reason: String,
}

/// A stored record of a firm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded<T> {
    /// The record as it stands (corrected, if it was).
    pub item: T,
    /// When it was first recorded.
    pub recorded_at: DateTime<Utc>,
    /// Starts at 1; every correction or withdrawal adds one.
    pub version: i64,
    /// Set once it is withdrawn.
    pub withdrawn: Option<Withdrawal>,
}

impl<T> Recorded<T> {
    /// Whether it counts for classification.
    pub fn counts(&self) -> bool {
        self.withdrawn.is_none()
    }
}
