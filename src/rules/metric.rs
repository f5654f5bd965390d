//! The metrics a rule may name: their wire names, kinds (which decide the allowed units) and
//! one-line definitions used in explanations and in docs/RULES.md.

/// What a metric measures, which decides how a threshold must be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Yes/no: `metric = true` or `metric = false`.
    Bool,
    /// Money in yuan (thresholds in `CNY` or `USD`).
    Money,
    /// A share or ratio, thresholds in `%`.
    Percent,
    /// Compound annual growth over `n` years, thresholds in `%`.
    Growth,
    /// Whole years, `years`.
    Years,
    /// Calendar days, `days`.
    Days,
    /// A count or score, no unit (or `count`).
    Count,
    /// A calendar year such as 2008, no unit.
    CalendarYear,
}

macro_rules! metrics {
    ($( $variant:ident => $name:literal, $kind:ident, $doc:literal; )*) => {
        /// A quantity computed from a dossier as of an evaluation date.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Metric { $( #[doc = $doc] $variant, )* }

        impl Metric {
            /// Every metric, in documentation order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant,)*];

            /// The name used in rule files and explanations.
            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* }
            }

            /// How thresholds for it are written.
            pub fn kind(self) -> Kind {
                match self { $(Metric::$variant => Kind::$kind,)* }
            }

            /// One sentence defining it (Y is the data year, D the evaluation date).
            pub fn definition(self) -> &'static str {
                match self { $(Metric::$variant => $doc,)* }
            }
        }
    };
}

metrics! {
    FoundedYear => "founded_year", CalendarYear, "Calendar year of the founding date.";
    YearsSinceFounding => "years_since_founding", Years, "Y minus the founding year (\"within 5 years\" is ≤ 4).";
    DaysSinceFounding => "days_since_founding", Days, "Calendar days from the founding date to D.";
    Listed => "listed", Bool, "Listed on a stock exchange on or before D.";
    HasInvestment => "has_investment", Bool, "At least one financing round closed on or before D.";
    HasProfessionalInvestment => "has_professional_investment", Bool, "A round led by a professional investment institution (private equity) closed on or before D.";
    Valuation => "valuation", Money, "Post-money valuation of the latest round closed on or before D that disclosed one, in yuan at the rule set's rate.";
    CumulativeFinancing => "cumulative_financing", Money, "Sum of the amounts of all rounds closed on or before D, in yuan at the rule set's rate; missing if any amount is undisclosed.";
    Revenue => "revenue", Money, "Operating revenue in Y.";
    RevenueGrowth => "revenue_growth", Growth, "Revenue growth from Y−1 to Y.";
    RevenueCagr3y => "revenue_cagr_3y", Growth, "Compound annual revenue growth from Y−3 to Y.";
    RevenueCagr4y => "revenue_cagr_4y", Growth, "Compound annual revenue growth from Y−4 to Y.";
    RevenueBase3y => "revenue_base_3y", Money, "Revenue in Y−3 (the base year of a three-year growth).";
    RevenueBase4y => "revenue_base_4y", Money, "Revenue in Y−4 (the base year of a four-year growth).";
    RdRatio => "rd_ratio", Percent, "R&D expense / revenue in Y.";
    RdRatio3y => "rd_ratio_3y", Percent, "R&D expense / revenue summed over Y−2..Y (fewer years if founded later).";
    RdDomesticShare3y => "rd_domestic_share_3y", Percent, "Domestic R&D / all R&D summed over the same years as rd_ratio_3y.";
    HighTechRevenueShare => "high_tech_revenue_share", Percent, "High-tech products and services revenue / revenue in Y.";
    TechStaffRatio => "tech_staff_ratio", Percent, "Technical staff / employees in Y.";
    Employees => "employees", Count, "Employees in Y.";
    TotalAssets => "total_assets", Money, "Total assets at the end of Y.";
    InnovationScore => "innovation_score", Count, "Innovation capability score (0–100) for Y.";
    IpClass1 => "ip_class1", Count, "Class I IP (invention patents and equivalents) in Y.";
    IpClass2 => "ip_class2", Count, "Class II IP (utility models, designs, software copyrights) in Y.";
    IpTotal => "ip_total", Count, "ip_class1 + ip_class2 in Y.";
    TechSmeScore => "tech_sme_score", Count, "Tech-based SME evaluation score (0–100) from Y's figures: tech staff / employees (max 20), R&D / revenue (max 50; R&D / total costs is not recorded), IP (max 30), each band's lower bound included.";
    HighTechCertificateValid => "high_tech_certificate_valid", Bool, "Holds a high-tech certificate valid on D (issue and expiry days included).";
    CreditOk => "credit_ok", Bool, "No bad-credit record.";
    TechFirm => "tech_firm", Bool, "Recognised as a technology firm.";
    KeyTechBreakthrough => "key_tech_breakthrough", Bool, "Has made a key core-technology breakthrough.";
    InGazellePool => "in_gazelle_pool", Bool, "In the city's gazelle cultivation pool.";
    InKeyTechField => "in_key_tech_field", Bool, "Core technology in the national key supported high-tech fields.";
    NoMajorViolationInYear => "no_major_violation_in_year", Bool, "No serious safety, quality or environmental violation dated in the 365 days up to D.";
    RegisteredInCity => "registered_in_city", Bool, "Registration region lies in the configured city (same first four digits).";
}

/// Number of metrics, the size of the per-evaluation cache.
pub const METRIC_COUNT: usize = Metric::ALL.len();

impl Metric {
    /// Looks a metric up by its rule-file name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Position in [`Metric::ALL`], the cache slot.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_found_by_its_own_name_at_its_own_index() {
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(Metric::parse(m.name()), Some(*m));
            assert_eq!(m.index(), i, "{}", m.name());
        }
        assert_eq!(Metric::parse("turnover"), None);
    }
}
