//! The part of an import that needs no database: reading the file a chunk at a time and
//! checking its firm rows as the API does, on a thread of its own while the database thread
//! writes the chunks read before.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use uuid::Uuid;

use super::Bulk;
use crate::bulk::{FileError, ImportReader, ParsedRow, Record, RowError};
use crate::domain::{Firm, ValidationErrors};
use crate::service::classify_many::NewFirmRules;
use crate::storage::FirmRow;

/// Chunks read ahead of the database thread; bounds the memory a fast reader can use.
const CHUNKS_AHEAD: usize = 4;

/// What the reader hands the database thread.
pub(super) enum Message {
    /// The next rows of the file (row number and content), in file order.
    Chunk(Vec<(usize, Content)>),
    /// The file could not be read further: nothing may be committed.
    Failed(FileError),
    /// Every row was sent. Without it the reader died (a panic, re-raised when its scope
    /// ends): never report or commit a shortened file.
    End,
}

/// A row of a chunk.
pub(super) enum Content {
    /// Refused when the file was read.
    Unread(RowError),
    /// A row the database thread needs whole (figures, rounds, or a firm row when the
    /// registry holds firms it may name), with what the checker found.
    Row(Record, Prechecked),
    /// A firm row of a file imported into an empty registry, already decided: its USCC as
    /// written and the check. The rest of the row was dropped on the checker thread, which
    /// has time to spare, rather than freed by the database thread, which has none.
    Decided(String, Checked),
}

/// One row as the checker leaves it, before the database says whether its firm is registered.
pub(super) enum Prechecked {
    /// Not a firm row (figures and rounds need the stored firm) or refused when the file was
    /// read: the database thread handles it.
    Other,
    /// A firm row: its normalised USCC (when the registry has firms to look it up among and
    /// the code parses) and the row checked on its own, as a new firm.
    Firm {
        uscc: Option<String>,
        checked: Result<Box<NewFirm>, ValidationErrors>,
    },
}

/// One row of the file as the database thread writes it.
pub(super) enum Checked {
    /// See `Prechecked::Other`.
    Other,
    /// A firm row with field errors.
    Invalid(ValidationErrors),
    /// A firm the database does not hold: its row to insert.
    New(Box<NewFirm>),
    /// A registered firm (its id): the database thread merges the row over the stored
    /// profile, so an empty cell or absent column keeps the stored value. The row's firm
    /// when it passed the checks on its own (every required cell filled), so the database
    /// thread only fills in what the file left out instead of checking the row again.
    Known(Uuid, Option<Firm>),
}

/// A firm row that passed the checks, in its stored form, built off the database thread.
pub(super) struct NewFirm {
    /// The firm's new id.
    pub id: Uuid,
    /// The row to insert.
    pub row: FirmRow,
    /// The firm, kept when classifying it records a tier (see `NewFirmRules::enters_a_tier`;
    /// most new firms have no figures and enter none) or when the registry holds firms (a
    /// registered firm's row merges its profile over the stored one).
    pub firm: Option<Firm>,
    /// Whether it enters a tier, so classifying it records anything.
    pub enters: bool,
}

impl Prechecked {
    /// The normalised USCC to look up, for a firm row that has one.
    pub(super) fn uscc(&self) -> Option<&str> {
        match self {
            Self::Firm { uscc, .. } => uscc.as_deref(),
            Self::Other => None,
        }
    }

    /// The row as the database thread writes it, `known` holding the ids of the registered
    /// firms its chunk names. A registered firm's row may leave required cells empty: they
    /// keep the stored values, so it is checked once merged.
    pub(super) fn resolve(self, known: &HashMap<String, Uuid>) -> Checked {
        let Self::Firm { uscc, checked } = self else {
            return Checked::Other;
        };
        match (uscc.and_then(|u| known.get(&u).copied()), checked) {
            (Some(id), checked) => Checked::Known(id, checked.ok().and_then(|new| new.firm)),
            (None, Err(errors)) => Checked::Invalid(errors),
            (None, Ok(new)) => Checked::New(new),
        }
    }
}

impl Bulk<'_> {
    /// Reads and checks `source` on another thread, in file order, one message per chunk.
    /// `lookup`: whether the registry holds firms (else no firm row names a registered
    /// firm, and no USCC needs looking up). `write` gets the receiving end and runs on this
    /// thread; the reader stops when `write` drops it (a database failure), so the scope
    /// never waits on a full channel.
    pub(super) fn with_checked_rows<T>(
        &self,
        source: &mut ImportReader<'_>,
        lookup: bool,
        rules: Option<NewFirmRules<'_>>,
        write: impl FnOnce(Receiver<Message>) -> T,
    ) -> T {
        let (sender, receiver) = sync_channel(CHUNKS_AHEAD);
        std::thread::scope(|scope| {
            scope.spawn(move || self.check_rows(source, lookup, rules.as_ref(), &sender));
            write(receiver)
        })
    }

    fn check_rows(
        &self,
        source: &mut ImportReader<'_>,
        lookup: bool,
        rules: Option<&NewFirmRules<'_>>,
        sender: &SyncSender<Message>,
    ) {
        let ctx = self.registry.parse_context();
        // One creation time for the import's firms, as a database transaction has one
        // `now()`: the rows are written together, and their timestamps are formatted once.
        let now = self.registry.clock().now();
        let check = |parsed: &ParsedRow| {
            let Ok(Record::Firm(input)) = &parsed.1 else {
                return Prechecked::Other;
            };
            let checked = input.parse(ctx).map(|profile| {
                let firm = Firm {
                    id: Uuid::now_v7(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                    profile,
                };
                let row = FirmRow::from(&firm);
                let enters = rules.is_some_and(|r| r.enters_a_tier(&firm.profile));
                Box::new(NewFirm {
                    id: firm.id,
                    row,
                    firm: (enters || lookup).then_some(firm),
                    enters,
                })
            });
            // The stored form of the code, as `FirmRow::from` wrote it.
            let uscc = match &checked {
                _ if !lookup => None,
                Ok(new) => Some(new.row.uscc.clone()),
                Err(_) => crate::domain::Uscc::parse(&input.uscc)
                    .ok()
                    .map(String::from),
            };
            Prechecked::Firm { uscc, checked }
        };
        loop {
            let message = match source.next_chunk() {
                Ok(Some(rows)) => Message::Chunk(
                    rows.into_iter()
                        .map(|row| {
                            let pre = check(&row);
                            let content = match (row.1, pre) {
                                (Err(e), _) => Content::Unread(e),
                                (Ok(Record::Firm(input)), pre) if !lookup => {
                                    Content::Decided(input.uscc, pre.resolve(&HashMap::new()))
                                }
                                (Ok(record), pre) => Content::Row(record, pre),
                            };
                            (row.0, content)
                        })
                        .collect(),
                ),
                Ok(None) => Message::End,
                Err(e) => Message::Failed(e),
            };
            let last = !matches!(message, Message::Chunk(_));
            if sender.send(message).is_err() || last {
                return;
            }
        }
    }
}
