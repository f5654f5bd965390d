//! The withdrawal every stored round and certificate may carry, as the API shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Withdrawal;

/// Who withdrew a record, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WithdrawalResponse {
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
    /// Why.
    pub reason: String,
}

impl From<&Withdrawal> for WithdrawalResponse {
    fn from(w: &Withdrawal) -> Self {
        Self {
            at: w.at,
            by: w.by.clone(),
            reason: w.reason.clone(),
        }
    }
}
