//! Importing a file of firms, figures or rounds: a dry run by default, or all or nothing.
//!
//! Both modes run the same code inside one write transaction — write every row, classify
//! every affected firm, record events with cause `import` — and a dry run (or any refused
//! row) rolls it back. So a dry run predicts exactly what a commit does; the price is that
//! it holds the write lock while it runs.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use uuid::Uuid;

use super::classify_many::Classifier;
use super::ledger::Cause;
use super::{Registry, ServiceError};
use crate::bulk::{ImportFile, Record};
use crate::domain::{FieldError, FinancingRound, Firm, Uscc, ValidationErrors};
use crate::storage::{self, DbConnection, LedgerLock};

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
}

/// A tier change the import causes (or would cause).
#[derive(Debug, Clone, Serialize)]
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
}

impl ImportReport {
    /// How many rows had `action`.
    pub fn count(&self, action: RowAction) -> usize {
        self.rows.iter().filter(|r| r.action == action).count()
    }
}

/// Firms a firm file names that are already registered, and new firms waiting to be inserted
/// together: registering 100,000 firms one statement each is several times slower.
#[derive(Default)]
struct FirmBatch {
    known: HashMap<String, Uuid>,
    pending: Vec<Firm>,
    /// Firms this import registers: they have no ledger history yet.
    created: HashSet<Uuid>,
}

/// New firms inserted per multi-row statement batch.
const PENDING_FIRMS: usize = 1_000;

impl FirmBatch {
    /// Inserts the pending firms and classifies them at once from their profiles: a firm
    /// file's new firms have no other facts, and reading a million of them back in id
    /// batches cost more than the rules.
    fn flush(
        &mut self,
        conn: &mut DbConnection,
        classifier: &mut Option<Classifier<'_>>,
    ) -> Result<(), ServiceError> {
        storage::insert_firms(conn, &self.pending)?;
        if let Some(classifier) = classifier {
            classifier.classify_new(&self.pending)?;
            classifier.flush(conn)?;
        }
        self.pending.clear();
        Ok(())
    }
}

