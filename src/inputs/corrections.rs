//! Correcting and withdrawing financing rounds and certificates.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::firm::double_option;
use super::{CertificateInput, FinancingInput, MoneyInput};
use crate::domain::{Certificate, FieldError, FinancingRound, clean_text, three_years_less_a_day};

/// Longest withdrawal reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// `PATCH /firms/{id}/financings/{financing_id}`: only the fields present change; `null`
/// clears an amount or valuation. The result is checked like a new round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancingPatch {
    /// Corrected closing date.
    #[serde(default)]
    #[schema(format = Date)]
    pub closed_on: Option<String>,
    /// Corrected round label.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 50)]
    pub round: Option<String>,
    /// Corrected amount; null makes it undisclosed.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<MoneyInput>)]
    pub amount: Option<Option<MoneyInput>>,
    /// Corrected post-money valuation; null makes it undisclosed.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<MoneyInput>)]
    pub post_money_valuation: Option<Option<MoneyInput>>,
    /// Corrected kind of lead investor.
    #[serde(default)]
    #[schema(pattern = "^(professional_institution|strategic|government_fund|other)$")]
    pub investor_kind: Option<String>,
    /// Confirms figures that look implausible (see `needs_confirmation`).
    #[serde(default)]
    pub confirm: bool,
}

impl FinancingPatch {
    /// The stored round with the patch applied, as input to check like a new round.
    pub fn apply(&self, stored: &FinancingRound) -> FinancingInput {
        FinancingInput {
            closed_on: self
                .closed_on
                .clone()
                .unwrap_or_else(|| stored.closed_on.to_string()),
            round: self.round.clone().unwrap_or_else(|| stored.round.clone()),
            amount: self
                .amount
                .clone()
                .unwrap_or_else(|| stored.amount.map(Into::into)),
            post_money_valuation: self
                .post_money_valuation
                .clone()
                .unwrap_or_else(|| stored.post_money_valuation.map(Into::into)),
            investor_kind: self
                .investor_kind
                .clone()
                .unwrap_or_else(|| stored.investor_kind.as_str().to_owned()),
        }
    }
}

/// `PATCH /firms/{id}/certificates/{certificate_id}`: only the fields present change. An
/// expiry left out stays as stored, except that a default expiry (three years after issue
/// less a day) follows a corrected issue date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificatePatch {
    /// `high_tech`.
    #[serde(default)]
    #[schema(pattern = "^high_tech$")]
    pub kind: Option<String>,
    /// Corrected number; must stay unique among certificates that are not withdrawn.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 64)]
    pub number: Option<String>,
    /// Corrected first day of validity.
    #[serde(default)]
    #[schema(format = Date)]
    pub issued_on: Option<String>,
    /// Corrected last day of validity.
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
}

impl CertificatePatch {
    /// The stored certificate with the patch applied, as input to check like a new one.
    pub fn apply(&self, stored: &Certificate) -> CertificateInput {
        let default_expiry = stored.expires_on == three_years_less_a_day(stored.issued_on);
        let expires_on = match (&self.expires_on, &self.issued_on) {
            (Some(e), _) => Some(e.clone()),
            (None, Some(_)) if default_expiry => None,
            (None, _) => Some(stored.expires_on.to_string()),
        };
        CertificateInput {
            kind: self
                .kind
                .clone()
                .unwrap_or_else(|| stored.kind.as_str().to_owned()),
            number: self.number.clone().unwrap_or_else(|| stored.number.clone()),
            issued_on: self
                .issued_on
                .clone()
                .unwrap_or_else(|| stored.issued_on.to_string()),
            expires_on,
        }
    }
}

/// `DELETE …/financings/{financing_id}` and `…/certificates/{certificate_id}`: why the record
/// is withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalInput {
    /// Why the record is withdrawn (required).
    #[schema(example = "录入错误：重复记录", min_length = 1, max_length = 500)]
    pub reason: String,
}

impl WithdrawalInput {
    /// The reason, trimmed; empty or over 500 characters is refused.
    pub fn parse(&self) -> Result<String, FieldError> {
        clean_text("reason", &self.reason, MAX_REASON_CHARS)
    }
}
