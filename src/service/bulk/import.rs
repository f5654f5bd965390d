//! Importing a file of firms, figures or rounds: a dry run by default, or all or nothing.
//!
//! Both modes run the same code inside one write transaction — write every row, classify
//! every affected firm, record events with cause `import` — and a dry run (or any refused
//! row) rolls it back. So a dry run predicts exactly what a commit does; the price is that
//! it holds the write lock while it runs.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::Bulk;
use super::import_apply::{Applied, Refused};
use super::import_check::{Checked, NewFirm};
use super::report::{ImportReport, RowAction, RowOutcome, TierChange};
use crate::bulk::{ImportFile, Record};
use crate::domain::{Cause, Firm, TierEvent, Uscc};
use crate::service::classify_many::Classifier;
use crate::service::error::ServiceError;
use crate::service::idempotency::{Idempotency, Once};
use crate::storage::{self, DbConnection, FirmRow, LedgerLock, StorageError};

/// New firms waiting to be inserted together: registering 100,000 firms one statement each
/// is several times slower.
#[derive(Default)]
struct FirmBatch {
    /// The new firms that enter a tier, to classify once inserted.
    firms: Vec<Firm>,
    /// Every new firm's row.
    rows: Vec<FirmRow>,
}

/// New firms inserted per multi-row statement batch.
const PENDING_FIRMS: usize = 1_000;

impl FirmBatch {
    /// Inserts the pending firms and classifies those that enter a tier from their profiles:
    /// a firm file's new firms have no other facts, and reading a million of them back in id
    /// batches cost more than the rules. The checker already ran the rules on every new
    /// firm and left out those that enter no tier, for which classifying writes nothing.
    fn flush(
        &mut self,
        conn: &mut DbConnection,
        classifier: &mut Option<Classifier<'_>>,
    ) -> Result<(), ServiceError> {
        storage::insert_firm_rows(conn, &self.rows)?;
        if let Some(classifier) = classifier {
            classifier.classify_new(&self.firms)?;
            classifier.flush(conn)?;
        }
        self.firms.clear();
        self.rows.clear();
        Ok(())
    }
}

/// The rows written (or refused), and which firms they changed.
struct Written {
    /// Per-row outcomes in file order.
    rows: Vec<RowOutcome>,
    /// Registered firms a row changed, each once, in file order: they are classified
    /// with their stored facts afterwards.
    existing: Vec<Uuid>,
    /// Every firm a row created or changed, with the index of the first such row.
    changed: Vec<(Uuid, usize)>,
}

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
    /// Applies `file` in one transaction and reports per row and per tier change. It is kept
    /// only if `commit` is set and no row was refused. `progress` is told rows done, then
    /// firms classified.
    pub fn import(
        &self,
        file: &ImportFile,
        commit: bool,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<ImportReport, ServiceError> {
        match self.import_once(file, commit, actor, None, progress)? {
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
    #[tracing::instrument(skip_all, fields(rows = file.rows.len(), commit))]
    pub fn import_once(
        &self,
        file: &ImportFile,
        commit: bool,
        actor: &str,
        key: Option<&Idempotency>,
        progress: &dyn Fn(u64),
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
            storage::prepare_for_bulk(conn)?;
            let known = registered_ids(conn, file)?;
            let mut classifier = self.registry.classifier(conn, Cause::Import, actor)?;
            let rules = classifier.as_ref().map(Classifier::new_firm_rules);
            let written = self.with_checked_rows(file, &known, rules, |checked| {
                self.write_rows(conn, file, checked, &mut classifier, progress)
            })?;
            progress(written.rows.len() as u64);
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
                "rows": report.rows.len(),
                "created": report.count(RowAction::Create),
                "updated": report.count(RowAction::Update),
                "unchanged": report.count(RowAction::Unchanged),
                "tier_changes": report.tier_changes.len(),
                "changes": &report.tier_changes[..report.tier_changes.len().min(AUDITED_CHANGES)],
            }),
        )
    }

    /// Writes the rows in file order as the checker hands them over (firm rows checked,
    /// others as read), inserting new firms in batches.
    fn write_rows(
        &self,
        conn: &mut DbConnection,
        file: &ImportFile,
        checked: Receiver<Vec<Checked>>,
        classifier: &mut Option<Classifier<'_>>,
        progress: &dyn Fn(u64),
    ) -> Result<Written, ServiceError> {
        let mut writer = RowWriter {
            batch: FirmBatch::default(),
            written: Written {
                rows: Vec::with_capacity(file.rows.len()),
                existing: Vec::new(),
                changed: Vec::new(),
            },
            seen: HashSet::new(),
        };
        let mut file_rows = file.rows.iter();
        for check in checked.into_iter().flatten() {
            let Some((row, parsed)) = file_rows.next() else {
                break;
            };
            let done = writer.written.rows.len();
            let outcome = match parsed {
                Err(e) => RowOutcome {
                    row: *row,
                    uscc: String::new(),
                    action: RowAction::Error,
                    errors: e.errors.clone(),
                    changes: Vec::new(),
                },
                Ok(record) => writer.write(self, conn, classifier, *row, record, check)?,
            };
            writer.written.rows.push(outcome);
            if (done as u64).is_multiple_of(1_000) {
                progress(done as u64);
            }
        }
        let written = writer.written;
        // The checker hands over one entry per row unless it died (a panic, re-raised when
        // its scope ends): never report or commit a shortened file.
        if written.rows.len() != file.rows.len() {
            return Err(ServiceError::Unexpected(anyhow::anyhow!(
                "the row checker stopped after {} of {} rows",
                written.rows.len(),
                file.rows.len()
            )));
        }
        writer.batch.flush(conn, classifier)?;
        Ok(written)
    }
}

