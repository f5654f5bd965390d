//! A firm to register or edit, and optional dates in queries.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::ParseContext;
use crate::domain::{
    FieldError, FirmProfile, FirmStatus, IndustryCode, RegionCode, Uscc, ValidationErrors,
    clean_text, parse_date, parse_past_date,
};

/// Longest accepted Chinese or English firm name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// `POST /firms`: a firm to register. Unknown fields (`id`, `version`, `tier`) are refused.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirmInput {
    /// 统一社会信用代码 (GB 32100): 18 characters ending in a check character; lower case and
    /// full-width forms are accepted and normalised.
    #[schema(
        example = "91320481703625269H",
        pattern = "^\\s*[9９][1１][0-9０-９]{6}[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y０-９Ａ-ＨＪ-ＮＰ-ＲＴＵＷ-Ｙａ-ｈｊ-ｎｐ-ｒｔｕｗ-ｙ]{10}\\s*$"
    )]
    pub uscc: String,
    /// Registered Chinese name.
    #[schema(example = "江苏上上电缆集团有限公司", min_length = 1, max_length = 200)]
    pub name: String,
    /// English name; empty or null means none.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_en: Option<String>,
    /// GB/T 2260 code of the current district.
    #[schema(example = "320481", pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    /// GB/T 4754 code: a section letter and optional digits.
    #[schema(example = "C38", pattern = "^\\s*[A-Ta-t]([0-9]{2,4})?\\s*$")]
    pub industry_code: String,
    /// Date of establishment, YYYY-MM-DD, not in the future.
    #[schema(example = "1994-03-01", format = Date)]
    pub founded_on: String,
    /// Listing date; null while unlisted.
    #[serde(default)]
    #[schema(format = Date)]
    pub listed_on: Option<String>,
    /// `active` (default) or `deregistered`.
    #[serde(default)]
    #[schema(pattern = "^(active|deregistered)$")]
    pub status: Option<String>,
    /// No bad-credit record; null when unknown.
    #[serde(default)]
    pub credit_ok: Option<bool>,
    /// Recognised technology firm; null when unknown.
    #[serde(default)]
    pub tech_firm: Option<bool>,
    /// Key core-technology breakthrough; null when unknown.
    #[serde(default)]
    pub key_tech_breakthrough: Option<bool>,
    /// In the city's gazelle cultivation pool; null when unknown.
    #[serde(default)]
    pub in_gazelle_pool: Option<bool>,
    /// Core technology in the national key fields; null when unknown.
    #[serde(default)]
    pub in_key_tech_field: Option<bool>,
    /// Date of a serious safety, quality or environmental violation.
    #[serde(default)]
    #[schema(format = Date)]
    pub major_violation_on: Option<String>,
}

impl FirmInput {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self, ctx: ParseContext<'_>) -> Result<FirmProfile, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let uscc = errors.take(Uscc::parse(&self.uscc));
        let name = errors.take(clean_text("name", &self.name, MAX_NAME_CHARS));
        let name_en = match self.name_en.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors
                .take(clean_text("name_en", raw, MAX_NAME_CHARS))
                .map(Some),
        };
        let region_code = errors.take(RegionCode::parse(&self.region_code, ctx.catalog));
        let industry_code = errors.take(IndustryCode::parse(&self.industry_code));
        let founded_on = errors.take(parse_past_date("founded_on", &self.founded_on, ctx.today));
        let listed_on = optional_date(&mut errors, "listed_on", self.listed_on.as_deref(), ctx);
        let major_violation_on = optional_date(
            &mut errors,
            "major_violation_on",
            self.major_violation_on.as_deref(),
            ctx,
        );
        let status = match self.status.as_deref() {
            None => Some(FirmStatus::Active),
            Some(raw) => errors.take(FirmStatus::parse(raw)),
        };
        let (
            Some(uscc),
            Some(name),
            Some(name_en),
            Some(region_code),
            Some(industry_code),
            Some(founded_on),
            Some(listed_on),
            Some(major_violation_on),
            Some(status),
        ) = (
            uscc,
            name,
            name_en,
            region_code,
            industry_code,
            founded_on,
            listed_on,
            major_violation_on,
            status,
        )
        else {
            return Err(errors);
        };
        let profile = FirmProfile {
            uscc,
            name,
            name_en,
            region_code,
            industry_code,
            founded_on,
            listed_on,
            status,
            credit_ok: self.credit_ok,
            tech_firm: self.tech_firm,
            key_tech_breakthrough: self.key_tech_breakthrough,
            in_gazelle_pool: self.in_gazelle_pool,
            in_key_tech_field: self.in_key_tech_field,
            major_violation_on,
        };
        for e in profile.check_consistency() {
            errors.push(e);
        }
        errors.finish(|| profile)
    }

    /// The input that would register `profile` again; the base a patch is applied to.
    pub fn from_profile(profile: &FirmProfile) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        Self {
            uscc: profile.uscc.to_string(),
            name: profile.name.clone(),
            name_en: profile.name_en.clone(),
            region_code: profile.region_code.to_string(),
            industry_code: profile.industry_code.to_string(),
            founded_on: profile.founded_on.to_string(),
            listed_on: date(profile.listed_on),
            status: Some(profile.status.as_str().to_owned()),
            credit_ok: profile.credit_ok,
            tech_firm: profile.tech_firm,
            key_tech_breakthrough: profile.key_tech_breakthrough,
            in_gazelle_pool: profile.in_gazelle_pool,
            in_key_tech_field: profile.in_key_tech_field,
            major_violation_on: date(profile.major_violation_on),
        }
    }
}

