//! The time source, replaceable in tests so that "today" can be any date and can move.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, SubsecRound, TimeDelta, Utc};

use crate::domain::date_in_shanghai;

/// Where the service reads the time from: the system clock, or a clock that stands still
/// until a test moves it (shared by every clone, so moving it moves a running server's time).
#[derive(Clone, Default)]
pub struct Clock {
    /// Microseconds since the Unix epoch of a set clock; `None` for the system clock.
    set: Option<Arc<AtomicI64>>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.set {
            None => f.write_str("Clock(system)"),
            Some(_) => write!(f, "Clock(set at {})", self.now()),
        }
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { set: None }
    }

    /// A clock stopped at `at` until `set` or `advance` moves it.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            set: Some(Arc::new(AtomicI64::new(at.timestamp_micros()))),
        }
    }

    /// Moves a set clock (and every clone of it) to `at`. The system clock cannot be moved:
    /// this returns false and changes nothing.
    pub fn set(&self, at: DateTime<Utc>) -> bool {
        match &self.set {
            Some(micros) => {
                micros.store(at.timestamp_micros(), Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Moves a set clock forward (or back, with a negative `by`).
    pub fn advance(&self, by: TimeDelta) -> bool {
        self.set(self.now() + by)
    }

    /// Now, truncated to microseconds because PostgreSQL keeps no more and round trips must
    /// compare equal.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.set {
            Some(micros) => DateTime::from_timestamp_micros(micros.load(Ordering::SeqCst))
                .unwrap_or(DateTime::UNIX_EPOCH),
            None => Utc::now(),
        }
        .trunc_subsecs(6)
    }

    /// Today's date in Asia/Shanghai.
    pub fn today(&self) -> NaiveDate {
        date_in_shanghai(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("an instant")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_set_clock_moves_for_every_clone() {
        let clock = Clock::fixed(at("2025-06-30T04:00:00Z"));
        let server_side = clock.clone();
        assert!(clock.advance(TimeDelta::days(3)));
        assert_eq!(server_side.today().to_string(), "2025-07-03");
        assert!(clock.set(at("2025-12-31T16:30:00Z")));
        // 00:30 on 1 January in Beijing.
        assert_eq!(server_side.today().to_string(), "2026-01-01");
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.set(at("2000-01-01T00:00:00Z")));
        assert!(clock.today().year() > 2025);
    }
}
