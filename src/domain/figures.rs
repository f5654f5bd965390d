//! A firm's figures for one fiscal year. Missing is not zero: every figure is optional.

use serde::{Deserialize, Serialize};

use super::FieldError;

/// One fiscal year's figures; money in whole yuan, people in heads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualFigures {
    /// The fiscal (calendar) year.
    pub fiscal_year: i32,
    /// Operating revenue (营业收入).
    pub revenue: Option<i64>,
    /// R&D expense (研发费用).
    pub rd_expense: Option<i64>,
    /// R&D expense incurred in China.
    pub rd_expense_domestic: Option<i64>,
    /// Revenue from high-tech products and services.
    pub high_tech_revenue: Option<i64>,
    /// Total assets.
    pub total_assets: Option<i64>,
    /// Net assets; may be negative for an insolvent firm.
    pub net_assets: Option<i64>,
    /// Employees in the year.
    pub employees: Option<i64>,
    /// Technical staff in the year.
    pub tech_staff: Option<i64>,
    /// Class I intellectual property (invention patents and equivalents).
    pub ip_class1: Option<i64>,
    /// Class II intellectual property (utility models, designs, software copyrights).
    pub ip_class2: Option<i64>,
    /// Innovation capability score, 0–100.
    pub innovation_score: Option<i64>,
}

/// Upper bound for any yuan figure: ten trillion yuan, far above any firm, far below overflow
/// even when three years are summed and multiplied by a percentage.
pub const MAX_YUAN: i64 = 10_000_000_000_000;
/// Upper bound for head counts.
pub const MAX_HEADS: i64 = 10_000_000;

impl AnnualFigures {
    /// Range and cross-field checks; every problem is reported, each naming its field.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let yuan = [
            ("revenue", self.revenue),
            ("rd_expense", self.rd_expense),
            ("rd_expense_domestic", self.rd_expense_domestic),
            ("high_tech_revenue", self.high_tech_revenue),
            ("total_assets", self.total_assets),
        ];
        for (field, value) in yuan {
            if let Some(v) = value
                && !(0..=MAX_YUAN).contains(&v)
            {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("must be between 0 and {MAX_YUAN} yuan, got {v}"),
                ));
            }
        }
        if let Some(v) = self.net_assets
            && !(-MAX_YUAN..=MAX_YUAN).contains(&v)
        {
            errors.push(FieldError::new(
                "net_assets",
                "out_of_range",
                format!("must be between -{MAX_YUAN} and {MAX_YUAN} yuan, got {v}"),
            ));
        }
        let heads = [
            ("employees", self.employees, MAX_HEADS),
            ("tech_staff", self.tech_staff, MAX_HEADS),
            ("ip_class1", self.ip_class1, MAX_HEADS),
            ("ip_class2", self.ip_class2, MAX_HEADS),
            ("innovation_score", self.innovation_score, 100),
        ];
        for (field, value, max) in heads {
            if let Some(v) = value
                && !(0..=max).contains(&v)
            {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("must be between 0 and {max}, got {v}"),
                ));
            }
        }
        let not_above = [
            (
                "rd_expense_domestic",
                self.rd_expense_domestic,
                "rd_expense",
                self.rd_expense,
            ),
            ("tech_staff", self.tech_staff, "employees", self.employees),
            (
                "high_tech_revenue",
                self.high_tech_revenue,
                "revenue",
                self.revenue,
            ),
        ];
        for (part_name, part, whole_name, whole) in not_above {
            if let (Some(p), Some(w)) = (part, whole)
                && p > w
            {
                errors.push(FieldError::new(
                    part_name,
                    "exceeds_total",
                    format!("{p} is more than {whole_name} ({w})"),
                ));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(figures: &AnnualFigures) -> Vec<(String, &'static str)> {
        figures
            .check()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_plausible_year_passes() {
        let year = AnnualFigures {
            fiscal_year: 2024,
            revenue: Some(100_000_000),
            rd_expense: Some(5_000_000),
            rd_expense_domestic: Some(5_000_000),
            high_tech_revenue: Some(70_000_000),
            net_assets: Some(-1),
            employees: Some(100),
            tech_staff: Some(100),
            innovation_score: Some(100),
            ..AnnualFigures::default()
        };
        assert!(year.check().is_empty());
    }

    #[test]
    fn negative_and_huge_figures_are_refused_by_name() {
        let year = AnnualFigures {
            revenue: Some(-1),
            employees: Some(-5),
            total_assets: Some(i64::MAX),
            innovation_score: Some(101),
            ..AnnualFigures::default()
        };
        assert_eq!(
            codes(&year),
            vec![
                ("revenue".into(), "out_of_range"),
                ("total_assets".into(), "out_of_range"),
                ("employees".into(), "out_of_range"),
                ("innovation_score".into(), "out_of_range"),
            ]
        );
    }

    #[test]
    fn parts_may_not_exceed_their_totals() {
        let year = AnnualFigures {
            revenue: Some(10),
            high_tech_revenue: Some(11),
            rd_expense: Some(5),
            rd_expense_domestic: Some(6),
            employees: Some(3),
            tech_staff: Some(4),
            ..AnnualFigures::default()
        };
        assert_eq!(
            codes(&year),
            vec![
                ("rd_expense_domestic".into(), "exceeds_total"),
                ("tech_staff".into(), "exceeds_total"),
                ("high_tech_revenue".into(), "exceeds_total"),
            ]
        );
    }
}
