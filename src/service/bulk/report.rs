//! What an import reports, row by row and tier change by tier change.

use serde::Serialize;

use super::import_diff::FieldChange;
use crate::domain::FieldError;

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

/// Rows of each kind a report keeps, the first in file order: refused rows, and rows of
/// any other action. A page lists a few hundred (refused first); the counts cover every row,
/// and the CLI prints each row as it is decided, so a million-row report stays small.
pub const SAMPLED_ROWS: usize = 1_000;

/// The report of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Whether the rows were written (false for a dry run and for any refused row).
    pub committed: bool,
    /// How many rows had each action, indexed by `RowAction::index`.
    counts: [usize; 4],
    /// The first `SAMPLED_ROWS` refused rows and the first `SAMPLED_ROWS` others, in file
    /// order.
    pub sample: Vec<RowOutcome>,
    /// Tier changes, by firm and track.
    pub tier_changes: Vec<TierChange>,
    /// A committed import's audit entry, which keeps its summary.
    #[serde(skip)]
    pub audit_id: Option<String>,
}

impl ImportReport {
    /// How many rows had `action`.
    pub fn count(&self, action: RowAction) -> usize {
        self.counts[action.index()]
    }

    /// How many rows the file had.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

impl RowAction {
    fn index(self) -> usize {
        match self {
            Self::Create => 0,
            Self::Update => 1,
            Self::Unchanged => 2,
            Self::Error => 3,
        }
    }
}

/// Row outcomes as they are decided: counted, the first ones kept for the report.
#[derive(Default)]
pub(super) struct Tally {
    counts: [usize; 4],
    refused: Vec<RowOutcome>,
    others: Vec<RowOutcome>,
}

impl Tally {
    /// Counts `outcome`, keeping it if it is among the first of its kind.
    pub(super) fn add(&mut self, outcome: RowOutcome) {
        self.counts[outcome.action.index()] += 1;
        let kept = if outcome.action == RowAction::Error {
            &mut self.refused
        } else {
            &mut self.others
        };
        if kept.len() < SAMPLED_ROWS {
            kept.push(outcome);
        }
    }

    /// Rows counted so far.
    pub(super) fn rows(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Whether a row was refused.
    pub(super) fn refused(&self) -> bool {
        self.counts[RowAction::Error.index()] > 0
    }

    /// The report of the rows counted.
    pub(super) fn into_report(
        self,
        committed: bool,
        tier_changes: Vec<TierChange>,
    ) -> ImportReport {
        let mut sample = self.refused;
        sample.extend(self.others);
        sample.sort_by_key(|r| r.row);
        ImportReport {
            committed,
            counts: self.counts,
            sample,
            tier_changes,
            audit_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(row: usize, action: RowAction) -> RowOutcome {
        RowOutcome {
            row,
            uscc: String::new(),
            action,
            errors: Vec::new(),
            changes: Vec::new(),
        }
    }

    #[test]
    fn a_tally_counts_every_row_but_keeps_only_the_first_of_each_kind_in_file_order() {
        let mut tally = Tally::default();
        let rows = SAMPLED_ROWS * 3;
        for row in 2..rows + 2 {
            let action = if row % 3 == 0 {
                RowAction::Error
            } else {
                RowAction::Create
            };
            tally.add(outcome(row, action));
        }
        assert!(tally.refused());
        let report = tally.into_report(false, Vec::new());
        assert_eq!(report.total(), rows);
        assert_eq!(report.count(RowAction::Error), rows / 3);
        assert_eq!(report.count(RowAction::Create), rows - rows / 3);
        assert_eq!(report.sample.len(), 2 * SAMPLED_ROWS);
        assert!(report.sample.windows(2).all(|w| w[0].row < w[1].row));
        let refused = report
            .sample
            .iter()
            .filter(|r| r.action == RowAction::Error);
        assert_eq!(refused.clone().count(), SAMPLED_ROWS);
        assert_eq!(
            refused.map(|r| r.row).next(),
            Some(3),
            "the first refused row is kept"
        );
    }
}
