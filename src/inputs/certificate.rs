//! A certificate to record.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ParseContext;
use crate::domain::{
    Certificate, CertificateKind, FieldError, ValidationErrors, clean_text, parse_date,
    parse_past_date, three_years_less_a_day,
};

/// `POST /firms/{id}/certificates`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    /// `high_tech`.
    #[schema(example = "high_tech", pattern = "^high_tech$")]
    pub kind: String,
    /// The certificate number.
    #[schema(example = "GR202332001234", min_length = 1, max_length = 64)]
    pub number: String,
    /// First day of validity, not in the future.
    #[schema(example = "2023-12-08", format = Date)]
    pub issued_on: String,
    /// Last day of validity; defaults to three years after issue less one day.
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
}

impl CertificateInput {
    /// Checks every field and fills in the default expiry.
    pub fn parse(&self, ctx: ParseContext<'_>) -> Result<Certificate, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = errors.take(CertificateKind::parse(&self.kind));
        let number = errors.take(clean_text("number", &self.number, 64));
        let issued_on = errors.take(parse_past_date("issued_on", &self.issued_on, ctx.today));
        let expires_on = match (&self.expires_on, issued_on) {
            (Some(raw), _) => errors.take(parse_date("expires_on", raw)),
            (None, Some(issued)) => Some(three_years_less_a_day(issued)),
            (None, None) => None,
        };
        if let (Some(i), Some(e)) = (issued_on, expires_on)
            && e < i
        {
            errors.push(FieldError::new(
                "expires_on",
                "before_issue",
                format!("{e} is before the issue date {i}"),
            ));
        }
        match (kind, number, issued_on, expires_on) {
            (Some(kind), Some(number), Some(issued_on), Some(expires_on)) if errors.is_empty() => {
                Ok(Certificate {
                    id: None,
                    kind,
                    number,
                    issued_on,
                    expires_on,
                })
            }
            _ => Err(errors),
        }
    }
}
