//! Applying one row of an import to a stored record. A row merges: a column absent from the
//! file, or an empty cell, leaves the stored value alone (a file cannot clear a value; the
//! firm's pages and the API can). A row whose values all equal the stored ones is
//! `unchanged` and writes nothing; any other row reports, field by field, the stored value
//! and the file's.

use uuid::Uuid;

use super::Bulk;
use super::import_diff::{
    FieldChange, fill_in, firm_changes, merge_firm, merge_year, round_changes, round_conflict,
    year_changes,
};
use super::report::RowAction;
use crate::bulk::Record;
use crate::domain::{FieldError, FinancingRound, Firm, FirmProfile, Uscc, ValidationErrors};
use crate::inputs::{FinancingInput, FirmInput, YearInput};
use crate::service::error::ServiceError;
use crate::service::plausibility::check_round;
use crate::storage::{self, DbConnection};

/// Added to an unusual figure's message: a file cannot confirm it.
const CONFIRM_ON_PAGE: &str = "an import cannot confirm it: leave the row out of the file and enter the round on the firm's page (or by the API with \"confirm\": true)";

/// What a row did: its action, the firm it concerns and what it changed.
pub(super) struct Applied {
    pub action: RowAction,
    pub firm_id: Uuid,
    pub changes: Vec<FieldChange>,
}

/// A refused row: its field errors and, when it contradicts a stored record, how.
#[derive(Default)]
pub(super) struct Refused {
    pub errors: Vec<FieldError>,
    pub changes: Vec<FieldChange>,
}

impl From<ValidationErrors> for Refused {
    fn from(e: ValidationErrors) -> Self {
        Self {
            errors: e.0,
            changes: Vec::new(),
        }
    }
}

/// A row's result: the outer error a database failure, the inner one a refused row (the
/// transaction goes on so every row is reported).
pub(super) type RowResult = Result<Result<Applied, Refused>, ServiceError>;

