//! What parsing wire input needs to know about the world.

use chrono::NaiveDate;

use crate::domain::{FieldError, RegionCatalog, ValidationErrors};

/// The city's districts and the current date (Asia/Shanghai), for checks such as "not in the
/// future" and "a district of the city".
#[derive(Debug, Clone, Copy)]
pub struct ParseContext<'a> {
    /// The configured city.
    pub catalog: &'a RegionCatalog,
    /// Today in Asia/Shanghai.
    pub today: NaiveDate,
}

/// Turns validator's per-field errors into ours, naming the field and the broken limit.
pub fn from_validator(errors: validator::ValidationErrors, prefix: &str) -> ValidationErrors {
    let mut out = ValidationErrors::default();
    for (field, errs) in errors.field_errors() {
        for err in errs {
            let message = err
                .message
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_else(|| describe(err));
            let name = if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}.{field}")
            };
            out.push(FieldError::new(name, "out_of_range", message));
        }
    }
    out
}

fn describe(err: &validator::ValidationError) -> String {
    let param = |k: &str| err.params.get(k).map(ToString::to_string);
    match (param("min"), param("max")) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}, got {}", value(err)),
        (Some(min), None) => format!("must be at least {min}, got {}", value(err)),
        (None, Some(max)) => format!("must be at most {max}, got {}", value(err)),
        (None, None) => format!("is invalid ({})", err.code),
    }
}

fn value(err: &validator::ValidationError) -> String {
    err.params
        .get("value")
        .map(ToString::to_string)
        .unwrap_or_default()
}
