//! Importing a file of firms, figures or rounds: a dry run by default, or all or nothing.
//!
//! Both modes run the same code inside one write transaction — write every row, classify
//! every affected firm, record events with cause `import` — and a dry run (or any refused
//! row) rolls it back. So a dry run predicts exactly what a commit does; the price is that
//! it holds the write lock while it runs.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Receiver;

use serde::Serialize;
use uuid::Uuid;

use super::classify_many::Classifier;
use super::import_apply::{Applied, Refused};
use super::import_check::{Checked, NewFirm};
use super::import_diff::FieldChange;
use super::{Idempotency, Once, Registry, ServiceError};
use crate::bulk::{ImportFile, Record};
use crate::domain::{Cause, FieldError, Firm, TierEvent, Uscc};
use crate::storage::{self, DbConnection, FirmRow, LedgerLock, StorageError};

/// What happened (or would happen) to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new firm, year or round.
    Create,
    /// An existing firm or year with other values.
    Update,
    /// Already stored exactly so.
    Unchanged,
    /// Refused; see the errors.
    Error,
}

/// One row's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct RowOutcome {
    /// Row number in the file, the header being row 1.
    pub row: usize,
    /// The USCC as written.
    pub uscc: String,
    /// Its action.
    pub action: RowAction,
    /// Field errors, as the API reports them.
    pub errors: Vec<FieldError>,
    /// For an updated row, each field it changes with the stored value and the file's; for
    /// a row refused because it contradicts a stored round, how it does.
    pub changes: Vec<FieldChange>,
}

/// A tier change the import causes (or would cause).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TierChange {
    /// The firm's USCC.
    pub uscc: String,
    /// The track.
    pub track: String,
    /// The tier held before, if any.
    pub from: Option<String>,
    /// The tier held after, if any.
    pub to: Option<String>,
    /// entered / promoted / demoted / exited.
    pub kind: String,
}

/// The report of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Whether the rows were written (false for a dry run and for any refused row).
    pub committed: bool,
    /// Per-row outcomes in file order.
    pub rows: Vec<RowOutcome>,
    /// Tier changes, by firm and track.
    pub tier_changes: Vec<TierChange>,
    /// A committed import's audit entry, which keeps its summary.
    #[serde(skip)]
    pub audit_id: Option<String>,
}

impl ImportReport {
    /// How many rows had `action`.
    pub fn count(&self, action: RowAction) -> usize {
        self.rows.iter().filter(|r| r.action == action).count()
    }
}

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

/// The scope of the import page's one-time form keys.
const PAGE_SCOPE: &str = "POST /admin/import";

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

impl Registry {
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

    /// [`Registry::import`] at most once per form key: a commit whose key was already used
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
        self.catch_up_time()?;
        let now = self.clock().now();
        let outcome = self.write_with(|conn| {
            storage::lock_ledger(conn, LedgerLock::Exclusive)?;
            if commit
                && let Some(key) = key
                && let Some(audit_id) = key.replayed_in(conn, PAGE_SCOPE, now)?
            {
                return Err(Abort::Replayed(audit_id));
            }
            storage::prepare_for_bulk(conn)?;
            // Codes the file names that are registered, looked up 1,000 per query. Rows
            // refused when the file was read (bad or duplicate codes) are left out.
            let usccs: Vec<String> = file
                .rows
                .iter()
                .filter_map(|(_, r)| match r {
                    Ok(Record::Firm(input)) => Uscc::parse(&input.uscc).ok().map(String::from),
                    _ => None,
                })
                .collect();
            let known = storage::find_firm_ids_by_usccs(conn, &usccs)?;
            drop(usccs);
            let mut classifier = self.classifier(conn, Cause::Import, actor)?;
            let rules = classifier.as_ref().map(Classifier::new_firm_rules);
            let written = self.with_checked_rows(file, &known, rules, |checked| {
                self.write_rows(conn, file, checked, &mut classifier, progress)
            })?;
            progress(written.rows.len() as u64);
            // Firms this import registered were classified as they were inserted; the others
            // (updated firms, firms given years or rounds) are read back with their facts.
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
            let mut report = ImportReport {
                committed: commit && !refused,
                rows,
                tier_changes,
                audit_id: None,
            };
            if !report.committed {
                return Err(Abort::Rollback(report));
            }
            // The summary a committed import's result page shows, kept with the trail.
            let audit_id = self.audit_id_in(
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
            )?;
            if let Some(key) = key {
                key.remember_in(conn, PAGE_SCOPE, &audit_id, now)?;
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
        let mut batch = FirmBatch::default();
        let mut written = Written {
            rows: Vec::with_capacity(file.rows.len()),
            existing: Vec::new(),
            changed: Vec::new(),
        };
        let mut seen: HashSet<Uuid> = HashSet::new();
        let mut file_rows = file.rows.iter();
        for check in checked.into_iter().flatten() {
            let Some((row, parsed)) = file_rows.next() else {
                break;
            };
            let done = written.rows.len();
            let outcome = match parsed {
                Err(e) => RowOutcome {
                    row: *row,
                    uscc: String::new(),
                    action: RowAction::Error,
                    errors: e.errors.clone(),
                    changes: Vec::new(),
                },
                Ok(record) => {
                    let uscc = record.uscc().to_owned();
                    let created_firm = matches!(check, Checked::New(_));
                    let applied = match check {
                        Checked::Invalid(errors) => Err(Refused::from(errors)),
                        Checked::New(new) => {
                            let NewFirm { id, row, classify } = *new;
                            batch.firms.extend(classify);
                            batch.rows.push(row);
                            if batch.rows.len() >= PENDING_FIRMS {
                                batch.flush(conn, classifier)?;
                            }
                            // A file names a firm once, so a created firm needs no `seen`.
                            written.changed.push((id, done));
                            Ok(Applied {
                                action: RowAction::Create,
                                firm_id: id,
                                changes: Vec::new(),
                            })
                        }
                        Checked::Known(id, checked) => match record {
                            Record::Firm(input) => {
                                self.update_firm_row(conn, id, input, checked.map(|p| *p))?
                            }
                            _ => self.apply_row(conn, record)?,
                        },
                        Checked::Other => self.apply_row(conn, record)?,
                    };
                    match applied {
                        Ok(Applied {
                            action,
                            firm_id,
                            changes,
                        }) => {
                            if !created_firm
                                && action != RowAction::Unchanged
                                && seen.insert(firm_id)
                            {
                                written.existing.push(firm_id);
                                written.changed.push((firm_id, done));
                            }
                            RowOutcome {
                                row: *row,
                                uscc,
                                action,
                                errors: Vec::new(),
                                changes,
                            }
                        }
                        Err(Refused { errors, changes }) => RowOutcome {
                            row: *row,
                            uscc,
                            action: RowAction::Error,
                            errors,
                            changes,
                        },
                    }
                }
            };
            written.rows.push(outcome);
            if (done as u64).is_multiple_of(1_000) {
                progress(done as u64);
            }
        }
        // The checker hands over one entry per row unless it died (a panic, re-raised when
        // its scope ends): never report or commit a shortened file.
        if written.rows.len() != file.rows.len() {
            return Err(ServiceError::Unexpected(anyhow::anyhow!(
                "the row checker stopped after {} of {} rows",
                written.rows.len(),
                file.rows.len()
            )));
        }
        batch.flush(conn, classifier)?;
        Ok(written)
    }
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
