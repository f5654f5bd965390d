//! Importing a file of firms, figures or rounds: a dry run by default, or all or nothing.
//!
//! Both modes run the same code inside one write transaction — write every row, classify
//! every affected firm, record events with cause `import` — and a dry run (or any refused
//! row) rolls it back. So a dry run predicts exactly what a commit does; the price is that
//! it holds the write lock while it runs.

use std::collections::HashSet;

use super::Bulk;
use super::import_write::{WriteTo, Written};
use super::report::{ImportReport, RowAction, RowOutcome, TierChange};
use crate::bulk::ImportReader;
use crate::domain::Cause;
use crate::service::classify_many::Classifier;
use crate::service::error::ServiceError;
use crate::service::idempotency::{Idempotency, Once};
use crate::storage::{self, DbConnection, LedgerLock, StorageError};

/// Ends the transaction early: a rollback with the report, a commit made before under the
/// same key (its audit entry), or a failure.
enum Abort {
    Rollback(ImportReport),
    Replayed(String),
    Failed(ServiceError),
}

/// Tier changes listed in a commit's audit entry; the counts cover them all.
pub const AUDITED_CHANGES: usize = 500;

impl From<StorageError> for Abort {
    fn from(e: StorageError) -> Self {
        Self::Failed(e.into())
    }
}

impl From<ServiceError> for Abort {
    fn from(e: ServiceError) -> Self {
        Self::Failed(e)
    }
}

impl Bulk<'_> {
    /// Applies `file` in one transaction, reading it a chunk at a time, and reports per row
    /// and per tier change. It is kept only if `commit` is set and no row was refused.
    /// `progress` is told rows done, then firms classified; `sink` is told each row's outcome
    /// as it is decided, in file order (the report keeps the counts and the first rows).
    pub fn import(
        &self,
        file: &mut ImportReader<'_>,
        commit: bool,
        actor: &str,
        progress: &dyn Fn(u64),
        sink: &mut dyn FnMut(&RowOutcome),
    ) -> Result<ImportReport, ServiceError> {
        match self.import_once(file, commit, actor, None, progress, sink)? {
            Once::New(report) => Ok(report),
            Once::Replayed(_) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "an import without a key was answered as a replay"
            ))),
        }
    }

    /// [`Bulk::import`] at most once per form key: a commit whose key was already used
    /// writes nothing and answers the first commit's audit entry id. The key is looked up
    /// and stored under the import's exclusive ledger lock, in its transaction, so two
    /// submissions racing each other also commit once.
    #[tracing::instrument(skip_all, fields(kind = file.kind().as_str(), commit))]
    pub fn import_once(
        &self,
        file: &mut ImportReader<'_>,
        commit: bool,
        actor: &str,
        key: Option<&Idempotency>,
        progress: &dyn Fn(u64),
        sink: &mut dyn FnMut(&RowOutcome),
    ) -> Result<Once<ImportReport>, ServiceError> {
        // An import reclassifies firms: time passing first (see `day_order`).
        self.registry.time().catch_up()?;
        let now = self.registry.clock().now();
        let outcome = self.registry.write_with(|conn| {
            storage::lock_ledger(conn, LedgerLock::Exclusive)?;
            if commit
                && let Some(key) = key
                && let Some(audit_id) = key.replayed_in(conn, now)?
            {
                return Err(Abort::Replayed(audit_id));
            }
            storage::prepare_for_bulk(conn, storage::IMPORT_CACHE_KIB)?;
            // An empty registry (a first load) has no firm a row could name: no lookups.
            let lookup = storage::has_firms(conn)?;
            let mut classifier = self.registry.classifier(conn, Cause::Import, actor)?;
            let rules = classifier.as_ref().map(Classifier::new_firm_rules);
            let written = self.with_checked_rows(file, lookup, rules, |chunks| {
                let to = WriteTo {
                    classifier: &mut classifier,
                    progress,
                    sink,
                };
                self.write_rows(conn, chunks, lookup, to)
            })?;
            progress(written.tally.rows() as u64);
            let mut report = report(conn, written, classifier, commit, progress)?;
            if !report.committed {
                return Err(Abort::Rollback(report));
            }
            let audit_id = self.record_commit(conn, actor, &report)?;
            if let Some(key) = key {
                key.remember_in(conn, &audit_id, now)?;
            }
            report.audit_id = Some(audit_id);
            Ok(report)
        });
        match outcome {
            Ok(report) | Err(Abort::Rollback(report)) => Ok(Once::New(report)),
            Err(Abort::Replayed(audit_id)) => Ok(Once::Replayed(audit_id)),
            Err(Abort::Failed(e)) => Err(e),
        }
    }

    /// Records a committed import with the summary its result page shows, kept with the
    /// trail; returns the entry's id.
    fn record_commit(
        &self,
        conn: &mut DbConnection,
        actor: &str,
        report: &ImportReport,
    ) -> Result<String, ServiceError> {
        self.registry.audit().record_id_in(
            conn,
            actor,
            "import.committed",
            None,
            None,
            serde_json::json!({
                "rows": report.total(),
                "created": report.count(RowAction::Create),
                "updated": report.count(RowAction::Update),
                "unchanged": report.count(RowAction::Unchanged),
                "tier_changes": report.tier_changes.len(),
                "changes": &report.tier_changes[..report.tier_changes.len().min(AUDITED_CHANGES)],
            }),
        )
    }
}

/// The report of the rows written: firms this import registered were classified as they were
/// inserted; the others (updated firms, firms given years or rounds) are read back with their
/// facts and classified now. Committed only if `commit` is set and no row was refused.
fn report(
    conn: &mut DbConnection,
    written: Written,
    classifier: Option<Classifier<'_>>,
    commit: bool,
    progress: &dyn Fn(u64),
) -> Result<ImportReport, ServiceError> {
    let events = match classifier {
        Some(mut classifier) => {
            classifier.classify_ids(conn, &written.existing, &|_| false, progress)?;
            classifier.finish(conn)?
        }
        None => Vec::new(),
    };
    // The USCC of each firm that has events, looked up only for those firms (a million-row
    // import usually has few): the rows that named them are gone.
    let ids: Vec<_> = events
        .iter()
        .map(|e| e.firm_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let usccs = storage::find_usccs_by_ids(conn, &ids)?;
    let tier_changes = events
        .into_iter()
        .map(|e| TierChange {
            uscc: usccs.get(&e.firm_id).cloned().unwrap_or_default(),
            track: e.track,
            from: e.from_tier,
            to: e.to_tier,
            kind: e.kind.as_str().to_owned(),
        })
        .collect();
    let committed = commit && !written.tally.refused();
    Ok(written.tally.into_report(committed, tier_changes))
}
