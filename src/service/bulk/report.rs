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
