//! Time passing: re-evaluating every firm as days pass, and keeping writes in day order
//! (`day_order`): the `TimePassing` capability.

pub(crate) mod day_order;
pub(crate) mod passes;

use chrono::NaiveDate;

use crate::service::error::ServiceError;
use crate::service::registry::Registry;
use crate::storage::{self, DbConnection};
use day_order::{TIME_JOB, TimeLag};

/// Passing time and the job's progress; reached by [`Registry::time`].
#[derive(Clone, Copy)]
pub struct TimePassing<'a> {
    registry: &'a Registry,
}

impl<'a> TimePassing<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}

/// Runs `f` in one write transaction that reclassifies firms, after bringing time passing up
/// to yesterday ([`TimePassing::catch_up`]), so no earlier day is replayed after it.
pub(crate) fn write_facts<T>(
    registry: &Registry,
    f: impl FnOnce(&mut DbConnection) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    registry.time().catch_up()?;
    registry.write(f)
}

impl TimePassing<'_> {
    /// Brings the time-passing job up to yesterday before a write that reclassifies firms,
    /// so the write can never be followed by the re-evaluation of an earlier day. Cheap when
    /// the job is current (an atomic read); otherwise it runs the missing days, or waits for
    /// the pass already running.
    pub fn catch_up(&self) -> Result<(), ServiceError> {
        let Some(yesterday) = self.registry.clock().today().pred_opt() else {
            return Ok(());
        };
        if self.registry.time_keeper().covered() >= Some(yesterday) {
            return Ok(());
        }
        self.pass(yesterday, "system", &|_| {})?;
        Ok(())
    }

    /// Refuses a write that reclassifies firms on `day` unless the time-passing job has
    /// covered the day before and not gone past `day`. Runs inside the write's transaction,
    /// after the ledger lock, so no pass can run between the check and the write.
    pub(crate) fn check_day_order(
        &self,
        conn: &mut DbConnection,
        day: NaiveDate,
    ) -> Result<(), ServiceError> {
        let Some(covered) = storage::job_last_day(conn, TIME_JOB)? else {
            // Before the job's first run there is nothing it could replay.
            return Ok(());
        };
        self.registry.time_keeper().note_covered(covered);
        if covered.succ_opt().is_some_and(|next| next < day) {
            metrics::counter!("writes_refused_total", "reason" => "time_behind").increment(1);
            return Err(ServiceError::Unavailable(format!(
                "time passing has covered up to {covered}; the days until {day} are being recorded first"
            )));
        }
        if covered > day {
            metrics::counter!("writes_refused_total", "reason" => "clock_behind").increment(1);
            return Err(ServiceError::Unavailable(format!(
                "time passing has already covered {covered}, after today ({day}) by this server's clock"
            )));
        }
        Ok(())
    }

    /// The time-passing job's progress against today, read from the database.
    pub fn lag(&self) -> Result<TimeLag, ServiceError> {
        let mut conn = self.registry.conn()?;
        let covered = storage::job_last_day(&mut conn, TIME_JOB)?;
        let lag = TimeLag {
            today: self.registry.clock().today(),
            covered,
        };
        if let Some(day) = covered {
            self.registry.time_keeper().note_covered(day);
        }
        metrics::gauge!("time_passing_lag_days").set(lag.days() as f64);
        Ok(lag)
    }
}
