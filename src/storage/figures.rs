//! Annual figures rows and their queries.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::from_utc;
use super::schema::annual_figures;
use crate::domain::AnnualFigures;

/// An `annual_figures` row without its version: bulk inserts take the column's default (1)
/// and every update through [`put_year`] bumps it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = annual_figures)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct YearRow {
    pub firm_id: String,
    pub fiscal_year: i32,
    pub revenue: Option<i64>,
    pub rd_expense: Option<i64>,
    pub rd_expense_domestic: Option<i64>,
    pub high_tech_revenue: Option<i64>,
    pub total_assets: Option<i64>,
    pub net_assets: Option<i64>,
    pub employees: Option<i64>,
    pub tech_staff: Option<i64>,
    pub ip_class1: Option<i64>,
    pub ip_class2: Option<i64>,
    pub innovation_score: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl YearRow {
    /// The row of one firm's year, stamped `at`.
    pub(crate) fn new(firm_id: Uuid, y: &AnnualFigures, at: DateTime<Utc>) -> Self {
        Self {
            firm_id: firm_id.to_string(),
            fiscal_year: y.fiscal_year,
            revenue: y.revenue,
            rd_expense: y.rd_expense,
            rd_expense_domestic: y.rd_expense_domestic,
            high_tech_revenue: y.high_tech_revenue,
            total_assets: y.total_assets,
            net_assets: y.net_assets,
            employees: y.employees,
            tech_staff: y.tech_staff,
            ip_class1: y.ip_class1,
            ip_class2: y.ip_class2,
            innovation_score: y.innovation_score,
            updated_at: from_utc(at),
        }
    }
}

impl From<YearRow> for AnnualFigures {
    fn from(r: YearRow) -> Self {
        Self {
            fiscal_year: r.fiscal_year,
            revenue: r.revenue,
            rd_expense: r.rd_expense,
            rd_expense_domestic: r.rd_expense_domestic,
            high_tech_revenue: r.high_tech_revenue,
            total_assets: r.total_assets,
            net_assets: r.net_assets,
            employees: r.employees,
            tech_staff: r.tech_staff,
            ip_class1: r.ip_class1,
            ip_class2: r.ip_class2,
            innovation_score: r.innovation_score,
        }
    }
}

/// The columns of a year the rules read, for passes over every firm: a million firms have
/// several million years, and parsing each row's `updated_at` text back into a timestamp
/// nobody reads cost a tenth of a reclassification.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = annual_figures)]
pub(crate) struct YearFactsRow {
    pub firm_id: String,
    pub fiscal_year: i32,
    pub revenue: Option<i64>,
    pub rd_expense: Option<i64>,
    pub rd_expense_domestic: Option<i64>,
    pub high_tech_revenue: Option<i64>,
    pub total_assets: Option<i64>,
    pub net_assets: Option<i64>,
    pub employees: Option<i64>,
    pub tech_staff: Option<i64>,
    pub ip_class1: Option<i64>,
    pub ip_class2: Option<i64>,
    pub innovation_score: Option<i64>,
}

impl From<YearFactsRow> for AnnualFigures {
    fn from(r: YearFactsRow) -> Self {
        Self {
            fiscal_year: r.fiscal_year,
            revenue: r.revenue,
            rd_expense: r.rd_expense,
            rd_expense_domestic: r.rd_expense_domestic,
            high_tech_revenue: r.high_tech_revenue,
            total_assets: r.total_assets,
            net_assets: r.net_assets,
            employees: r.employees,
            tech_staff: r.tech_staff,
            ip_class1: r.ip_class1,
            ip_class2: r.ip_class2,
            innovation_score: r.innovation_score,
        }
    }
}

/// Replaces the firm's figures for one year, or inserts them. Returns true when the year was
/// new. Written as update-then-insert because the multi-backend connection has no upsert; the
/// caller's write transaction makes the pair atomic.
pub fn put_year(
    conn: &mut DbConnection,
    firm_id: Uuid,
    year: &AnnualFigures,
    at: DateTime<Utc>,
) -> StorageResult<bool> {
    let row = YearRow::new(firm_id, year, at);
    let updated = diesel::update(
        annual_figures::table
            .filter(annual_figures::firm_id.eq(&row.firm_id))
            .filter(annual_figures::fiscal_year.eq(row.fiscal_year)),
    )
    .set((
        &row,
        annual_figures::version.eq(annual_figures::version + 1),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(annual_figures::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(updated == 0)
}

/// The firm's years, oldest first.
pub fn list_years(conn: &mut DbConnection, firm_id: Uuid) -> StorageResult<Vec<AnnualFigures>> {
    Ok(annual_figures::table
        .filter(annual_figures::firm_id.eq(firm_id.to_string()))
        .order(annual_figures::fiscal_year.asc())
        .select(YearRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AnnualFigures::from)
        .collect())
}

/// The version of one stored year, if the year is stored.
pub fn year_version(
    conn: &mut DbConnection,
    firm_id: Uuid,
    fiscal_year: i32,
) -> StorageResult<Option<i64>> {
    Ok(annual_figures::table
        .filter(annual_figures::firm_id.eq(firm_id.to_string()))
        .filter(annual_figures::fiscal_year.eq(fiscal_year))
        .select(annual_figures::version)
        .first(conn)
        .optional()?)
}

/// The firm's years with their versions, oldest first.
pub fn list_year_versions(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<(AnnualFigures, i64)>> {
    Ok(annual_figures::table
        .filter(annual_figures::firm_id.eq(firm_id.to_string()))
        .order(annual_figures::fiscal_year.asc())
        .select((YearRow::as_select(), annual_figures::version))
        .load::<(YearRow, i64)>(conn)?
        .into_iter()
        .map(|(row, version)| (AnnualFigures::from(row), version))
        .collect())
}
