//! Certificates such as 高新技术企业证书, valid from issue to expiry inclusive.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::FieldError;

/// The kinds of certificate the registry tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// 高新技术企业证书 (high-tech enterprise), valid three years.
    HighTech,
}

impl CertificateKind {
    /// Parses the wire name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "high_tech" => Ok(Self::HighTech),
            other => Err(FieldError::new(
                "kind",
                "invalid_kind",
                format!("must be high_tech, got {other:?}"),
            )),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighTech => "high_tech",
        }
    }
}

/// One certificate held by a firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Assigned on storage; `None` in a dossier that was never stored.
    pub id: Option<Uuid>,
    /// What the certificate attests.
    pub kind: CertificateKind,
    /// The number printed on it (GR202332001234).
    pub number: String,
    /// First day of validity.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
}

impl Certificate {
    /// Whether the certificate is valid on `day` (both ends inclusive).
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.issued_on <= day && day <= self.expires_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_valid_from_issue_to_expiry_inclusive() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let cert = Certificate {
            id: None,
            kind: CertificateKind::HighTech,
            number: "GR202332001234".into(),
            issued_on: d("2023-12-08"),
            expires_on: d("2026-12-07"),
        };
        assert!(!cert.is_valid_on(d("2023-12-07")));
        assert!(cert.is_valid_on(d("2023-12-08")));
        assert!(cert.is_valid_on(d("2026-12-07")));
        assert!(!cert.is_valid_on(d("2026-12-08")));
    }
}
