//! Certificate rows and their queries.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::financings::withdrawal_of;
use super::schema::certificates;
use crate::domain::{Certificate, CertificateKind, Recorded, Withdrawal};

/// A `certificates` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: String,
    pub firm_id: String,
    pub kind: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub version: i64,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<String>,
    pub withdrawal_reason: Option<String>,
}

impl CertificateRow {
    /// The row of a certificate stored under `id`, recorded `at`.
    pub(crate) fn new(id: Uuid, firm_id: Uuid, cert: &Certificate, at: DateTime<Utc>) -> Self {
        Self {
            id: id.to_string(),
            firm_id: firm_id.to_string(),
            kind: cert.kind.as_str().to_owned(),
            number: cert.number.clone(),
            issued_on: cert.issued_on,
            expires_on: cert.expires_on,
            recorded_at: from_utc(at),
            version: 1,
            withdrawn_at: None,
            withdrawn_by: None,
            withdrawal_reason: None,
        }
    }

    /// The stored certificate with its version and withdrawal.
    pub fn into_recorded(self) -> StorageResult<Recorded<Certificate>> {
        Ok(Recorded {
            item: Certificate {
                id: Some(parse_uuid(&self.id)?),
                kind: CertificateKind::parse(&self.kind).map_err(corrupt)?,
                number: self.number,
                issued_on: self.issued_on,
                expires_on: self.expires_on,
            },
            recorded_at: to_utc(self.recorded_at),
            version: self.version,
            withdrawn: withdrawal_of(self.withdrawn_at, self.withdrawn_by, self.withdrawal_reason)?,
        })
    }
}

/// Stores a certificate under `id`; a number already used for that kind by a certificate
/// that is not withdrawn is a unique violation.
pub fn insert_certificate(
    conn: &mut DbConnection,
    id: Uuid,
    firm_id: Uuid,
    cert: &Certificate,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    Ok(diesel::insert_into(certificates::table)
        .values(CertificateRow::new(id, firm_id, cert, at))
        .execute(conn)
        .map(drop)?)
}

/// The firm's certificates by issue date, withdrawn ones included.
pub fn list_certificate_records(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<Recorded<Certificate>>> {
    certificates::table
        .filter(certificates::firm_id.eq(firm_id.to_string()))
        .order((certificates::issued_on.asc(), certificates::id.asc()))
        .select(CertificateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(CertificateRow::into_recorded)
        .collect()
}

/// One certificate of the firm, withdrawn or not.
pub fn find_certificate(
    conn: &mut DbConnection,
    firm_id: Uuid,
    id: Uuid,
) -> StorageResult<Option<Recorded<Certificate>>> {
    certificates::table
        .filter(certificates::firm_id.eq(firm_id.to_string()))
        .filter(certificates::id.eq(id.to_string()))
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()?
        .map(CertificateRow::into_recorded)
        .transpose()
}

/// Replaces the certificate's facts if it is still at `version` and not withdrawn; false when
/// another writer got there first. A number taken by another certificate is a unique violation.
pub fn update_certificate(
    conn: &mut DbConnection,
    id: Uuid,
    cert: &Certificate,
    version: i64,
) -> StorageResult<bool> {
    Ok(diesel::update(
        certificates::table
            .filter(certificates::id.eq(id.to_string()))
            .filter(certificates::version.eq(version))
            .filter(certificates::withdrawn_at.is_null()),
    )
    .set((
        certificates::kind.eq(cert.kind.as_str()),
        certificates::number.eq(&cert.number),
        certificates::issued_on.eq(cert.issued_on),
        certificates::expires_on.eq(cert.expires_on),
        certificates::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)?)
}

/// Marks the certificate withdrawn if it is still at `version` and not withdrawn already.
pub fn withdraw_certificate(
    conn: &mut DbConnection,
    id: Uuid,
    withdrawal: &Withdrawal,
    version: i64,
) -> StorageResult<bool> {
    Ok(diesel::update(
        certificates::table
            .filter(certificates::id.eq(id.to_string()))
            .filter(certificates::version.eq(version))
            .filter(certificates::withdrawn_at.is_null()),
    )
    .set((
        certificates::withdrawn_at.eq(Some(from_utc(withdrawal.at))),
        certificates::withdrawn_by.eq(Some(withdrawal.by.clone())),
        certificates::withdrawal_reason.eq(Some(withdrawal.reason.clone())),
        certificates::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)?)
}

/// The firm's certificates by issue date, only those that count (not withdrawn), with
/// when each was recorded: what classification and imports see.
pub fn list_certificates(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Vec<(Certificate, DateTime<Utc>)>> {
    Ok(list_certificate_records(conn, firm_id)?
        .into_iter()
        .filter(Recorded::counts)
        .map(|r| (r.item, r.recorded_at))
        .collect())
}