impl Bulk<'_> {
    /// A registered firm's row, merged over its stored profile: unchanged, or written with
    /// the fields the file changes. `checked` is the row's own profile if it passed the
    /// checks alone.
    pub(super) fn update_firm_row(
        &self,
        conn: &mut DbConnection,
        id: Uuid,
        input: &FirmInput,
        checked: Option<FirmProfile>,
    ) -> RowResult {
        let current = storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
        let merged = match checked {
            Some(profile) => fill_in(&current.profile, input, profile),
            None => merge_firm(&current.profile, input).parse(self.registry.parse_context()),
        };
        let profile = match merged {
            Ok(p) => p,
            Err(e) => return Ok(Err(e.into())),
        };
        if current.profile == profile {
            return Ok(Ok(unchanged(id)));
        }
        let changes = firm_changes(&current.profile, &profile);
        let updated = Firm {
            version: current.version + 1,
            updated_at: self.registry.clock().now(),
            profile,
            ..current.clone()
        };
        storage::update_firm(conn, &updated, current.version)?;
        Ok(Ok(Applied {
            action: RowAction::Update,
            firm_id: id,
            changes,
        }))
    }

    /// Writes one row of figures or a round. Firm rows are checked off this thread and never
    /// come here.
    pub(super) fn apply_row(&self, conn: &mut DbConnection, record: &Record) -> RowResult {
        let firm = match self.firm_of(conn, record)? {
            Ok(f) => f,
            Err(e) => return Ok(Err(e.into())),
        };
        match record {
            Record::Firm(_) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "a firm row reached the figures path unchecked"
            ))),
            Record::Year { input, .. } => self.apply_year(conn, &firm, input),
            Record::Financing { input, .. } => self.apply_round(conn, &firm, input),
        }
    }

    /// Writes a year of figures over the stored one (empty cells keep stored figures).
    fn apply_year(&self, conn: &mut DbConnection, firm: &Firm, input: &YearInput) -> RowResult {
        let ctx = self.registry.parse_context();
        let now = self.registry.clock().now();
        let founded = chrono::Datelike::year(&firm.profile.founded_on);
        let stored = storage::list_years(conn, firm.id)?;
        let old = stored
            .iter()
            .find(|y| Some(y.fiscal_year) == input.fiscal_year);
        let merged = old.map_or_else(|| input.clone(), |old| merge_year(old, input));
        let year = match merged.parse(None, Some(founded), ctx) {
            Ok(y) => y,
            Err(e) => return Ok(Err(e.into())),
        };
        let (action, changes) = match old {
            Some(old) if *old == year => return Ok(Ok(unchanged(firm.id))),
            Some(old) => (RowAction::Update, year_changes(old, &year)),
            None => (RowAction::Create, Vec::new()),
        };
        storage::put_year(conn, firm.id, &year, now)?;
        Ok(Ok(Applied {
            action,
            firm_id: firm.id,
            changes,
        }))
    }

    /// Adds a round. A round is the stored one with its closing date and label. An import
    /// adds rounds but never rewrites one: a round already changed tiers on its day, and
    /// correcting it is a correction with its own trail, made on the firm's pages.
    fn apply_round(
        &self,
        conn: &mut DbConnection,
        firm: &Firm,
        input: &FinancingInput,
    ) -> RowResult {
        let ctx = self.registry.parse_context();
        let now = self.registry.clock().now();
        let round = match input.parse(Some(firm.profile.founded_on), ctx) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e.into())),
        };
        let stored: Vec<FinancingRound> = storage::list_financings(conn, firm.id)?
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        let same_key: Vec<&FinancingRound> = stored
            .iter()
            .filter(|r| r.closed_on == round.closed_on && r.round == round.round)
            .collect();
        if same_key.is_empty() {
            // The API's plausibility checks, against the rounds stored so far (this
            // file's earlier rows included). A file cannot confirm an unusual figure:
            // one flag for a whole file would confirm rows nobody looked at, so such
            // a round is refused with `needs_confirmation` and entered on the firm's
            // page, which asks about it alone.
            let library = self.registry.rules_cache().current(conn)?;
            if let Err(mut e) = check_round(&round, &stored, library.in_force(ctx.today), false) {
                for error in &mut e.0 {
                    if error.code == "needs_confirmation" {
                        error.message = format!("{}; {CONFIRM_ON_PAGE}", error.message);
                    }
                }
                return Ok(Err(e.into()));
            }
            storage::insert_financing(conn, Uuid::now_v7(), firm.id, &round, now)?;
            return Ok(Ok(Applied {
                action: RowAction::Create,
                firm_id: firm.id,
                changes: Vec::new(),
            }));
        }
        let conflicts: Vec<Vec<FieldChange>> =
            same_key.iter().map(|s| round_changes(s, &round)).collect();
        if conflicts.iter().any(Vec::is_empty) {
            return Ok(Ok(unchanged(firm.id)));
        }
        let changes = conflicts.into_iter().next().unwrap_or_default();
        let errors = changes
            .iter()
            .map(|c| round_conflict(&round, c, same_key.len()))
            .collect();
        Ok(Err(Refused { errors, changes }))
    }

    /// The registered firm a figures or round row names.
    fn firm_of(
        &self,
        conn: &mut DbConnection,
        record: &Record,
    ) -> Result<Result<Firm, ValidationErrors>, ServiceError> {
        let uscc = match Uscc::parse(record.uscc()) {
            Ok(uscc) => uscc,
            Err(e) => return Ok(Err(e.into())),
        };
        match storage::find_firm_id_by_uscc(conn, &uscc)? {
            Some(id) => Ok(Ok(
                storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))?
            )),
            None => Ok(Err(FieldError::new(
                "uscc",
                "unknown_firm",
                format!(
                    "no firm with USCC {} is registered; import the firm first",
                    record.uscc()
                ),
            )
            .into())),
        }
    }
}

fn unchanged(firm_id: Uuid) -> Applied {
    Applied {
        action: RowAction::Unchanged,
        firm_id,
        changes: Vec::new(),
    }
}
