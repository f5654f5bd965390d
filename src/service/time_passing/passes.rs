//! Population-wide passes: after a rule publication and as days pass.

use std::sync::mpsc::sync_channel;

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::TimePassing;
use super::day_order::TIME_JOB;
use crate::domain::Cause;
use crate::rules::{EvalContext, RuleSet};
use crate::service::error::ServiceError;
use crate::service::ledger::{Provenance, Reclassification, apply_classification};
use crate::service::ledger_batch::LedgerBatch;
use crate::storage::{self, BatchRows, DbConnection, LedgerLock};

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
    /// holds the ledger exclusively, and writes only the changes. `progress` is told how
    /// many firms are done.
    ///
    /// One ordered pass over the firms in batches (`storage::load_batch_rows`). Reading rows
    /// is most of the work and needs the connection; joining them into dossiers and running
    /// the rules does not. So a second thread joins and classifies batch N while this one
    /// reads batch N+1, then this one writes batch N's changes. Batches are independent: a
    /// batch's writes touch only its own firms' current tiers, which the next read does not
    /// cover.
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
        // Count deltas of the whole pass, applied once at the end.
        let mut counts = LedgerBatch::default();
        std::thread::scope(|scope| -> Result<(), ServiceError> {
            let (rows_sender, rows) = sync_channel::<BatchRows>(1);
            let (classified_sender, classified) = sync_channel(1);
            let ctx = &ctx;
            scope.spawn(move || {
                for batch in rows {
                    let outcome = classify_batch(batch, set, ctx, provenance);
                    // The connection's thread stopped (an error): nothing more to do.
                    if classified_sender.send(outcome).is_err() {
                        return;
                    }
                }
            });
            let mut after: Option<Uuid> = None;
            let mut in_flight = false;
            loop {
                let next = storage::load_batch_rows(conn, after, BATCH)?;
                if in_flight {
                    let (mut chunk, firms): (LedgerBatch, u64) =
                        classified.recv().map_err(|_| {
                            ServiceError::Unexpected(anyhow::anyhow!(
                                "the classifying thread stopped"
                            ))
                        })??;
                    summary.events += chunk.flush(conn)?.len() as u64;
                    counts.absorb_counts(&mut chunk);
                    summary.firms += firms;
                    progress(summary.firms);
                }
                if next.is_empty() {
                    return Ok(());
                }
                after = next.last_id()?;
                rows_sender.send(next).map_err(|_| {
                    ServiceError::Unexpected(anyhow::anyhow!("the classifying thread stopped"))
                })?;
                in_flight = true;
            }
        })?;
        counts.apply_counts(conn)?;
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

/// Joins a batch's rows into dossiers and classifies each firm into a batch of ledger
/// writes of its own; returns it with the number of firms.
fn classify_batch(
    rows: BatchRows,
    set: &RuleSet,
    ctx: &EvalContext<'_>,
    provenance: Provenance<'_>,
) -> Result<(LedgerBatch, u64), ServiceError> {
    let firms = rows.assemble()?;
    let mut batch = LedgerBatch::default();
    for item in &firms {
        apply_classification(
            &mut batch,
            &Reclassification {
                set,
                ctx,
                firm: &item.firm,
                dossier: &item.dossier,
                current: &item.current,
                fresh: false,
                provenance,
            },
        )?;
    }
    Ok((batch, firms.len() as u64))
}
