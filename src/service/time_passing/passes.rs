//! Population-wide passes: after a rule publication and as days pass.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::TimePassing;
use super::day_order::TIME_JOB;
use crate::domain::Cause;
use crate::rules::{EvalContext, RuleSet};
use crate::service::error::ServiceError;
use crate::service::ledger::{Provenance, Reclassification, apply_classification};
use crate::service::ledger_batch::LedgerBatch;
use crate::storage::{self, DbConnection, LedgerLock};

/// Firms loaded and classified together; bounds memory and keeps SQL parameter lists short.
const BATCH: i64 = 2_000;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassSummary {
    /// Firms classified.
    pub firms: u64,
    /// Events recorded.
    pub events: u64,
}

impl TimePassing<'_> {
    /// Classifies every firm with `set` as of `day` inside the caller's transaction, which
    /// holds the ledger exclusively. `progress` is told how many firms are done.
    pub(crate) fn reclassify_all_in(
        &self,
        conn: &mut DbConnection,
        set: &RuleSet,
        day: NaiveDate,
        cause: Cause,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<PassSummary, ServiceError> {
        self.check_day_order(conn, day)?;
        let ctx = EvalContext::new(day, self.registry.catalog());
        let provenance = Provenance {
            cause,
            actor,
            day,
            at: self.registry.clock().now(),
        };
        let mut summary = PassSummary::default();
        let mut batch = LedgerBatch::default();
        let mut after: Option<Uuid> = None;
        loop {
            let firms = storage::load_batch(conn, after, BATCH)?;
            let Some(last) = firms.last() else { break };
            after = Some(last.firm.id);
            for item in &firms {
                apply_classification(
                    &mut batch,
                    &Reclassification {
                        set,
                        ctx: &ctx,
                        firm: &item.firm,
                        dossier: &item.dossier,
                        current: &item.current,
                        fresh: false,
                        provenance,
                    },
                )?;
            }
            // Written per chunk, so memory stays bounded; counts once for the whole pass.
            summary.events += batch.flush(conn)?.len() as u64;
            summary.firms += firms.len() as u64;
            progress(summary.firms);
        }
        batch.apply_counts(conn)?;
        Ok(summary)
    }

    /// Records the tier changes that time alone brings (a founding cohort left behind, a
    /// certificate expired, the data year rolled over), one day at a time from the day after
    /// the last covered day up to `until`, each day's events effective that day. Safe to run
    /// from several instances: a day is claimed inside its transaction. In this process one
    /// pass runs at a time; writers waiting in `catch_up` queue behind it.
    #[tracing::instrument(skip_all, fields(until = %until))]
    pub fn pass(
        &self,
        until: NaiveDate,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<Vec<(NaiveDate, PassSummary)>, ServiceError> {
        let today = self.registry.clock().today();
        if until > today {
            return Err(ServiceError::Validation(
                crate::domain::FieldError::new(
                    "as_of",
                    "in_the_future",
                    format!(
                        "{until} is after today ({today}); time cannot pass ahead of the calendar"
                    ),
                )
                .into(),
            ));
        }
        let _turn = self.registry.time_keeper().passing();
        let mut done = Vec::new();
        loop {
            let outcome = self.registry.write(|conn| {
                storage::lock_ledger(conn, LedgerLock::Exclusive)?;
                let last = match storage::job_last_day(conn, TIME_JOB)? {
                    Some(day) => day,
                    // First run: every firm was classified when written, as of that day, so
                    // only the days after the latest recorded change need covering.
                    None => storage::latest_ledger_day(conn)?
                        .unwrap_or(until)
                        .min(until),
                };
                if last >= until {
                    if storage::job_last_day(conn, TIME_JOB)?.is_none() {
                        storage::set_job_last_day(conn, TIME_JOB, last)?;
                    }
                    self.registry.time_keeper().note_covered(last);
                    return Ok(None);
                }
                let day = last
                    .checked_add_days(Days::new(1))
                    .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("date overflow")))?;
                let library = self.registry.rules_cache().current(conn)?;
                let summary = match library.in_force(day) {
                    Some(set) => {
                        self.reclassify_all_in(conn, set, day, Cause::TimePassed, actor, progress)?
                    }
                    None => PassSummary::default(),
                };
                storage::set_job_last_day(conn, TIME_JOB, day)?;
                Ok(Some((day, summary)))
            })?;
            match outcome {
                Some(step) => {
                    self.registry.time_keeper().note_covered(step.0);
                    tracing::info!(day = %step.0, firms = step.1.firms, events = step.1.events, "time passed");
                    done.push(step);
                }
                None => return Ok(done),
            }
        }
    }
}
