//! The dashboard's tables as worksheets, from the page's own view model: the spreadsheet
//! shows exactly the rows and figures of the page.

use super::DashboardPage;
use crate::web::xlsx::{Cell, Sheet};

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

impl DashboardPage {
    /// Headlines, counts per district, the district ranking, industries and the monthly
    /// trend, in the page's order.
    pub fn sheets(&self) -> Vec<Sheet> {
        let t = |key: &str| self.ctx.t(key).to_owned();
        let c = &self.cockpit;
        let headlines = Sheet {
            name: t("cockpit.sheet_headlines"),
            header: vec![
                t("cockpit.name"),
                t("cockpit.today"),
                t("cockpit.this_year"),
                t("cockpit.year_on_year"),
            ],
            rows: c
                .headlines
                .iter()
                .map(|h| {
                    vec![
                        text(&h.name),
                        Cell::Int(h.today.firms),
                        Cell::Int(h.this_year.value),
                        Cell::Int(h.year_on_year.value),
                    ]
                })
                .collect(),
        };
        let mut header = vec![t("dashboard.tier"), t("dashboard.total")];
        header.extend(self.districts.iter().cloned());
        if self.any_outside {
            header.push(t("dashboard.outside_city"));
        }
        let counts = Sheet {
            name: t("cockpit.sheet_counts"),
            header,
            rows: self
                .counts
                .iter()
                .map(|r| {
                    let mut row = vec![text(&r.name), Cell::Int(r.total)];
                    row.extend(r.cells.iter().map(|cell| Cell::Int(cell.firms)));
                    if self.any_outside {
                        row.push(Cell::Int(r.outside));
                    }
                    row
                })
                .collect(),
        };
        let ranking = Sheet {
            name: t("cockpit.sheet_ranking"),
            header: vec![
                t("cockpit.rank"),
                t("cockpit.district"),
                t("cockpit.firms"),
                t("cockpit.this_year"),
            ],
            rows: c
                .ranking
                .iter()
                .map(|r| {
                    vec![
                        Cell::Int(i64::try_from(r.rank).unwrap_or(i64::MAX)),
                        text(&r.name),
                        Cell::Int(r.firms.firms),
                        Cell::Int(r.net.value),
                    ]
                })
                .collect(),
        };
        let mut header = vec![t("cockpit.industry")];
        header.extend(c.tier_names.iter().cloned());
        let mut rows: Vec<Vec<Cell>> = c
            .industry_rows
            .iter()
            .map(|r| {
                let mut row = vec![text(&r.name)];
                row.extend(r.cells.iter().map(|cell| Cell::Int(cell.firms)));
                row
            })
            .collect();
        let mut total = vec![Cell::Text(t("dashboard.total"))];
        total.extend(c.industry_totals.iter().map(|cell| Cell::Int(cell.firms)));
        rows.push(total);
        let industries = Sheet {
            name: t("cockpit.sheet_industries"),
            header,
            rows,
        };
        let mut header = vec![t("cockpit.month_end")];
        header.extend(c.headlines.iter().map(|h| h.name.clone()));
        let months = c.headlines.first().map_or(0, |h| h.trend.columns.len());
        let trend = Sheet {
            name: t("cockpit.sheet_trend"),
            header,
            rows: (0..months)
                .map(|i| {
                    let mut row = vec![text(
                        c.headlines
                            .first()
                            .and_then(|h| h.trend.columns.get(i))
                            .map_or("", |col| col.month.as_str()),
                    )];
                    row.extend(
                        c.headlines
                            .iter()
                            .map(|h| Cell::Int(h.trend.columns.get(i).map_or(0, |col| col.value))),
                    );
                    row
                })
                .collect(),
        };
        vec![headlines, counts, ranking, industries, trend]
    }
}
