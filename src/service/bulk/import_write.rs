//! The database thread of an import: each chunk's registered firms looked up, its rows
//! written in file order, new firms inserted in batches, each row's outcome handed on as it
//! is decided.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Receiver;

use uuid::Uuid;

use super::Bulk;
use super::import_apply::{Applied, Refused};
use super::import_check::{Checked, Content, Message, NewFirm};
use super::report::{RowAction, RowOutcome, Tally};
use crate::bulk::Record;
use crate::domain::Firm;
use crate::service::classify_many::Classifier;
use crate::service::error::ServiceError;
use crate::storage::{self, DbConnection, FirmRow};

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

/// The rows written (or refused): counted, the first kept, and the registered firms they
/// changed.
pub(super) struct Written {
    /// Per-row outcomes, counted and sampled.
    pub tally: Tally,
    /// Registered firms a row changed, each once, in file order: they are classified
    /// with their stored facts afterwards.
    pub existing: Vec<Uuid>,
}

/// Where the database thread hands what it decides.
pub(super) struct WriteTo<'c, 'r> {
    /// The rules' classifier, if a rule set is in force.
    pub classifier: &'c mut Option<Classifier<'r>>,
    /// Told how many rows are done, every thousand or so.
    pub progress: &'c dyn Fn(u64),
    /// Told each row's outcome as it is decided, in file order.
    pub sink: &'c mut dyn FnMut(&RowOutcome),
}

impl Bulk<'_> {
    /// Writes the rows in file order as the reader hands them over, inserting new firms in
    /// batches. `lookup`: whether firm rows' USCCs are looked up among registered firms.
    pub(super) fn write_rows(
        &self,
        conn: &mut DbConnection,
        chunks: Receiver<Message>,
        lookup: bool,
        to: WriteTo<'_, '_>,
    ) -> Result<Written, ServiceError> {
        let mut writer = RowWriter {
            batch: FirmBatch::default(),
            written: Written {
                tally: Tally::default(),
                existing: Vec::new(),
            },
            seen: HashSet::new(),
        };
        let mut ended = false;
        for message in chunks {
            let chunk = match message {
                Message::Chunk(chunk) => chunk,
                Message::Failed(e) => {
                    return Err(ServiceError::Unexpected(anyhow::anyhow!(
                        "{e}; nothing was imported"
                    )));
                }
                Message::End => {
                    ended = true;
                    break;
                }
            };
            let known = if lookup {
                registered_ids(conn, &chunk)?
            } else {
                HashMap::new()
            };
            for (row, content) in chunk {
                let outcome = match content {
                    Content::Unread(e) => RowOutcome {
                        row,
                        uscc: String::new(),
                        action: RowAction::Error,
                        errors: e.errors,
                        changes: Vec::new(),
                    },
                    Content::Row(record, pre) => {
                        let uscc = record.uscc().to_owned();
                        let check = pre.resolve(&known);
                        writer.write(
                            self,
                            conn,
                            to.classifier,
                            (row, uscc, Some(&record)),
                            check,
                        )?
                    }
                    Content::Decided(uscc, check) => {
                        writer.write(self, conn, to.classifier, (row, uscc, None), check)?
                    }
                };
                (to.sink)(&outcome);
                writer.written.tally.add(outcome);
                let done = writer.written.tally.rows() as u64;
                if done.is_multiple_of(1_000) {
                    (to.progress)(done);
                }
            }
        }
        if !ended {
            return Err(ServiceError::Unexpected(anyhow::anyhow!(
                "the file reader stopped after {} rows",
                writer.written.tally.rows()
            )));
        }
        writer.batch.flush(conn, to.classifier)?;
        Ok(writer.written)
    }
}

/// The ids of the registered firms a chunk's firm rows name, by normalised USCC. Rows
/// refused when the file was read (bad or duplicate codes) are left out.
fn registered_ids(
    conn: &mut DbConnection,
    chunk: &[(usize, Content)],
) -> Result<HashMap<String, Uuid>, ServiceError> {
    let usccs: Vec<String> = chunk
        .iter()
        .filter_map(|(_, content)| match content {
            Content::Row(_, pre) => pre.uscc().map(str::to_owned),
            _ => None,
        })
        .collect();
    Ok(storage::find_firm_ids_by_usccs(conn, &usccs)?)
}

/// A row the checker decided reached a path that needs its record.
fn unread() -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!(
        "an import row's record was dropped before it was written"
    ))
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
    /// Writes one row read without error as the checker found it: its number, its USCC as
    /// written and its record (which only a registered firm's, a year's or a round's row
    /// needs).
    fn write(
        &mut self,
        bulk: &Bulk<'_>,
        conn: &mut DbConnection,
        classifier: &mut Option<Classifier<'_>>,
        (row, uscc, record): (usize, String, Option<&Record>),
        check: Checked,
    ) -> Result<RowOutcome, ServiceError> {
        let created_firm = matches!(check, Checked::New(_));
        let applied = match check {
            Checked::Invalid(errors) => Err(Refused::from(errors)),
            Checked::New(new) => {
                let NewFirm {
                    id,
                    row,
                    firm,
                    enters,
                } = *new;
                self.batch.firms.extend(firm.filter(|_| enters));
                self.batch.rows.push(row);
                if self.batch.rows.len() >= PENDING_FIRMS {
                    self.batch.flush(conn, classifier)?;
                }
                Ok(Applied {
                    action: RowAction::Create,
                    firm_id: id,
                    changes: Vec::new(),
                })
            }
            Checked::Known(id, checked) => match record {
                Some(Record::Firm(input)) => {
                    bulk.update_firm_row(conn, id, input, checked.map(|f| f.profile))?
                }
                Some(record) => bulk.apply_row(conn, record)?,
                None => return Err(unread()),
            },
            Checked::Other => bulk.apply_row(conn, record.ok_or_else(unread)?)?,
        };
        Ok(match applied {
            Ok(Applied {
                action,
                firm_id,
                changes,
            }) => {
                // A file names a firm once, so a created firm needs no `seen`.
                if !created_firm && action != RowAction::Unchanged && self.seen.insert(firm_id) {
                    self.written.existing.push(firm_id);
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
