//! A stored financing round as the API shows it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::WithdrawalResponse;
use crate::domain::{FinancingRound, Recorded};
use crate::inputs::MoneyInput;

/// A stored round as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FinancingResponse {
    /// UUID v7.
    pub id: Uuid,
    /// Closing date.
    pub closed_on: NaiveDate,
    /// Round label.
    pub round: String,
    /// Money raised.
    pub amount: Option<MoneyInput>,
    /// Post-money valuation.
    pub post_money_valuation: Option<MoneyInput>,
    /// Kind of lead investor.
    pub investor_kind: String,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Starts at 1; each correction or withdrawal adds one. The ETag is `"version"`.
    pub version: i64,
    /// Set when the round was withdrawn: it is kept but no longer counts.
    pub withdrawn: Option<WithdrawalResponse>,
}

impl FinancingResponse {
    /// Builds the view of a stored round.
    pub fn new(record: &Recorded<FinancingRound>) -> Self {
        let round = &record.item;
        Self {
            id: round.id.unwrap_or_default(),
            closed_on: round.closed_on,
            round: round.round.clone(),
            amount: round.amount.map(Into::into),
            post_money_valuation: round.post_money_valuation.map(Into::into),
            investor_kind: round.investor_kind.as_str().to_owned(),
            recorded_at: record.recorded_at,
            version: record.version,
            withdrawn: record.withdrawn.as_ref().map(Into::into),
        }
    }
}
