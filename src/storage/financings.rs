//! Financing round rows and their queries.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::schema::financings;
use crate::domain::{Currency, FinancingRound, InvestorKind, Money, Recorded, Withdrawal};

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
    pub version: i64,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<String>,
    pub withdrawal_reason: Option<String>,
}

fn money(value: Option<i64>, currency: Option<String>) -> StorageResult<Option<Money>> {
    match (value, currency) {
        (Some(value), Some(code)) => Ok(Some(Money {
            value,
            currency: Currency::parse("currency", &code).map_err(corrupt)?,
        })),
        (None, None) => Ok(None),
        _ => Err(corrupt("an amount without its currency").into()),
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
            version: 1,
            withdrawn_at: None,
            withdrawn_by: None,
            withdrawal_reason: None,
        }
    }

    /// The stored round and when it was recorded.
    pub fn into_domain(self) -> StorageResult<(FinancingRound, DateTime<Utc>)> {
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

/// The withdrawal recorded in a row's three columns.
pub(crate) fn withdrawal_of(
    at: Option<NaiveDateTime>,
    by: Option<String>,
    reason: Option<String>,
) -> StorageResult<Option<Withdrawal>> {
    match (at, by, reason) {
        (None, None, None) => Ok(None),
        (Some(at), Some(by), Some(reason)) => Ok(Some(Withdrawal {
            at: to_utc(at),
            by,
            reason,
        })),
        _ => Err(corrupt("a withdrawal without its time, actor or reason").into()),
    }
}

impl FinancingRow {
    /// The stored round with its version and withdrawal.
    pub fn into_recorded(self) -> StorageResult<Recorded<FinancingRound>> {
        let (version, withdrawn) = (
            self.version,
            withdrawal_of(
                self.withdrawn_at,
                self.withdrawn_by.clone(),
                self.withdrawal_reason.clone(),
            )?,
        );
        let (item, recorded_at) = self.into_domain()?;
        Ok(Recorded {
            item,
            recorded_at,
            version,
            withdrawn,
        })
    }
}

/// Stores a round under `id`.
pub fn insert_financing(
    conn: &mut DbConnection,
    id: Uuid,
    firm_id: Uuid,
    round: &FinancingRound,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    Ok(diesel::insert_into(financings::table)
        .values(FinancingRow::new(id, firm_id, round, at))
        .execute(conn)
        .map(drop)?)
}

/// The firm's rounds by closing date, then recording order, withdrawn ones included.
pub fn list_financing_records(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<Recorded<FinancingRound>>> {
    financings::table
        .filter(financings::firm_id.eq(firm_id.to_string()))
        .order((financings::closed_on.asc(), financings::id.asc()))
        .select(FinancingRow::as_select())
        .load(conn)?
        .into_iter()
        .map(FinancingRow::into_recorded)
        .collect()
}

/// One round of the firm, withdrawn or not.
pub fn find_financing(
    conn: &mut DbConnection,
    firm_id: Uuid,
    id: Uuid,
) -> StorageResult<Option<Recorded<FinancingRound>>> {
    financings::table
        .filter(financings::firm_id.eq(firm_id.to_string()))
        .filter(financings::id.eq(id.to_string()))
        .select(FinancingRow::as_select())
        .first(conn)
        .optional()?
        .map(FinancingRow::into_recorded)
        .transpose()
}

/// Replaces the round's facts if it is still at `version` and not withdrawn; false when
/// another writer got there first.
pub fn update_financing(
    conn: &mut DbConnection,
    id: Uuid,
    round: &FinancingRound,
    version: i64,
) -> StorageResult<bool> {
    let row = FinancingRow::new(id, Uuid::nil(), round, Utc::now());
    Ok(diesel::update(
        financings::table
            .filter(financings::id.eq(id.to_string()))
            .filter(financings::version.eq(version))
            .filter(financings::withdrawn_at.is_null()),
    )
    .set((
        financings::closed_on.eq(row.closed_on),
        financings::round.eq(row.round),
        financings::amount_value.eq(row.amount_value),
        financings::amount_currency.eq(row.amount_currency),
        financings::valuation_value.eq(row.valuation_value),
        financings::valuation_currency.eq(row.valuation_currency),
        financings::investor_kind.eq(row.investor_kind),
        financings::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)?)
}

/// Marks the round withdrawn if it is still at `version` and not withdrawn already.
pub fn withdraw_financing(
    conn: &mut DbConnection,
    id: Uuid,
    withdrawal: &Withdrawal,
    version: i64,
) -> StorageResult<bool> {
    Ok(diesel::update(
        financings::table
            .filter(financings::id.eq(id.to_string()))
            .filter(financings::version.eq(version))
            .filter(financings::withdrawn_at.is_null()),
    )
    .set((
        financings::withdrawn_at.eq(Some(from_utc(withdrawal.at))),
        financings::withdrawn_by.eq(Some(withdrawal.by.clone())),
        financings::withdrawal_reason.eq(Some(withdrawal.reason.clone())),
        financings::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)?)
}

/// The firm's rounds by closing date, then recording order, only those that count (not withdrawn), with
/// when each was recorded: what classification and imports see.
pub fn list_financings(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<(FinancingRound, DateTime<Utc>)>> {
    Ok(list_financing_records(conn, firm_id)?
        .into_iter()
        .filter(Recorded::counts)
        .map(|r| (r.item, r.recorded_at))
        .collect())
}