fn optional_date(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    ctx: ParseContext<'_>,
) -> Option<Option<NaiveDate>> {
    match raw {
        None => Some(None),
        Some(raw) => errors
            .take(parse_past_date(field, raw, ctx.today))
            .map(Some),
    }
}

/// Distinguishes an absent field (keep) from an explicit `null` (clear).
pub(crate) fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A field that may be left out but, being required, cannot be cleared: `null` is refused
/// (422 naming the field) rather than read as "absent", which would silently keep the value.
fn not_null<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom(
            "may not be null: this field is required; leave it out to keep the stored value",
        )),
    }
}

/// `PATCH /firms/{id}`: only the fields present change; `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirmPatch {
    /// New USCC (a correction); must stay unique.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(
        nullable = false,
        pattern = "^\\s*[9９][1１][0-9０-９]{6}[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y０-９Ａ-ＨＪ-ＮＰ-ＲＴＵＷ-Ｙａ-ｈｊ-ｎｐ-ｒｔｕｗ-ｙ]{10}\\s*$"
    )]
    pub uscc: Option<String>,
    /// New Chinese name.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// New English name; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub name_en: Option<Option<String>>,
    /// New district.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    /// New industry.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, pattern = "^\\s*[A-Ta-t]([0-9]{2,4})?\\s*$")]
    pub industry_code: Option<String>,
    /// Corrected founding date.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, format = Date)]
    pub founded_on: Option<String>,
    /// Listing date; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub listed_on: Option<Option<String>>,
    /// `active` or `deregistered`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, pattern = "^(active|deregistered)$")]
    pub status: Option<String>,
    /// No bad-credit record; null = unknown.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub credit_ok: Option<Option<bool>>,
    /// Technology firm; null = unknown.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub tech_firm: Option<Option<bool>>,
    /// Key core-technology breakthrough; null = unknown.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub key_tech_breakthrough: Option<Option<bool>>,
    /// In the gazelle pool; null = unknown.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub in_gazelle_pool: Option<Option<bool>>,
    /// Core technology in the key fields; null = unknown.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub in_key_tech_field: Option<Option<bool>>,
    /// Serious violation date; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub major_violation_on: Option<Option<String>>,
}

impl FirmPatch {
    /// Applies the patch to the firm's current facts and checks the result as a whole.
    pub fn apply(
        &self,
        current: &FirmProfile,
        ctx: ParseContext<'_>,
    ) -> Result<FirmProfile, ValidationErrors> {
        let mut input = FirmInput::from_profile(current);
        let p = self.clone();
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = p.$field { input.$field = v; } )* };
        }
        macro_rules! set_some {
            ($($field:ident),*) => { $( if let Some(v) = p.$field { input.$field = Some(v); } )* };
        }
        set!(
            uscc,
            name,
            region_code,
            industry_code,
            founded_on,
            name_en,
            listed_on,
            credit_ok,
            tech_firm,
            key_tech_breakthrough,
            in_gazelle_pool,
            in_key_tech_field,
            major_violation_on
        );
        set_some!(status);
        input.parse(ctx)
    }

    /// Whether the patch names no field at all.
    pub fn is_empty(&self) -> bool {
        self.uscc.is_none()
            && self.name.is_none()
            && self.name_en.is_none()
            && self.region_code.is_none()
            && self.industry_code.is_none()
            && self.founded_on.is_none()
            && self.listed_on.is_none()
            && self.status.is_none()
            && self.credit_ok.is_none()
            && self.tech_firm.is_none()
            && self.key_tech_breakthrough.is_none()
            && self.in_gazelle_pool.is_none()
            && self.in_key_tech_field.is_none()
            && self.major_violation_on.is_none()
    }
}

/// Parses an optional date parameter (a query's `as_of`); an empty value means "not given",
/// as HTML forms and many clients send `as_of=` for an unset field.
pub fn parse_optional_date(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<NaiveDate>, FieldError> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| parse_date(field, r))
        .transpose()
}
