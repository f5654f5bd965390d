//! What an import row changes, without the database: a row merged over the stored record
//! (empty and absent cells keep the stored value) and the fields in which two records differ.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::domain::{
    AnnualFigures, FieldError, FinancingRound, FirmProfile, Money, ValidationErrors,
};
use crate::inputs::{FirmInput, YearInput};

/// One field a row changes (or, for a refused round, would change): the file's column name,
/// the stored value and the file's, `null` meaning "not known".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The column, named as the API field.
    pub field: &'static str,
    /// The stored value.
    pub old: Value,
    /// The value in the file.
    pub new: Value,
}

/// The input that registers `stored` with the file's non-empty cells over it. The USCC is
/// the stored one: the row was matched to the firm by it.
pub(super) fn merge_firm(stored: &FirmProfile, file: &FirmInput) -> FirmInput {
    let mut merged = FirmInput::from_profile(stored);
    for (slot, cell) in [
        (&mut merged.name, &file.name),
        (&mut merged.region_code, &file.region_code),
        (&mut merged.industry_code, &file.industry_code),
        (&mut merged.founded_on, &file.founded_on),
    ] {
        if !cell.is_empty() {
            slot.clone_from(cell);
        }
    }
    macro_rules! given {
        ($($field:ident),*) => { $( if file.$field.is_some() { merged.$field.clone_from(&file.$field); } )* };
    }
    given!(
        name_en,
        listed_on,
        status,
        credit_ok,
        tech_firm,
        key_tech_breakthrough,
        in_gazelle_pool,
        in_key_tech_field,
        major_violation_on
    );
    merged
}

/// `checked` (a row that passed the checks on its own) with the stored values of the
/// optional cells the file left empty; what `merge_firm` then parsing gives, without checking
/// every cell again on the database thread. Only the cross-field checks can newly fail.
pub(super) fn fill_in(
    stored: &FirmProfile,
    file: &FirmInput,
    checked: FirmProfile,
) -> Result<FirmProfile, ValidationErrors> {
    let mut profile = checked;
    macro_rules! keep {
        ($($field:ident),*) => { $( if file.$field.is_none() { profile.$field.clone_from(&stored.$field); } )* };
    }
    keep!(
        name_en,
        listed_on,
        status,
        credit_ok,
        tech_firm,
        key_tech_breakthrough,
        in_gazelle_pool,
        in_key_tech_field,
        major_violation_on
    );
    let errors = profile.check_consistency();
    if errors.is_empty() {
        Ok(profile)
    } else {
        Err(ValidationErrors(errors))
    }
}

/// The figures input of `stored` with the file's non-empty cells over it.
pub(super) fn merge_year(stored: &AnnualFigures, file: &YearInput) -> YearInput {
    macro_rules! merged {
        ($($field:ident),*) => {
            YearInput {
                fiscal_year: Some(stored.fiscal_year),
                $( $field: file.$field.or(stored.$field), )*
            }
        };
    }
    merged!(
        revenue,
        rd_expense,
        rd_expense_domestic,
        high_tech_revenue,
        total_assets,
        net_assets,
        employees,
        tech_staff,
        ip_class1,
        ip_class2,
        innovation_score
    )
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

/// Appends a change when the values differ.
fn compare(changes: &mut Vec<FieldChange>, field: &'static str, old: Value, new: Value) {
    if old != new {
        changes.push(FieldChange { field, old, new });
    }
}

/// The fields in which two profiles differ, in the file's column order.
pub(super) fn firm_changes(old: &FirmProfile, new: &FirmProfile) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let c = &mut changes;
    compare(c, "uscc", text(old.uscc.as_str()), text(new.uscc.as_str()));
    compare(c, "name", text(&old.name), text(&new.name));
    compare(
        c,
        "name_en",
        old.name_en.clone().into(),
        new.name_en.clone().into(),
    );
    compare(
        c,
        "region_code",
        text(old.region_code.as_str()),
        text(new.region_code.as_str()),
    );
    compare(
        c,
        "industry_code",
        text(old.industry_code.as_str()),
        text(new.industry_code.as_str()),
    );
    compare(
        c,
        "founded_on",
        date(Some(old.founded_on)),
        date(Some(new.founded_on)),
    );
    compare(c, "listed_on", date(old.listed_on), date(new.listed_on));
    compare(
        c,
        "status",
        text(old.status.as_str()),
        text(new.status.as_str()),
    );
    for (field, o, n) in [
        ("credit_ok", old.credit_ok, new.credit_ok),
        ("tech_firm", old.tech_firm, new.tech_firm),
        (
            "key_tech_breakthrough",
            old.key_tech_breakthrough,
            new.key_tech_breakthrough,
        ),
        ("in_gazelle_pool", old.in_gazelle_pool, new.in_gazelle_pool),
        (
            "in_key_tech_field",
            old.in_key_tech_field,
            new.in_key_tech_field,
        ),
    ] {
        compare(c, field, o.into(), n.into());
    }
    compare(
        c,
        "major_violation_on",
        date(old.major_violation_on),
        date(new.major_violation_on),
    );
    changes
}

