//! A row's cells by column, and the API's wire inputs made from them.

use super::cells::{boolean, integer, text};
use super::columns::Column;
use crate::domain::FieldError;
use crate::inputs::{FinancingInput, FirmInput, MoneyInput, YearInput};

/// The most columns a file kind has.
pub(super) const MAX_COLUMNS: usize = 16;

/// A row's cells by column of the file kind (a fixed array: a map per row cost an allocation
/// and hashing for every cell); absent columns read as empty.
pub(super) struct Cells<'a> {
    pub(super) columns: &'static [Column],
    pub(super) values: [&'a str; MAX_COLUMNS],
}

impl<'a> Cells<'a> {
    /// The cell of `field`, without the `'` an export puts before text a spreadsheet would
    /// evaluate (see `escape_cell`), so an exported file imports as the values it shows.
    pub(super) fn get(&self, field: &str) -> &'a str {
        let cell = self
            .columns
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or("");
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => cell,
        }
    }
}

fn take<T>(errors: &mut Vec<FieldError>, result: Result<Option<T>, FieldError>) -> Option<T> {
    result.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

pub(super) fn firm(cells: &Cells<'_>, errors: &mut Vec<FieldError>) -> Option<FirmInput> {
    let get = |field: &str| cells.get(field);
    let mut flag = |field: &str| take(errors, boolean(field, get(field)));
    let credit_ok = flag("credit_ok");
    let tech_firm = flag("tech_firm");
    let key_tech_breakthrough = flag("key_tech_breakthrough");
    let in_gazelle_pool = flag("in_gazelle_pool");
    let in_key_tech_field = flag("in_key_tech_field");
    Some(FirmInput {
        uscc: get("uscc").to_owned(),
        name: get("name").to_owned(),
        name_en: text(get("name_en")),
        region_code: get("region_code").to_owned(),
        industry_code: get("industry_code").to_owned(),
        founded_on: get("founded_on").to_owned(),
        listed_on: text(get("listed_on")),
        status: text(get("status")),
        credit_ok,
        tech_firm,
        key_tech_breakthrough,
        in_gazelle_pool,
        in_key_tech_field,
        major_violation_on: text(get("major_violation_on")),
    })
}

pub(super) fn year(cells: &Cells<'_>, errors: &mut Vec<FieldError>) -> Option<YearInput> {
    let get = |field: &str| cells.get(field);
    let mut int = |field: &str| take(errors, integer(field, get(field)));
    let fiscal_year = int("fiscal_year");
    let input = YearInput {
        fiscal_year: fiscal_year.map(|y| i32::try_from(y).unwrap_or(i32::MAX)),
        revenue: int("revenue"),
        rd_expense: int("rd_expense"),
        rd_expense_domestic: int("rd_expense_domestic"),
        high_tech_revenue: int("high_tech_revenue"),
        total_assets: int("total_assets"),
        net_assets: int("net_assets"),
        employees: int("employees"),
        tech_staff: int("tech_staff"),
        ip_class1: int("ip_class1"),
        ip_class2: int("ip_class2"),
        innovation_score: int("innovation_score"),
    };
    if input.fiscal_year.is_none() && errors.is_empty() {
        errors.push(FieldError::new(
            "fiscal_year",
            "required",
            "the year is required",
        ));
    }
    Some(input)
}

pub(super) fn financing(cells: &Cells<'_>, errors: &mut Vec<FieldError>) -> Option<FinancingInput> {
    let get = |field: &str| cells.get(field);
    let money = |errors: &mut Vec<FieldError>, value: &str, currency: &str| {
        let amount = take(errors, integer(value, get(value)))?;
        let currency = match get(currency) {
            "" => "CNY".to_owned(),
            c => c.to_uppercase(),
        };
        Some(MoneyInput {
            value: amount,
            currency,
        })
    };
    let amount = money(errors, "amount", "amount_currency");
    let post_money_valuation = money(errors, "post_money_valuation", "valuation_currency");
    Some(FinancingInput {
        closed_on: get("closed_on").to_owned(),
        round: get("round").to_owned(),
        amount,
        post_money_valuation,
        investor_kind: get("investor_kind").to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::FileKind;

    #[test]
    fn every_kind_fits_the_cell_array() {
        for kind in [FileKind::Firms, FileKind::Years, FileKind::Financings] {
            assert!(kind.columns().len() <= MAX_COLUMNS, "{kind:?}");
        }
    }
}
