//! Financing rounds: the source of valuations and of "has received investment".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{FieldError, Money};

/// Who led or made the investment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvestorKind {
    /// A professional investment institution (VC/PE fund).
    ProfessionalInstitution,
    /// A strategic (industrial) investor.
    Strategic,
    /// A government guidance fund.
    GovernmentFund,
    /// Anything else (individuals, founders' relatives…).
    Other,
}

impl InvestorKind {
    /// Parses the wire name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "professional_institution" => Ok(Self::ProfessionalInstitution),
            "strategic" => Ok(Self::Strategic),
            "government_fund" => Ok(Self::GovernmentFund),
            "other" => Ok(Self::Other),
            other => Err(FieldError::new(
                "investor_kind",
                "invalid_investor_kind",
                format!(
                    "must be professional_institution, strategic, government_fund or other, got {other:?}"
                ),
            )),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProfessionalInstitution => "professional_institution",
            Self::Strategic => "strategic",
            Self::GovernmentFund => "government_fund",
            Self::Other => "other",
        }
    }
}

/// One closed financing round. Undisclosed amounts and valuations are `None`, not zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancingRound {
    /// Assigned on storage; `None` in a dossier that was never stored.
    pub id: Option<Uuid>,
    /// The day the round closed.
    pub closed_on: NaiveDate,
    /// The round's label as announced (天使轮, Pre-A, B+…).
    pub round: String,
    /// Money raised in the round.
    pub amount: Option<Money>,
    /// Post-money valuation announced with the round.
    pub post_money_valuation: Option<Money>,
    /// The kind of lead investor.
    pub investor_kind: InvestorKind,
}