/// The figures in which two years differ.
pub(super) fn year_changes(old: &AnnualFigures, new: &AnnualFigures) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    macro_rules! figures {
        ($($field:ident),*) => {
            $( compare(&mut changes, stringify!($field), old.$field.into(), new.$field.into()); )*
        };
    }
    figures!(
        revenue,
        rd_expense,
        rd_expense_domestic,
        high_tech_revenue,
        total_assets,
        net_assets,
        employees,
        tech_staff,
        ip_class1,
        ip_class2,
        innovation_score
    );
    changes
}

/// How a file's round differs from a stored one with its date and label. An amount or
/// valuation left empty in the file is not compared: an empty cell leaves a value alone.
pub(super) fn round_changes(stored: &FinancingRound, file: &FinancingRound) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let money = |m: Option<Money>| {
        (
            m.map_or(Value::Null, |m| m.value.into()),
            m.map_or(Value::Null, |m| text(m.currency.as_str())),
        )
    };
    for (value_field, currency_field, old, new) in [
        ("amount", "amount_currency", stored.amount, file.amount),
        (
            "post_money_valuation",
            "valuation_currency",
            stored.post_money_valuation,
            file.post_money_valuation,
        ),
    ] {
        if new.is_some() {
            let (old_value, old_currency) = money(old);
            let (new_value, new_currency) = money(new);
            compare(&mut changes, value_field, old_value, new_value);
            compare(&mut changes, currency_field, old_currency, new_currency);
        }
    }
    compare(
        &mut changes,
        "investor_kind",
        text(stored.investor_kind.as_str()),
        text(file.investor_kind.as_str()),
    );
    changes
}

/// The error for one field in which a row contradicts a stored round.
pub(super) fn round_conflict(
    round: &FinancingRound,
    change: &FieldChange,
    stored: usize,
) -> FieldError {
    let shown = |v: &Value| match v {
        Value::Null => "empty".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let which = if stored == 1 {
        "the stored round".to_owned()
    } else {
        format!("each of the {stored} stored rounds")
    };
    FieldError::new(
        change.field,
        "differs_from_stored",
        format!(
            "the round closed on {} labelled {} is already stored; {which} has {} here, the file {}. An import adds rounds but never rewrites one: correct the stored round on the firm's page",
            round.closed_on,
            round.round,
            shown(&change.old),
            shown(&change.new)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_of_a_year_keep_the_stored_figures() {
        let stored = AnnualFigures {
            fiscal_year: 2024,
            revenue: Some(100),
            rd_expense: Some(10),
            ..AnnualFigures::default()
        };
        let file = YearInput {
            fiscal_year: Some(2024),
            revenue: Some(200),
            employees: Some(5),
            ..YearInput::default()
        };
        let merged = merge_year(&stored, &file);
        assert_eq!(merged.revenue, Some(200));
        assert_eq!(merged.rd_expense, Some(10), "an empty cell is not a clear");
        assert_eq!(merged.employees, Some(5));
        let new = AnnualFigures {
            revenue: Some(200),
            employees: Some(5),
            ..stored.clone()
        };
        let changes = year_changes(&stored, &new);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "revenue",
                    old: 100.into(),
                    new: 200.into()
                },
                FieldChange {
                    field: "employees",
                    old: Value::Null,
                    new: 5.into()
                },
            ]
        );
    }
}