/// Ends the transaction early: a rollback with the report, or a failure.
enum Abort {
    Rollback(ImportReport),
    Failed(ServiceError),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Self {
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
    #[tracing::instrument(skip_all, fields(rows = file.rows.len(), commit))]
    pub fn import(
        &self,
        file: &ImportFile,
        commit: bool,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<ImportReport, ServiceError> {
        let outcome = self.write_with(|conn| {
            storage::lock_ledger(conn, LedgerLock::Exclusive)?;
            storage::prepare_for_bulk(conn)?;
            let usccs: Vec<String> = file
                .rows
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .filter(|r| matches!(r, Record::Firm(_)))
                .filter_map(|r| Uscc::parse(r.uscc()).ok().map(|u| u.to_string()))
                .collect();
            let mut batch = FirmBatch {
                known: storage::find_firm_ids_by_usccs(conn, &usccs)?,
                pending: Vec::new(),
                created: HashSet::new(),
            };
            let mut classifier = self.classifier(conn, Cause::Import, actor)?;
            let mut rows = Vec::with_capacity(file.rows.len());
            let mut affected: Vec<Uuid> = Vec::new();
            let mut seen: HashSet<Uuid> = HashSet::new();
            let mut usccs: HashMap<String, String> = HashMap::new();
            for (done, (row, parsed)) in file.rows.iter().enumerate() {
                let outcome = match parsed {
                    Err(e) => RowOutcome {
                        row: *row,
                        uscc: String::new(),
                        action: RowAction::Error,
                        errors: e.errors.clone(),
                    },
                    Ok(record) => {
                        let uscc = record.uscc().to_owned();
                        match self.apply_row(conn, record, &mut batch, &mut classifier)? {
                            Ok((action, firm_id)) => {
                                if action != RowAction::Unchanged && seen.insert(firm_id) {
                                    affected.push(firm_id);
                                    usccs.insert(firm_id.to_string(), uscc.clone());
                                }
                                RowOutcome {
                                    row: *row,
                                    uscc,
                                    action,
                                    errors: Vec::new(),
                                }
                            }
                            Err(errors) => RowOutcome {
                                row: *row,
                                uscc,
                                action: RowAction::Error,
                                errors: errors.0,
                            },
                        }
                    }
                };
                rows.push(outcome);
                if (done as u64).is_multiple_of(1_000) {
                    progress(done as u64);
                }
            }
            batch.flush(conn, &mut classifier)?;
            progress(rows.len() as u64);
            // Firms this import registered were classified as they were inserted; the others
            // (updated firms, firms given years or rounds) are read back with their facts.
            let events = match classifier {
                Some(mut classifier) => {
                    let existing: Vec<Uuid> = affected
                        .into_iter()
                        .filter(|id| !batch.created.contains(id))
                        .collect();
                    classifier.classify_ids(conn, &existing, &|_| false, progress)?;
                    classifier.finish(conn)?
                }
                None => Vec::new(),
            };
            let tier_changes = events
                .into_iter()
                .map(|e| TierChange {
                    uscc: usccs.get(&e.firm_id).cloned().unwrap_or_default(),
                    track: e.track,
                    from: e.from_tier,
                    to: e.to_tier,
                    kind: e.kind,
                })
                .collect();
            let refused = rows.iter().any(|r| r.action == RowAction::Error);
            let report = ImportReport {
                committed: commit && !refused,
                rows,
                tier_changes,
            };
            if report.committed {
                self.audit_in(
                    conn,
                    actor,
                    "import.committed",
                    None,
                    None,
                    serde_json::json!({
                        "rows": report.rows.len(),
                        "tier_changes": report.tier_changes.len(),
                    }),
                )?;
                Ok(report)
            } else {
                Err(Abort::Rollback(report))
            }
        });
        match outcome {
            Ok(report) | Err(Abort::Rollback(report)) => Ok(report),
            Err(Abort::Failed(e)) => Err(e),
        }
    }

    /// Writes one row; the inner error is the row's field errors (the transaction goes on so
    /// every row is reported), the outer one a database failure.
    fn apply_row(
        &self,
        conn: &mut DbConnection,
        record: &Record,
        batch: &mut FirmBatch,
        classifier: &mut Option<Classifier<'_>>,
    ) -> Result<Result<(RowAction, Uuid), ValidationErrors>, ServiceError> {
        let ctx = self.parse_context();
        let now = self.clock().now();
        let firm =
            |conn: &mut DbConnection| -> Result<Result<Firm, ValidationErrors>, ServiceError> {
                let uscc = match Uscc::parse(record.uscc()) {
                    Ok(uscc) => uscc,
                    Err(e) => return Ok(Err(e.into())),
                };
                match storage::find_firm_id_by_uscc(conn, &uscc)? {
                    Some(id) => Ok(Ok(
                        storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))?
                    )),
                    None => Ok(Err(unknown_firm(record))),
                }
            };
        match record {
            Record::Firm(input) => {
                // Every field is checked before the lookup, so a row reports all its errors.
                let profile = match input.parse(ctx) {
                    Ok(p) => p,
                    Err(e) => return Ok(Err(e)),
                };
                let Some(&id) = batch.known.get(profile.uscc.as_str()) else {
                    let id = Uuid::now_v7();
                    batch.created.insert(id);
                    batch.pending.push(Firm {
                        id,
                        version: 1,
                        created_at: now,
                        updated_at: now,
                        profile,
                    });
                    if batch.pending.len() >= PENDING_FIRMS {
                        batch.flush(conn, classifier)?;
                    }
                    return Ok(Ok((RowAction::Create, id)));
                };
                let current =
                    storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
                if current.profile == profile {
                    return Ok(Ok((RowAction::Unchanged, id)));
                }
                let updated = Firm {
                    version: current.version + 1,
                    updated_at: now,
                    profile,
                    ..current.clone()
                };
                storage::update_firm(conn, &updated, current.version)?;
                Ok(Ok((RowAction::Update, id)))
            }
            Record::Year { input, .. } => {
                let firm = match firm(conn)? {
                    Ok(f) => f,
                    Err(e) => return Ok(Err(e)),
                };
                let founded = chrono::Datelike::year(&firm.profile.founded_on);
                let year = match input.parse(None, Some(founded), ctx) {
                    Ok(y) => y,
                    Err(e) => return Ok(Err(e)),
                };
                let stored = storage::list_years(conn, firm.id)?;
                let action = match stored.iter().find(|y| y.fiscal_year == year.fiscal_year) {
                    Some(old) if *old == year => return Ok(Ok((RowAction::Unchanged, firm.id))),
                    Some(_) => RowAction::Update,
                    None => RowAction::Create,
                };
                storage::put_year(conn, firm.id, &year, now)?;
                Ok(Ok((action, firm.id)))
            }
            Record::Financing { input, .. } => {
                let firm = match firm(conn)? {
                    Ok(f) => f,
                    Err(e) => return Ok(Err(e)),
                };
                let round = match input.parse(Some(firm.profile.founded_on), ctx) {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(e)),
                };
                // Rounds have no key: the same round imported twice is recognised by content.
                let same = storage::list_financings(conn, firm.id)?
                    .into_iter()
                    .any(|(r, _)| FinancingRound { id: None, ..r } == round);
                if same {
                    return Ok(Ok((RowAction::Unchanged, firm.id)));
                }
                storage::insert_financing(conn, Uuid::now_v7(), firm.id, &round, now)?;
                Ok(Ok((RowAction::Create, firm.id)))
            }
        }
    }
}

fn unknown_firm(record: &Record) -> ValidationErrors {
    FieldError::new(
        "uscc",
        "unknown_firm",
        format!(
            "no firm with USCC {} is registered; import the firm first",
            record.uscc()
        ),
    )
    .into()
}
