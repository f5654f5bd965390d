//! A stored year of figures as the API shows it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::AnnualFigures;

/// A stored year as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct YearResponse {
    /// The fiscal year.
    pub fiscal_year: i32,
    /// Operating revenue, whole yuan.
    pub revenue: Option<i64>,
    /// R&D expense.
    pub rd_expense: Option<i64>,
    /// Domestic R&D expense.
    pub rd_expense_domestic: Option<i64>,
    /// High-tech revenue.
    pub high_tech_revenue: Option<i64>,
    /// Total assets.
    pub total_assets: Option<i64>,
    /// Net assets.
    pub net_assets: Option<i64>,
    /// Employees.
    pub employees: Option<i64>,
    /// Technical staff.
    pub tech_staff: Option<i64>,
    /// Class I IP.
    pub ip_class1: Option<i64>,
    /// Class II IP.
    pub ip_class2: Option<i64>,
    /// Innovation score.
    pub innovation_score: Option<i64>,
    /// The stored version, also sent as the ETag `"N"`: a `PUT` replacing this year sends it
    /// back in `If-Match`.
    pub version: i64,
}

impl From<(&AnnualFigures, i64)> for YearResponse {
    fn from((y, version): (&AnnualFigures, i64)) -> Self {
        Self {
            version,
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
        }
    }
}
