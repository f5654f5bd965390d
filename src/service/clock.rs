//! The time source, replaceable in tests so that "today" can be any date.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

use crate::domain::date_in_shanghai;

/// Where the service reads the time from.
#[derive(Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<DateTime<Utc>>>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock").field("fixed", &self.fixed).finish()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(Arc::new(at)),
        }
    }

    /// Now, truncated to microseconds because PostgreSQL keeps no more and round trips must
    /// compare equal.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed
            .as_deref()
            .copied()
            .unwrap_or_else(Utc::now)
            .trunc_subsecs(6)
    }

    /// Today's date in Asia/Shanghai.
    pub fn today(&self) -> NaiveDate {
        date_in_shanghai(self.now())
    }
}
