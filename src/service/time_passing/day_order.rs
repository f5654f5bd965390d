//! Days in order. The ledger's as-of counts are running sums of per-day changes, so they are
//! only right if changes are written in day order: a day's time-passing re-evaluation must
//! never run after a write of a later day, or it would be replayed against later state and
//! count firms twice (or push a day's count below zero and wedge the job).
//!
//! Two guards keep the order, whatever the order requests arrive in:
//! - a write that reclassifies a firm on day D needs the time-passing job to have covered
//!   D − 1 (and not to be past D: a clock behind the ledger's). Writers call `catch_up`
//!   first, which runs the missing days before the write, under one lock, in day order;
//!   `check_day_order` then refuses (503, retry) what slipped past it;
//! - `LedgerBatch` refuses to write changes dated before the latest day already written.
//!
//! So the per-day count table only ever grows at its end, and its running sums are counts
//! that were true at the end of each day: never below zero, by construction.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{Datelike, NaiveDate};

use crate::service::error::ServiceError;
use crate::storage::{self, DbConnection};

/// The name under which the time-passing job records its progress.
pub const TIME_JOB: &str = "time_passed";

/// What this process knows of the time-passing job.
#[derive(Debug)]
pub(crate) struct TimeKeeper {
    /// The last day known covered, as days from the common era; `i64::MIN` when not known.
    covered: AtomicI64,
    /// Held while days are being passed, so writers wait for a catch-up rather than race it.
    passing: Mutex<()>,
}

impl Default for TimeKeeper {
    fn default() -> Self {
        Self {
            covered: AtomicI64::new(i64::MIN),
            passing: Mutex::new(()),
        }
    }
}

impl TimeKeeper {
    /// The last day known covered.
    pub(crate) fn covered(&self) -> Option<NaiveDate> {
        match self.covered.load(Ordering::SeqCst) {
            i64::MIN => None,
            days => i32::try_from(days)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt),
        }
    }

    /// Records that `day` is covered (the job only moves forward).
    pub(crate) fn note_covered(&self, day: NaiveDate) {
        self.covered
            .fetch_max(i64::from(day.num_days_from_ce()), Ordering::SeqCst);
    }

    /// One pass at a time in this process.
    pub(crate) fn passing(&self) -> MutexGuard<'_, ()> {
        self.passing.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How far the time-passing job is behind today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeLag {
    /// Today in Beijing.
    pub today: NaiveDate,
    /// The last day the job covered; `None` before its first run.
    pub covered: Option<NaiveDate>,
}

impl TimeLag {
    /// Days not yet covered (0 when today is covered).
    pub fn days(&self) -> i64 {
        self.covered
            .map(|c| (self.today - c).num_days().max(0))
            .unwrap_or(0)
    }

    /// Whether writes must wait: a day before yesterday is not covered yet.
    pub fn is_behind(&self) -> bool {
        self.days() > 1
    }
}

/// Refuses ledger changes dated before the latest day already written (a clock that went
/// back): they would rewrite counts of days already reported.
pub(crate) fn check_not_before_ledger(
    conn: &mut DbConnection,
    day: NaiveDate,
) -> Result<(), ServiceError> {
    if let Some(latest) = storage::latest_ledger_day(conn)?
        && day < latest
    {
        metrics::counter!("writes_refused_total", "reason" => "clock_behind").increment(1);
        return Err(ServiceError::Unavailable(format!(
            "the ledger already holds changes of {latest}; a change dated {day} would rewrite a reported day"
        )));
    }
    Ok(())
}
