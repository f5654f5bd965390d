//! One fiscal year's figures to save.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{ParseContext, from_validator};
use crate::domain::{
    AnnualFigures, FieldError, MAX_HEADS, MAX_YUAN, ValidationErrors, check_fiscal_year,
};

/// One fiscal year's figures. Every figure is optional: absent or null means "not reported",
/// never zero. `PUT /firms/{id}/years/{fiscal_year}` replaces the whole year; `fiscal_year` may
/// be omitted there but must match the path when given. In a dossier it is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearInput {
    /// The fiscal year, from 1900 to the current year.
    #[serde(default)]
    #[schema(minimum = 1900)]
    pub fiscal_year: Option<i32>,
    /// Operating revenue, whole yuan.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_YUAN))]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub revenue: Option<i64>,
    /// R&D expense, whole yuan.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_YUAN))]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub rd_expense: Option<i64>,
    /// R&D expense incurred in China, whole yuan.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_YUAN))]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub rd_expense_domestic: Option<i64>,
    /// Revenue from high-tech products and services, whole yuan.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_YUAN))]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub high_tech_revenue: Option<i64>,
    /// Total assets, whole yuan.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_YUAN))]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub total_assets: Option<i64>,
    /// Net assets, whole yuan; may be negative.
    #[serde(default)]
    #[validate(range(min = -MAX_YUAN, max = MAX_YUAN))]
    #[schema(minimum = -10_000_000_000_000_i64, maximum = 10_000_000_000_000_i64)]
    pub net_assets: Option<i64>,
    /// Employees.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_HEADS))]
    #[schema(minimum = 0, maximum = 10_000_000_i64)]
    pub employees: Option<i64>,
    /// Technical staff.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_HEADS))]
    #[schema(minimum = 0, maximum = 10_000_000_i64)]
    pub tech_staff: Option<i64>,
    /// Class I IP count.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_HEADS))]
    #[schema(minimum = 0, maximum = 10_000_000_i64)]
    pub ip_class1: Option<i64>,
    /// Class II IP count.
    #[serde(default)]
    #[validate(range(min = 0, max = MAX_HEADS))]
    #[schema(minimum = 0, maximum = 10_000_000_i64)]
    pub ip_class2: Option<i64>,
    /// Innovation capability score, 0–100.
    #[serde(default)]
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub innovation_score: Option<i64>,
}

impl YearInput {
    /// Checks ranges, cross-field rules and the year. `path_year` is the year named by the URL,
    /// if any; `founded_year` refuses years before the firm existed.
    pub fn parse(
        &self,
        path_year: Option<i32>,
        founded_year: Option<i32>,
        ctx: ParseContext<'_>,
    ) -> Result<AnnualFigures, ValidationErrors> {
        let mut errors = match self.validate() {
            Ok(()) => ValidationErrors::default(),
            Err(e) => from_validator(e, ""),
        };
        let year = match (path_year, self.fiscal_year) {
            (Some(p), Some(b)) if p != b => {
                errors.push(FieldError::new(
                    "fiscal_year",
                    "mismatch",
                    format!("the body says {b} but the address says {p}"),
                ));
                None
            }
            (Some(y), _) | (None, Some(y)) => {
                errors.take(check_fiscal_year("fiscal_year", y, ctx.today))
            }
            (None, None) => {
                errors.push(FieldError::new("fiscal_year", "required", "is required"));
                None
            }
        };
        if let (Some(y), Some(f)) = (year, founded_year)
            && y < f
        {
            errors.push(FieldError::new(
                "fiscal_year",
                "before_founding",
                format!("{y} is before the firm was founded ({f})"),
            ));
        }
        let figures = AnnualFigures {
            fiscal_year: year.unwrap_or_default(),
            revenue: self.revenue,
            rd_expense: self.rd_expense,
            rd_expense_domestic: self.rd_expense_domestic,
            high_tech_revenue: self.high_tech_revenue,
            total_assets: self.total_assets,
            net_assets: self.net_assets,
            employees: self.employees,
            tech_staff: self.tech_staff,
            ip_class1: self.ip_class1,
            ip_class2: self.ip_class2,
            innovation_score: self.innovation_score,
        };
        if errors.is_empty() {
            for e in figures.check() {
                errors.push(e);
            }
        } else {
            // Range errors are already reported; add only the cross-field ones.
            for e in figures
                .check()
                .into_iter()
                .filter(|e| e.code == "exceeds_total")
            {
                errors.push(e);
            }
        }
        errors.finish(|| figures)
    }
}
