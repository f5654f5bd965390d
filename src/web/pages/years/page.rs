//! The years page, shared by showing and saving.

use askama::Template;
use chrono::Datelike;

use crate::domain::{AnnualFigures, Currency, FieldError, Firm};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::money::{group_digits, money_text};
use crate::web::pages::firms::ConflictPage;
use crate::web::pages::shared::Change;

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

/// Figures that are sums of money (whole yuan).
const MONEY: [&str; 6] = [
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "high_tech_revenue",
    "total_assets",
    "net_assets",
];

/// One year's value of a figure: as shown, and exactly (the `title`; empty when the same).
pub struct FigureCell {
    text: String,
    title: String,
}

/// One figure across the years shown.
pub struct FigureRow {
    label: String,
    cells: Vec<FigureCell>,
}

#[derive(Template)]
#[template(path = "years/page.html")]
pub struct YearsPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    /// The columns: every stored year and the five up to the data year, oldest first.
    pub years: Vec<i32>,
    pub rows: Vec<FigureRow>,
    /// The year the form enters or replaces.
    pub year: i32,
    /// The version of that year when stored (empty: the form creates it).
    pub version: String,
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

/// The form of `year`: its stored figures and version, or every figure empty and no
/// version when the year is not stored. Never another year's numbers.
pub fn values_of(year: i32, stored: &[(AnnualFigures, i64)]) -> FormData {
    let mut form = FormData::default();
    form.set("fiscal_year", year.to_string());
    for name in FIGURES {
        form.set(name, "");
    }
    if let Some((y, version)) = stored.iter().find(|(y, _)| y.fiscal_year == year) {
        form.set("version", version.to_string());
        for name in FIGURES {
            form.set(
                name,
                figure(y, name).map(|v| v.to_string()).unwrap_or_default(),
            );
        }
    }
    form
}

/// The year a form posts (or a query names): a whole number, ASCII or full-width digits.
pub fn year_of(raw: &str) -> Option<i32> {
    crate::web::form::parse_int("fiscal_year", raw)
        .ok()
        .flatten()
        .and_then(|y| i32::try_from(y).ok())
}

/// Builds the page: the table of every stored year (and the five up to the data year), the
/// form of `values`' year.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    stored: &[(AnnualFigures, i64)],
    today: chrono::NaiveDate,
    values: &FormData,
    errors: &[FieldError],
) -> YearsPage {
    let last = today.year() - 1;
    let mut years: Vec<i32> = (last - 4..=last)
        .chain(stored.iter().map(|(y, _)| y.fiscal_year))
        .collect();
    years.sort_unstable();
    years.dedup();
    let rows = FIGURES
        .iter()
        .map(|name| FigureRow {
            label: ctx.label("field", name),
            cells: years
                .iter()
                .map(|year| {
                    stored
                        .iter()
                        .find(|(y, _)| y.fiscal_year == *year)
                        .and_then(|(y, _)| figure(y, name))
                        .map_or_else(
                            || FigureCell {
                                text: "—".to_owned(),
                                title: String::new(),
                            },
                            |v| cell(&ctx, name, v),
                        )
                })
                .collect(),
        })
        .collect();
    let mut b = FormBuilder::new(&ctx, values, errors);
    for name in FIGURES {
        b.text(name, false);
    }
    let form = b.finish();
    YearsPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        years,
        rows,
        year: year_of(values.get("fiscal_year")).unwrap_or(last),
        version: values.text("version"),
        form,
        ctx,
    }
}

/// The firm edit's conflict page for a stale form of `year`: each figure stored now beside
/// what was typed, where they differ as numbers.
pub fn year_conflict(
    ctx: PageContext,
    firm: &Firm,
    stored: &[(AnnualFigures, i64)],
    year: i32,
    form: &FormData,
) -> ConflictPage {
    let now = values_of(year, stored);
    let typed = |name: &str| {
        let mut errors = Vec::new();
        form.int(name, &mut errors)
            .map_or_else(|| form.text(name), |v| v.to_string())
    };
    let changes = FIGURES
        .iter()
        .filter(|name| now.get(name) != typed(name))
        .map(|name| Change {
            label: ctx.label("field", name),
            stored: stored
                .iter()
                .find(|(y, _)| y.fiscal_year == year)
                .and_then(|(y, _)| figure(y, name))
                .map(group_digits)
                .unwrap_or_default(),
            typed: form.text(name),
        })
        .collect();
    ConflictPage {
        id: firm.id.to_string(),
        name: format!("{} · {year}", firm.profile.name),
        changes,
        reopen: format!("/firms/{}/years?year={year}", firm.id),
        ctx,
    }
}

/// A figure as the table shows it: money in 万元 / 亿元 with the exact yuan as its title.
fn cell(ctx: &PageContext, name: &str, v: i64) -> FigureCell {
    if MONEY.contains(&name) {
        let m = money_text(ctx.lang, v, Currency::CNY);
        let title = if m.short == m.exact {
            String::new()
        } else {
            m.exact
        };
        FigureCell {
            text: m.short,
            title,
        }
    } else {
        FigureCell {
            text: group_digits(v),
            title: String::new(),
        }
    }
}
