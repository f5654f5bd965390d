//! A registered firm and the facts the tier criteria ask about.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{FieldError, IndustryCode, RegionCode, Uscc};

/// Whether the firm still exists as a legal person. Deregistration is a status, never a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmStatus {
    /// Trading.
    Active,
    /// Struck off the register; holds no tier.
    Deregistered,
}

impl FirmStatus {
    /// Parses the wire name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "active" => Ok(Self::Active),
            "deregistered" => Ok(Self::Deregistered),
            other => Err(FieldError::new(
                "status",
                "invalid_status",
                format!("must be active or deregistered, got {other:?}"),
            )),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deregistered => "deregistered",
        }
    }
}

/// Everything staff record about a firm, already checked. `None` on a yes/no fact means
/// "not known", which the rules report as missing data rather than as "no".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmProfile {
    /// 统一社会信用代码, normalised.
    pub uscc: Uscc,
    /// Registered Chinese name.
    pub name: String,
    /// English name, if any.
    pub name_en: Option<String>,
    /// Current registration district.
    pub region_code: RegionCode,
    /// GB/T 4754 industry.
    pub industry_code: IndustryCode,
    /// Date of establishment.
    pub founded_on: NaiveDate,
    /// Date of listing on a stock exchange; `None` while unlisted.
    pub listed_on: Option<NaiveDate>,
    /// Active or deregistered.
    pub status: FirmStatus,
    /// No bad-credit record (严重失信).
    pub credit_ok: Option<bool>,
    /// Recognised as a technology firm.
    pub tech_firm: Option<bool>,
    /// Has made a key core-technology breakthrough (关键核心技术突破).
    pub key_tech_breakthrough: Option<bool>,
    /// In the city's gazelle cultivation pool.
    pub in_gazelle_pool: Option<bool>,
    /// Core technology within the national key supported high-tech fields.
    pub in_key_tech_field: Option<bool>,
    /// Date of a serious safety, quality or environmental violation, if any.
    pub major_violation_on: Option<NaiveDate>,
}

impl FirmProfile {
    /// Cross-field checks: listing and violations cannot precede founding.
    pub fn check_consistency(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(listed) = self.listed_on
            && listed < self.founded_on
        {
            errors.push(FieldError::new(
                "listed_on",
                "before_founding",
                format!("{listed} is before the founding date {}", self.founded_on),
            ));
        }
        if let Some(violation) = self.major_violation_on
            && violation < self.founded_on
        {
            errors.push(FieldError::new(
                "major_violation_on",
                "before_founding",
                format!(
                    "{violation} is before the founding date {}",
                    self.founded_on
                ),
            ));
        }
        errors
    }
}

/// A stored firm: its profile plus identity and optimistic-locking version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firm {
    /// UUID v7, generated on registration.
    pub id: Uuid,
    /// Incremented on every change; the ETag.
    pub version: i64,
    /// When the firm was registered.
    pub created_at: DateTime<Utc>,
    /// When the firm was last changed.
    pub updated_at: DateTime<Utc>,
    /// The facts.
    pub profile: FirmProfile,
}
