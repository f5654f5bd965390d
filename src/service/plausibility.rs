//! Plausibility of a financing round: figures that cannot be true are refused, figures that
//! are unlikely need the clerk's explicit confirmation (a typo of three zeros changes tiers).

use std::cmp::Ordering;

use crate::domain::{FieldError, FinancingRound, Money, ValidationErrors};
use crate::rules::RuleSet;

/// A round raising less than this many yuan needs confirmation.
pub const SMALL_AMOUNT_YUAN: i128 = 10_000;
/// A valuation more than this many times the previous round's needs confirmation.
pub const VALUATION_JUMP: i128 = 20;

/// Compares `a` with `factor × b`, both converted to yuan at the set's rate. `None` when a
/// dollar sum cannot be converted (no rule set, or no rate) or the arithmetic overflows.
fn compare(set: Option<&RuleSet>, a: Money, factor: i128, b: Money) -> Option<Ordering> {
    let (an, ad, bn, bd) = if a.currency == b.currency {
        // The same currency needs no rate.
        (i128::from(a.value), 1, i128::from(b.value), 1)
    } else {
        let set = set?;
        let (an, ad) = set.in_yuan(a)?;
        let (bn, bd) = set.in_yuan(b)?;
        (an, ad, bn, bd)
    };
    let left = an.checked_mul(bd)?;
    let right = bn.checked_mul(factor)?.checked_mul(ad)?;
    Some(left.cmp(&right))
}

/// Checks `round` against itself and against the firm's `others` (the rounds that count,
/// without this one). Impossible figures are refused even with `confirm`; unlikely ones
/// are refused with code `needs_confirmation` unless `confirm` is set.
pub fn check_round(
    round: &FinancingRound,
    others: &[FinancingRound],
    set: Option<&RuleSet>,
    confirm: bool,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if let (Some(amount), Some(valuation)) = (round.amount, round.post_money_valuation)
        && compare(set, amount, 1, valuation) == Some(Ordering::Greater)
    {
        errors.push(FieldError::new(
            "amount.value",
            "exceeds_valuation",
            format!(
                "the amount raised ({} {}) cannot exceed the post-money valuation ({} {})",
                amount.value,
                amount.currency.as_str(),
                valuation.value,
                valuation.currency.as_str()
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if confirm {
        return Ok(());
    }
    if let Some(amount) = round.amount {
        let yuan = Money {
            value: SMALL_AMOUNT_YUAN as i64,
            currency: crate::domain::Currency::CNY,
        };
        if compare(set, amount, 1, yuan) == Some(Ordering::Less) {
            errors.push(FieldError::new(
                "amount.value",
                "needs_confirmation",
                format!(
                    "an amount under ¥{SMALL_AMOUNT_YUAN} ({} {}) is unusual; send \"confirm\": true if it is right",
                    amount.value,
                    amount.currency.as_str()
                ),
            ));
        }
    }
    // The previous round: the latest one closed on or before this one with a valuation.
    let previous = others
        .iter()
        .filter(|r| r.closed_on <= round.closed_on)
        .filter_map(|r| r.post_money_valuation.map(|v| (r.closed_on, v)))
        .max_by_key(|(day, _)| *day);
    if let (Some(valuation), Some((day, before))) = (round.post_money_valuation, previous)
        && compare(set, valuation, VALUATION_JUMP, before) == Some(Ordering::Greater)
    {
        errors.push(FieldError::new(
            "post_money_valuation.value",
            "needs_confirmation",
            format!(
                "{} {} is more than {VALUATION_JUMP} times the valuation of the round of {day} ({} {}); send \"confirm\": true if it is right",
                valuation.value,
                valuation.currency.as_str(),
                before.value,
                before.currency.as_str()
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{Currency, InvestorKind};

    fn money(value: i64, currency: Currency) -> Option<Money> {
        Some(Money { value, currency })
    }

    fn round(closed: &str, amount: Option<Money>, valuation: Option<Money>) -> FinancingRound {
        FinancingRound {
            id: None,
            closed_on: NaiveDate::parse_from_str(closed, "%Y-%m-%d").expect("date"),
            round: "A轮".into(),
            amount,
            post_money_valuation: valuation,
            investor_kind: InvestorKind::Other,
        }
    }

    fn codes(result: Result<(), ValidationErrors>) -> Vec<(String, &'static str)> {
        result
            .err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_amount_may_equal_but_not_exceed_the_valuation_whatever_the_confirmation() {
        let equal = round(
            "2024-01-01",
            money(1_000_000, Currency::CNY),
            money(1_000_000, Currency::CNY),
        );
        assert!(check_round(&equal, &[], None, false).is_ok());
        let above = round(
            "2024-01-01",
            money(1_000_001, Currency::CNY),
            money(1_000_000, Currency::CNY),
        );
        assert_eq!(
            codes(check_round(&above, &[], None, true)),
            [("amount.value".to_owned(), "exceeds_valuation")]
        );
    }

    #[test]
    fn small_amounts_and_twenty_fold_jumps_need_confirmation_at_their_boundaries() {
        let exactly = round("2024-01-01", money(10_000, Currency::CNY), None);
        assert!(
            check_round(&exactly, &[], None, false).is_ok(),
            "¥10,000 is not under"
        );
        let under = round("2024-01-01", money(9_999, Currency::CNY), None);
        assert_eq!(
            codes(check_round(&under, &[], None, false)),
            [("amount.value".to_owned(), "needs_confirmation")]
        );
        assert!(check_round(&under, &[], None, true).is_ok());

        let before = [round("2023-01-01", None, money(1_000_000, Currency::CNY))];
        let twenty = round("2024-01-01", None, money(20_000_000, Currency::CNY));
        assert!(
            check_round(&twenty, &before, None, false).is_ok(),
            "20× is not more than 20×"
        );
        let more = round("2024-01-01", None, money(20_000_001, Currency::CNY));
        assert_eq!(
            codes(check_round(&more, &before, None, false)),
            [(
                "post_money_valuation.value".to_owned(),
                "needs_confirmation"
            )]
        );
        let earlier = round("2022-01-01", None, money(20_000_001, Currency::CNY));
        assert!(
            check_round(&earlier, &before, None, false).is_ok(),
            "only an earlier round is the previous one"
        );
    }

    #[test]
    fn dollars_and_yuan_are_compared_only_with_a_rate() {
        let mixed = round(
            "2024-01-01",
            money(900_000_000, Currency::USD),
            money(300_000_000, Currency::CNY),
        );
        assert!(
            check_round(&mixed, &[], None, false).is_ok(),
            "without a rule set there is no rate"
        );
    }
}
