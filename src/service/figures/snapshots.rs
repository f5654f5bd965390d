//! Stored rounds and certificates as the audit trail records them, before and after a
//! correction or withdrawal. The service's own snapshot, not the API's view: the audit detail
//! is stored JSON that must read the same whatever the API later shows, so its shape, field
//! order included, is fixed here (it matches the API's view of the record as of this writing).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::{Certificate, FinancingRound, Money, Recorded, Withdrawal};
use crate::service::error::ServiceError;

/// An amount with its currency.
#[derive(Serialize)]
struct MoneySnapshot {
    value: i64,
    currency: &'static str,
}

impl From<Money> for MoneySnapshot {
    fn from(m: Money) -> Self {
        Self {
            value: m.value,
            currency: m.currency.as_str(),
        }
    }
}

/// Who withdrew a record, when and why.
#[derive(Serialize)]
struct WithdrawalSnapshot<'a> {
    at: DateTime<Utc>,
    by: &'a str,
    reason: &'a str,
}

impl<'a> From<&'a Withdrawal> for WithdrawalSnapshot<'a> {
    fn from(w: &'a Withdrawal) -> Self {
        Self {
            at: w.at,
            by: &w.by,
            reason: &w.reason,
        }
    }
}

#[derive(Serialize)]
struct FinancingSnapshot<'a> {
    id: Uuid,
    closed_on: NaiveDate,
    round: &'a str,
    amount: Option<MoneySnapshot>,
    post_money_valuation: Option<MoneySnapshot>,
    investor_kind: &'static str,
    recorded_at: DateTime<Utc>,
    version: i64,
    withdrawn: Option<WithdrawalSnapshot<'a>>,
}

#[derive(Serialize)]
struct CertificateSnapshot<'a> {
    id: Uuid,
    kind: &'static str,
    number: &'a str,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    recorded_at: DateTime<Utc>,
    version: i64,
    withdrawn: Option<WithdrawalSnapshot<'a>>,
}

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ServiceError> {
    serde_json::to_value(value).map_err(|e| ServiceError::Unexpected(e.into()))
}

/// A stored round as its audit entries record it.
pub(super) fn financing_snapshot(
    record: &Recorded<FinancingRound>,
) -> Result<serde_json::Value, ServiceError> {
    let round = &record.item;
    json(&FinancingSnapshot {
        id: round.id.unwrap_or_default(),
        closed_on: round.closed_on,
        round: &round.round,
        amount: round.amount.map(Into::into),
        post_money_valuation: round.post_money_valuation.map(Into::into),
        investor_kind: round.investor_kind.as_str(),
        recorded_at: record.recorded_at,
        version: record.version,
        withdrawn: record.withdrawn.as_ref().map(Into::into),
    })
}

/// A stored certificate as its audit entries record it.
pub(super) fn certificate_snapshot(
    record: &Recorded<Certificate>,
) -> Result<serde_json::Value, ServiceError> {
    let cert = &record.item;
    json(&CertificateSnapshot {
        id: cert.id.unwrap_or_default(),
        kind: cert.kind.as_str(),
        number: &cert.number,
        issued_on: cert.issued_on,
        expires_on: cert.expires_on,
        recorded_at: record.recorded_at,
        version: record.version,
        withdrawn: record.withdrawn.as_ref().map(Into::into),
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::{CertificateKind, Currency, InvestorKind};

    fn recorded<T>(item: T) -> Recorded<T> {
        Recorded {
            item,
            recorded_at: Utc
                .with_ymd_and_hms(2025, 7, 1, 8, 0, 0)
                .single()
                .expect("time"),
            version: 2,
            withdrawn: Some(Withdrawal {
                at: Utc
                    .with_ymd_and_hms(2025, 7, 2, 9, 30, 0)
                    .single()
                    .expect("time"),
                by: "alice".into(),
                reason: "录入错误".into(),
            }),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    // The audit detail is stored text: these pin its shape, field order included (serde_json
    // keeps insertion order in this build), which existing entries share.
    #[test]
    fn a_round_is_recorded_with_the_fields_its_audit_entries_have_always_had() {
        let round = recorded(FinancingRound {
            id: Some(Uuid::nil()),
            closed_on: date(2025, 6, 30),
            round: "B轮".into(),
            amount: Some(Money {
                value: 50_000_000,
                currency: Currency::USD,
            }),
            post_money_valuation: None,
            investor_kind: InvestorKind::Strategic,
        });
        let json = financing_snapshot(&round).expect("serialises").to_string();
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-0000-0000-000000000000","closed_on":"2025-06-30","round":"B轮","amount":{"value":50000000,"currency":"USD"},"post_money_valuation":null,"investor_kind":"strategic","recorded_at":"2025-07-01T08:00:00Z","version":2,"withdrawn":{"at":"2025-07-02T09:30:00Z","by":"alice","reason":"录入错误"}}"#
        );
    }

    #[test]
    fn a_certificate_is_recorded_with_the_fields_its_audit_entries_have_always_had() {
        let mut cert = recorded(Certificate {
            id: Some(Uuid::nil()),
            kind: CertificateKind::HighTech,
            number: "GR202332001234".into(),
            issued_on: date(2023, 12, 8),
            expires_on: date(2026, 12, 7),
        });
        cert.withdrawn = None;
        let json = certificate_snapshot(&cert).expect("serialises").to_string();
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-0000-0000-000000000000","kind":"high_tech","number":"GR202332001234","issued_on":"2023-12-08","expires_on":"2026-12-07","recorded_at":"2025-07-01T08:00:00Z","version":2,"withdrawn":null}"#
        );
    }
}
