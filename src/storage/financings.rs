//! Financing round rows and their queries.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::schema::financings;
use crate::domain::{Currency, FinancingRound, InvestorKind, Money};

/// A `financings` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = financings)]
pub struct FinancingRow {
    pub id: String,
    pub firm_id: String,
    pub closed_on: NaiveDate,
    pub round: String,
    pub amount_value: Option<i64>,
    pub amount_currency: Option<String>,
    pub valuation_value: Option<i64>,
    pub valuation_currency: Option<String>,
    pub investor_kind: String,
    pub recorded_at: NaiveDateTime,
}

fn money(value: Option<i64>, currency: Option<String>) -> QueryResult<Option<Money>> {
    match (value, currency) {
        (Some(value), Some(code)) => Ok(Some(Money {
            value,
            currency: Currency::parse("currency", &code).map_err(corrupt)?,
        })),
        (None, None) => Ok(None),
        _ => Err(corrupt("an amount without its currency")),
    }
}

impl FinancingRow {
    /// The row of a round stored under `id`, recorded `at`.
    pub(crate) fn new(id: Uuid, firm_id: Uuid, round: &FinancingRound, at: DateTime<Utc>) -> Self {
        Self {
            id: id.to_string(),
            firm_id: firm_id.to_string(),
            closed_on: round.closed_on,
            round: round.round.clone(),
            amount_value: round.amount.map(|m| m.value),
            amount_currency: round.amount.map(|m| m.currency.as_str().to_owned()),
            valuation_value: round.post_money_valuation.map(|m| m.value),
            valuation_currency: round
                .post_money_valuation
                .map(|m| m.currency.as_str().to_owned()),
            investor_kind: round.investor_kind.as_str().to_owned(),
            recorded_at: from_utc(at),
        }
    }

    /// The stored round and when it was recorded.
    pub fn into_domain(self) -> QueryResult<(FinancingRound, DateTime<Utc>)> {
        Ok((
            FinancingRound {
                id: Some(parse_uuid(&self.id)?),
                closed_on: self.closed_on,
                round: self.round,
                amount: money(self.amount_value, self.amount_currency)?,
                post_money_valuation: money(self.valuation_value, self.valuation_currency)?,
                investor_kind: InvestorKind::parse(&self.investor_kind).map_err(corrupt)?,
            },
            to_utc(self.recorded_at),
        ))
    }
}

/// Stores a round under `id`.
pub fn insert_financing(
    conn: &mut DbConnection,
    id: Uuid,
    firm_id: Uuid,
    round: &FinancingRound,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(financings::table)
        .values(FinancingRow::new(id, firm_id, round, at))
        .execute(conn)
        .map(drop)
}

/// The firm's rounds by closing date, then recording order.
pub fn list_financings(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> QueryResult<Vec<(FinancingRound, DateTime<Utc>)>> {
    financings::table
        .filter(financings::firm_id.eq(firm_id.to_string()))
        .order((financings::closed_on.asc(), financings::id.asc()))
        .select(FinancingRow::as_select())
        .load(conn)?
        .into_iter()
        .map(FinancingRow::into_domain)
        .collect()
}
