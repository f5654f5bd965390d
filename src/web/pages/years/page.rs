//! The years page, shared by showing and saving.

use askama::Template;
use chrono::Datelike;

use crate::domain::{AnnualFigures, FieldError, Firm};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};

/// The figures of a year, in table and form order.
pub const FIGURES: [&str; 11] = [
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "high_tech_revenue",
    "total_assets",
    "net_assets",
    "employees",
    "tech_staff",
    "ip_class1",
    "ip_class2",
    "innovation_score",
];

/// One figure across the years shown.
pub struct FigureRow {
    label: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "years/page.html")]
pub struct YearsPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub years: Vec<i32>,
    pub rows: Vec<FigureRow>,
    pub form: FormView,
}

/// A stored figure by name.
pub fn figure(y: &AnnualFigures, name: &str) -> Option<i64> {
    match name {
        "revenue" => y.revenue,
        "rd_expense" => y.rd_expense,
        "rd_expense_domestic" => y.rd_expense_domestic,
        "high_tech_revenue" => y.high_tech_revenue,
        "total_assets" => y.total_assets,
        "net_assets" => y.net_assets,
        "employees" => y.employees,
        "tech_staff" => y.tech_staff,
        "ip_class1" => y.ip_class1,
        "ip_class2" => y.ip_class2,
        "innovation_score" => y.innovation_score,
        _ => None,
    }
}

/// The form filled with a stored year (or only the year number when none is stored).
pub fn values_of(year: i32, stored: Option<&AnnualFigures>) -> FormData {
    let mut form = FormData::default();
    form.set("fiscal_year", year.to_string());
    if let Some(y) = stored {
        for name in FIGURES {
            form.set(
                name,
                figure(y, name).map(|v| v.to_string()).unwrap_or_default(),
            );
        }
    }
    form
}

/// Builds the page: the table of the five years up to the data year, the form.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    stored: &[AnnualFigures],
    today: chrono::NaiveDate,
    values: &FormData,
    errors: &[FieldError],
) -> YearsPage {
    let last = today.year() - 1;
    let years: Vec<i32> = (last - 4..=last).collect();
    let rows = FIGURES
        .iter()
        .map(|name| FigureRow {
            label: ctx.label("field", name),
            cells: years
                .iter()
                .map(|year| {
                    stored
                        .iter()
                        .find(|y| y.fiscal_year == *year)
                        .and_then(|y| figure(y, name))
                        .map_or_else(|| "—".to_owned(), group_digits)
                })
                .collect(),
        })
        .collect();
    let mut b = FormBuilder::new(&ctx, values, errors);
    b.text("fiscal_year", true);
    for name in FIGURES {
        b.text(name, false);
    }
    let form = b.finish();
    YearsPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        years,
        rows,
        form,
        ctx,
    }
}

/// 1234567 → "1,234,567".
pub fn group_digits(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::group_digits;

    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(group_digits(-1_000), "-1,000");
    }
}
