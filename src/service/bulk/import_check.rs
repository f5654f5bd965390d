//! The part of an import that needs no database: checking firm rows as the API does, on a
//! thread of its own while the database thread writes the rows checked before them.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use uuid::Uuid;

use super::Bulk;
use crate::bulk::{ImportFile, Record};
use crate::domain::{Firm, FirmProfile, Uscc, ValidationErrors};
use crate::service::classify_many::NewFirmRules;
use crate::storage::FirmRow;

/// Rows checked per message: large enough that the channel costs nothing per row, small
/// enough that the database thread starts at once.
const CHECK_CHUNK: usize = 1_000;

/// Chunks checked ahead of the database thread; bounds the memory a fast checker can use.
const CHUNKS_AHEAD: usize = 8;

/// One row of the file as the checker leaves it for the database thread.
pub(super) enum Checked {
    /// Not a firm row (figures and rounds need the stored firm) or refused when the file was
    /// read: the database thread handles it.
    Other,
    /// A firm row with field errors.
    Invalid(ValidationErrors),
    /// A firm the database does not hold, with its id and the row to insert.
    New(Box<NewFirm>),
    /// A registered firm (its id): the database thread merges the row over the stored
    /// profile, so an empty cell or absent column keeps the stored value. The row's profile
    /// when it passed the checks on its own (every required cell filled), so the database
    /// thread only fills in what the file left out instead of checking the row again.
    Known(Uuid, Option<Box<FirmProfile>>),
}

/// A new firm's stored form, built off the database thread.
pub(super) struct NewFirm {
    /// The firm's new id.
    pub id: Uuid,
    /// The row to insert.
    pub row: FirmRow,
    /// The firm, when classifying it records a tier (see `NewFirmRules::enters_a_tier`);
    /// most new firms have no figures and enter none.
    pub classify: Option<Firm>,
}

impl Bulk<'_> {
    /// Checks the firm rows of `file` on another thread, in file order, one message per
    /// `CHECK_CHUNK` rows. `known` maps normalised USCCs to the ids of registered firms.
    /// `write` gets the receiving end and runs on this thread; the checker stops when
    /// `write` drops it (a database failure), so the scope never waits on a full channel.
    pub(super) fn with_checked_rows<T>(
        &self,
        file: &ImportFile,
        known: &HashMap<String, Uuid>,
        rules: Option<NewFirmRules<'_>>,
        write: impl FnOnce(Receiver<Vec<Checked>>) -> T,
    ) -> T {
        let (sender, receiver) = sync_channel(CHUNKS_AHEAD);
        std::thread::scope(|scope| {
            scope.spawn(move || self.check_rows(file, known, rules.as_ref(), &sender));
            write(receiver)
        })
    }

    fn check_rows(
        &self,
        file: &ImportFile,
        known: &HashMap<String, Uuid>,
        rules: Option<&NewFirmRules<'_>>,
        sender: &SyncSender<Vec<Checked>>,
    ) {
        let ctx = self.registry.parse_context();
        // One creation time for the import's firms, as a database transaction has one
        // `now()`: the rows are written together, and their timestamps are formatted once.
        let now = self.registry.clock().now();
        for chunk in file.rows.chunks(CHECK_CHUNK) {
            let checked = chunk
                .iter()
                .map(|(_, parsed)| match parsed {
                    Ok(Record::Firm(input)) => match input.parse(ctx) {
                        // A registered firm's row may leave required cells empty: they keep
                        // the stored values, so it is checked once merged.
                        Err(errors) => match Uscc::parse(&input.uscc)
                            .ok()
                            .and_then(|uscc| known.get(uscc.as_str()))
                        {
                            Some(&id) => Checked::Known(id, None),
                            None => Checked::Invalid(errors),
                        },
                        Ok(profile) => match known.get(profile.uscc.as_str()) {
                            Some(&id) => Checked::Known(id, Some(Box::new(profile))),
                            None => {
                                let firm = Firm {
                                    id: Uuid::now_v7(),
                                    version: 1,
                                    created_at: now,
                                    updated_at: now,
                                    profile,
                                };
                                let id = firm.id;
                                let row = FirmRow::from(&firm);
                                let classify = rules
                                    .is_some_and(|r| r.enters_a_tier(&firm.profile))
                                    .then_some(firm);
                                Checked::New(Box::new(NewFirm { id, row, classify }))
                            }
                        },
                    },
                    _ => Checked::Other,
                })
                .collect();
            if sender.send(checked).is_err() {
                return;
            }
        }
    }
}
