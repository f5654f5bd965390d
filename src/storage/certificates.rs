//! Certificate rows and their queries.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::schema::certificates;
use crate::domain::{Certificate, CertificateKind};

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
        }
    }
}

/// Stores a certificate under `id`; a number already used for that kind is a unique violation.
pub fn insert_certificate(
    conn: &mut DbConnection,
    id: Uuid,
    firm_id: Uuid,
    cert: &Certificate,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(certificates::table)
        .values(CertificateRow::new(id, firm_id, cert, at))
        .execute(conn)
        .map(drop)
}

/// The firm's certificates by issue date.
pub fn list_certificates(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> QueryResult<Vec<(Certificate, DateTime<Utc>)>> {
    certificates::table
        .filter(certificates::firm_id.eq(firm_id.to_string()))
        .order((certificates::issued_on.asc(), certificates::id.asc()))
        .select(CertificateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| {
            Ok((
                Certificate {
                    id: Some(parse_uuid(&r.id)?),
                    kind: CertificateKind::parse(&r.kind).map_err(corrupt)?,
                    number: r.number,
                    issued_on: r.issued_on,
                    expires_on: r.expires_on,
                },
                to_utc(r.recorded_at),
            ))
        })
        .collect()
}
