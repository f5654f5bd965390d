//! A stored certificate as the API shows it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::WithdrawalResponse;
use crate::domain::{Certificate, Recorded};

/// A stored certificate as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateResponse {
    /// UUID v7.
    pub id: Uuid,
    /// `high_tech`.
    pub kind: String,
    /// Number.
    pub number: String,
    /// First day of validity.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Starts at 1; each correction or withdrawal adds one. The ETag is `"version"`.
    pub version: i64,
    /// Set when the certificate was withdrawn: it is kept but no longer counts.
    pub withdrawn: Option<WithdrawalResponse>,
}

impl CertificateResponse {
    /// Builds the view of a stored certificate.
    pub fn new(record: &Recorded<Certificate>) -> Self {
        let cert = &record.item;
        Self {
            id: cert.id.unwrap_or_default(),
            kind: cert.kind.as_str().to_owned(),
            number: cert.number.clone(),
            issued_on: cert.issued_on,
            expires_on: cert.expires_on,
            recorded_at: record.recorded_at,
            version: record.version,
            withdrawn: record.withdrawn.as_ref().map(Into::into),
        }
    }
}
