//! Everything the rules need to know about one firm.

use serde::{Deserialize, Serialize};

use super::{AnnualFigures, Certificate, FinancingRound, FirmProfile};

/// A firm with its yearly figures, financing rounds and certificates, in any order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// The firm's facts.
    pub firm: FirmProfile,
    /// One entry per fiscal year at most.
    pub years: Vec<AnnualFigures>,
    /// Closed rounds.
    pub financings: Vec<FinancingRound>,
    /// Certificates held, current or expired.
    pub certificates: Vec<Certificate>,
}
