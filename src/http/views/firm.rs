//! A firm as the API shows it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::Firm;

/// A firm as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FirmResponse {
    /// UUID v7.
    pub id: Uuid,
    /// 统一社会信用代码, normalised.
    pub uscc: String,
    /// Registered Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// GB/T 2260 district code.
    pub region_code: String,
    /// GB/T 4754 code.
    pub industry_code: String,
    /// Date of establishment.
    pub founded_on: NaiveDate,
    /// Listing date.
    pub listed_on: Option<NaiveDate>,
    /// `active` or `deregistered`.
    pub status: String,
    /// No bad-credit record.
    pub credit_ok: Option<bool>,
    /// Technology firm.
    pub tech_firm: Option<bool>,
    /// Key core-technology breakthrough.
    pub key_tech_breakthrough: Option<bool>,
    /// In the gazelle pool.
    pub in_gazelle_pool: Option<bool>,
    /// Core technology in the key fields.
    pub in_key_tech_field: Option<bool>,
    /// Serious violation date.
    pub major_violation_on: Option<NaiveDate>,
    /// Optimistic-locking version; also the ETag.
    pub version: i64,
    /// Registration time (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<&Firm> for FirmResponse {
    fn from(firm: &Firm) -> Self {
        let p = &firm.profile;
        Self {
            id: firm.id,
            uscc: p.uscc.to_string(),
            name: p.name.clone(),
            name_en: p.name_en.clone(),
            region_code: p.region_code.to_string(),
            industry_code: p.industry_code.to_string(),
            founded_on: p.founded_on,
            listed_on: p.listed_on,
            status: p.status.as_str().to_owned(),
            credit_ok: p.credit_ok,
            tech_firm: p.tech_firm,
            key_tech_breakthrough: p.key_tech_breakthrough,
            in_gazelle_pool: p.in_gazelle_pool,
            in_key_tech_field: p.in_key_tech_field,
            major_violation_on: p.major_violation_on,
            version: firm.version,
            created_at: firm.created_at,
            updated_at: firm.updated_at,
        }
    }
}
