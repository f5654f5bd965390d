//! A financing round to record, and amounts of money.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ParseContext;
use crate::domain::{
    Currency, FieldError, FinancingRound, InvestorKind, MAX_YUAN, Money, ValidationErrors,
    clean_text, parse_past_date,
};

/// An amount with its currency, e.g. `{"value": 50000000, "currency": "USD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyInput {
    /// Whole units, not negative.
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub value: i64,
    /// `CNY` or `USD`.
    #[schema(pattern = "^(CNY|USD)$")]
    pub currency: String,
}

impl MoneyInput {
    fn parse(&self, field: &str) -> Result<Money, FieldError> {
        let currency = Currency::parse(&format!("{field}.currency"), &self.currency)?;
        if self.value > MAX_YUAN {
            return Err(FieldError::new(
                format!("{field}.value"),
                "out_of_range",
                format!("must be at most {MAX_YUAN}, got {}", self.value),
            ));
        }
        Money::new(&format!("{field}.value"), self.value, currency)
    }
}

impl From<Money> for MoneyInput {
    fn from(m: Money) -> Self {
        Self {
            value: m.value,
            currency: m.currency.as_str().to_owned(),
        }
    }
}

/// `POST /firms/{id}/financings`: a closed round.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancingInput {
    /// Closing date, YYYY-MM-DD, not in the future.
    #[schema(example = "2025-06-30", format = Date)]
    pub closed_on: String,
    /// Round label as announced (天使轮, A轮, B+…).
    #[schema(example = "B轮", min_length = 1, max_length = 50)]
    pub round: String,
    /// Money raised; omit when undisclosed.
    #[serde(default)]
    pub amount: Option<MoneyInput>,
    /// Post-money valuation; omit when undisclosed.
    #[serde(default)]
    pub post_money_valuation: Option<MoneyInput>,
    /// `professional_institution`, `strategic`, `government_fund` or `other`.
    #[schema(
        example = "professional_institution",
        pattern = "^(professional_institution|strategic|government_fund|other)$"
    )]
    pub investor_kind: String,
}

impl FinancingInput {
    /// Checks every field; `founded_on` refuses rounds before the firm existed.
    pub fn parse(
        &self,
        founded_on: Option<NaiveDate>,
        ctx: ParseContext<'_>,
    ) -> Result<FinancingRound, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let closed_on = errors.take(parse_past_date("closed_on", &self.closed_on, ctx.today));
        if let (Some(c), Some(f)) = (closed_on, founded_on)
            && c < f
        {
            errors.push(FieldError::new(
                "closed_on",
                "before_founding",
                format!("{c} is before the firm was founded ({f})"),
            ));
        }
        let round = errors.take(clean_text("round", &self.round, 50));
        let amount = match &self.amount {
            None => Some(None),
            Some(m) => errors.take(m.parse("amount")).map(Some),
        };
        let valuation = match &self.post_money_valuation {
            None => Some(None),
            Some(m) => errors.take(m.parse("post_money_valuation")).map(Some),
        };
        let investor_kind = errors.take(InvestorKind::parse(&self.investor_kind));
        match (closed_on, round, amount, valuation, investor_kind) {
            (
                Some(closed_on),
                Some(round),
                Some(amount),
                Some(post_money_valuation),
                Some(investor_kind),
            ) if errors.is_empty() => Ok(FinancingRound {
                id: None,
                closed_on,
                round,
                amount,
                post_money_valuation,
                investor_kind,
            }),
            _ => Err(errors),
        }
    }
}

/// `POST /firms/{id}/financings`: a closed round, with the confirmation implausible figures
/// need.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancingRequest {
    /// Closing date, YYYY-MM-DD, not in the future.
    #[schema(example = "2025-06-30", format = Date)]
    pub closed_on: String,
    /// Round label as announced (天使轮, A轮, B+…).
    #[schema(example = "B轮", min_length = 1, max_length = 50)]
    pub round: String,
    /// Money raised; omit when undisclosed. May not exceed the post-money valuation.
    #[serde(default)]
    pub amount: Option<MoneyInput>,
    /// Post-money valuation; omit when undisclosed.
    #[serde(default)]
    pub post_money_valuation: Option<MoneyInput>,
    /// `professional_institution`, `strategic`, `government_fund` or `other`.
    #[schema(
        example = "professional_institution",
        pattern = "^(professional_institution|strategic|government_fund|other)$"
    )]
    pub investor_kind: String,
    /// `true` confirms figures that look implausible: an amount under ¥10,000, or a valuation
    /// more than 20 times the firm's previous one. Without it such a round is refused with
    /// 422 `needs_confirmation`.
    #[serde(default)]
    pub confirm: bool,
}

impl FinancingRequest {
    /// The round's fields and the confirmation.
    pub fn into_parts(self) -> (FinancingInput, bool) {
        (
            FinancingInput {
                closed_on: self.closed_on,
                round: self.round,
                amount: self.amount,
                post_money_valuation: self.post_money_valuation,
                investor_kind: self.investor_kind,
            },
            self.confirm,
        )
    }
}