/// What the connection thread keeps while it writes rows.
struct RowWriter {
    /// New firms waiting to be inserted.
    batch: FirmBatch,
    /// The rows written so far.
    written: Written,
    /// Registered firms a row already changed.
    seen: HashSet<Uuid>,
}

impl RowWriter {
    /// Writes one row read without error (`record`, file row `row`) as the checker found it.
    fn write(
        &mut self,
        bulk: &Bulk<'_>,
        conn: &mut DbConnection,
        classifier: &mut Option<Classifier<'_>>,
        row: usize,
        record: &Record,
        check: Checked,
    ) -> Result<RowOutcome, ServiceError> {
        let done = self.written.rows.len();
        let uscc = record.uscc().to_owned();
        let created_firm = matches!(check, Checked::New(_));
        let applied = match check {
            Checked::Invalid(errors) => Err(Refused::from(errors)),
            Checked::New(new) => {
                let NewFirm { id, row, classify } = *new;
                self.batch.firms.extend(classify);
                self.batch.rows.push(row);
                if self.batch.rows.len() >= PENDING_FIRMS {
                    self.batch.flush(conn, classifier)?;
                }
                // A file names a firm once, so a created firm needs no `seen`.
                self.written.changed.push((id, done));
                Ok(Applied {
                    action: RowAction::Create,
                    firm_id: id,
                    changes: Vec::new(),
                })
            }
            Checked::Known(id, checked) => match record {
                Record::Firm(input) => {
                    bulk.update_firm_row(conn, id, input, checked.map(|p| *p))?
                }
                _ => bulk.apply_row(conn, record)?,
            },
            Checked::Other => bulk.apply_row(conn, record)?,
        };
        Ok(match applied {
            Ok(Applied {
                action,
                firm_id,
                changes,
            }) => {
                if !created_firm && action != RowAction::Unchanged && self.seen.insert(firm_id) {
                    self.written.existing.push(firm_id);
                    self.written.changed.push((firm_id, done));
                }
                RowOutcome {
                    row,
                    uscc,
                    action,
                    errors: Vec::new(),
                    changes,
                }
            }
            Err(Refused { errors, changes }) => RowOutcome {
                row,
                uscc,
                action: RowAction::Error,
                errors,
                changes,
            },
        })
    }
}

/// The ids of the registered firms the file's firm rows name, by normalised USCC, looked up
/// 1,000 per query. Rows refused when the file was read (bad or duplicate codes) are left out.
fn registered_ids(
    conn: &mut DbConnection,
    file: &ImportFile,
) -> Result<HashMap<String, Uuid>, ServiceError> {
    let usccs: Vec<String> = file
        .rows
        .iter()
        .filter_map(|(_, r)| match r {
            Ok(Record::Firm(input)) => Uscc::parse(&input.uscc).ok().map(String::from),
            _ => None,
        })
        .collect();
    Ok(storage::find_firm_ids_by_usccs(conn, &usccs)?)
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
    let usccs = usccs_of_events(&events, &written);
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
    let rows = written.rows;
    let refused = rows.iter().any(|r| r.action == RowAction::Error);
    Ok(ImportReport {
        committed: commit && !refused,
        rows,
        tier_changes,
        audit_id: None,
    })
}

/// The USCC of each firm that has events, from the first row that created or changed it;
/// built only for those firms (a million-row import usually has few).
fn usccs_of_events(events: &[TierEvent], written: &Written) -> HashMap<Uuid, String> {
    if events.is_empty() {
        return HashMap::new();
    }
    let wanted: HashSet<Uuid> = events.iter().map(|e| e.firm_id).collect();
    let mut usccs = HashMap::new();
    for &(id, row) in &written.changed {
        if wanted.contains(&id) {
            usccs
                .entry(id)
                .or_insert_with(|| written.rows[row].uscc.clone());
        }
    }
    usccs
}
