//! Classifying a known set of firms inside the caller's transaction: what an import and a
//! demo load do once their rows are written.

use std::collections::HashMap;
use std::sync::Arc;

use uuid::Uuid;

use super::error::ServiceError;
use super::ledger::{Provenance, Reclassification, apply_classification};
use super::ledger_batch::LedgerBatch;
use super::registry::Registry;
use crate::domain::{Cause, Dossier, Firm, FirmProfile, TierEvent};
use crate::rules::{EvalContext, RuleLibrary};
use crate::storage::{self, CurrentTierRow, DbConnection};

/// Firms loaded and classified together; one SQL parameter per firm, so kept well under the
/// backends' limits.
const BATCH: usize = 2_000;

/// Classification of many firms in one transaction with the rule set in force today: the
/// ledger writes are collected and written per chunk (see `LedgerBatch`).
pub(crate) struct Classifier<'a> {
    library: Arc<RuleLibrary>,
    ctx: EvalContext<'a>,
    provenance: Provenance<'a>,
    batch: LedgerBatch,
    events: Vec<TierEvent>,
}

/// The rules in force, for telling off the database thread which new firms a classification
/// would touch.
#[derive(Clone)]
pub(crate) struct NewFirmRules<'a> {
    library: Arc<RuleLibrary>,
    ctx: EvalContext<'a>,
    day: chrono::NaiveDate,
}

impl NewFirmRules<'_> {
    /// Whether `Classifier::classify_new` would record anything for a firm inserted in this
    /// transaction with `firm` as its only facts. Such a firm holds no tier, so only a tier
    /// it enters is a change; for every other firm it writes nothing and can be skipped.
    pub(crate) fn enters_a_tier(&self, firm: &FirmProfile) -> bool {
        let Some(set) = self.library.in_force(self.day) else {
            return false;
        };
        let dossier = Dossier {
            firm: firm.clone(),
            years: Vec::new(),
            financings: Vec::new(),
            certificates: Vec::new(),
        };
        let tiers = crate::rules::classify(set, &dossier, &self.ctx);
        (0..set.tracks().len()).any(|track| tiers.get(track).is_some())
    }
}

impl<'a> Classifier<'a> {
    /// The rule set this classifier applies, for `NewFirmRules::enters_a_tier`.
    pub(crate) fn new_firm_rules(&self) -> NewFirmRules<'a> {
        NewFirmRules {
            library: Arc::clone(&self.library),
            ctx: self.ctx,
            day: self.provenance.day,
        }
    }
}

impl Classifier<'_> {
    /// Queues the changes of one firm (`fresh`: inserted in this transaction, holding nothing).
    pub(crate) fn classify(
        &mut self,
        firm: &Firm,
        dossier: &Dossier,
        current: &[CurrentTierRow],
        fresh: bool,
    ) -> Result<(), ServiceError> {
        let Some(set) = self.library.in_force(self.provenance.day) else {
            return Ok(());
        };
        apply_classification(
            &mut self.batch,
            &Reclassification {
                set,
                ctx: &self.ctx,
                firm,
                dossier,
                current,
                fresh,
                provenance: self.provenance,
            },
        )?;
        Ok(())
    }

    /// Classifies firms this transaction has just inserted, from their profiles alone: they
    /// have no figures, rounds, certificates, tiers or events yet, so nothing is read back.
    pub(crate) fn classify_new(&mut self, firms: &[Firm]) -> Result<(), ServiceError> {
        for firm in firms {
            let dossier = Dossier {
                firm: firm.profile.clone(),
                years: Vec::new(),
                financings: Vec::new(),
                certificates: Vec::new(),
            };
            self.classify(firm, &dossier, &[], true)?;
        }
        Ok(())
    }

    /// Loads and classifies `ids` in batches (five queries per batch, never per firm),
    /// writing each batch's ledger rows. `progress` is told how many firms are done.
    pub(crate) fn classify_ids(
        &mut self,
        conn: &mut DbConnection,
        ids: &[Uuid],
        is_fresh: &dyn Fn(Uuid) -> bool,
        progress: &dyn Fn(u64),
    ) -> Result<(), ServiceError> {
        let mut done = 0u64;
        for chunk in ids.chunks(BATCH) {
            let all_fresh = chunk.iter().all(|id| is_fresh(*id));
            for item in storage::load_firms(conn, chunk, !all_fresh)? {
                let fresh = is_fresh(item.firm.id);
                self.classify(&item.firm, &item.dossier, &item.current, fresh)?;
            }
            self.flush(conn)?;
            done += chunk.len() as u64;
            progress(done);
        }
        Ok(())
    }

    /// Writes the queued events and current tiers (a chunk's worth).
    pub(crate) fn flush(&mut self, conn: &mut DbConnection) -> Result<(), ServiceError> {
        let written = self.batch.flush(conn)?;
        self.events.extend(written);
        Ok(())
    }

    /// Writes everything still queued, the summed counts included; returns every event.
    pub(crate) fn finish(
        mut self,
        conn: &mut DbConnection,
    ) -> Result<Vec<TierEvent>, ServiceError> {
        self.flush(conn)?;
        self.batch.apply_counts(conn)?;
        Ok(self.events)
    }
}

impl Registry {
    /// A classifier as of today for `cause` and `actor`, or `None` when no rule set is in
    /// force (firms are then not classified).
    pub(crate) fn classifier<'a>(
        &'a self,
        conn: &mut DbConnection,
        cause: Cause,
        actor: &'a str,
    ) -> Result<Option<Classifier<'a>>, ServiceError> {
        let library = self.rules_cache().current(conn)?;
        let day = self.clock().today();
        self.time().check_day_order(conn, day)?;
        if library.in_force(day).is_none() {
            tracing::warn!(%day, "no rule set in force: firms are not classified");
            return Ok(None);
        }
        Ok(Some(Classifier {
            library,
            ctx: EvalContext::new(day, self.catalog()),
            provenance: Provenance {
                cause,
                actor,
                day,
                at: self.clock().now(),
            },
            batch: LedgerBatch::default(),
            events: Vec::new(),
        }))
    }

    /// Classifies `ids` as of today with the rule set in force, recording events with `cause`
    /// and `actor` (see `Classifier::classify_ids`). `is_fresh` says which firms this
    /// transaction inserted (no events yet, which saves the sequence lookup). Returns the
    /// events recorded.
    pub(crate) fn classify_firms_in(
        &self,
        conn: &mut DbConnection,
        ids: &[Uuid],
        is_fresh: &dyn Fn(Uuid) -> bool,
        cause: Cause,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<Vec<TierEvent>, ServiceError> {
        let Some(mut classifier) = self.classifier(conn, cause, actor)? else {
            return Ok(Vec::new());
        };
        classifier.classify_ids(conn, ids, is_fresh, progress)?;
        classifier.finish(conn)
    }
}

/// Firms per tier entered, as `track/tier` → count, from a pass's events.
pub fn tiers_entered(events: &[TierEvent]) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for e in events {
        if let Some(tier) = &e.to_tier {
            *counts.entry(format!("{}/{tier}", e.track)).or_insert(0) += 1;
        }
    }
    counts
}
