//! Cell text to the values the wire inputs take. Empty is "not given", never zero or false.

use crate::domain::FieldError;

/// Empty → `None`; otherwise the text.
pub fn text(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// Empty → `None`; otherwise a whole number in ASCII digits (thousands separators allowed:
/// spreadsheets add them).
pub fn integer(field: &str, cell: &str) -> Result<Option<i64>, FieldError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let digits: String = cell.chars().filter(|&c| c != ',').collect();
    let plain = digits.strip_prefix('-').unwrap_or(&digits);
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "not_an_integer",
            format!("{cell:?} is not a whole number"),
        ));
    }
    digits
        .parse()
        .map(Some)
        .map_err(|_| FieldError::new(field, "out_of_range", format!("{cell:?} is too large")))
}

/// Empty → `None`; yes/no in the spellings staff use (true/false, 是/否, 1/0, yes/no, y/n).
pub fn boolean(field: &str, cell: &str) -> Result<Option<bool>, FieldError> {
    match cell.to_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "y" | "1" | "是" => Ok(Some(true)),
        "false" | "no" | "n" | "0" | "否" => Ok(Some(false)),
        _ => Err(FieldError::new(
            field,
            "not_a_boolean",
            format!("{cell:?} is not yes or no (use 是/否 or true/false)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_missing_not_zero() {
        assert_eq!(integer("revenue", ""), Ok(None));
        assert_eq!(boolean("credit_ok", ""), Ok(None));
        assert_eq!(integer("revenue", "12,000"), Ok(Some(12_000)));
        assert_eq!(boolean("credit_ok", "是"), Ok(Some(true)));
    }

    #[test]
    fn decimals_words_and_overflow_are_field_errors() {
        for bad in ["1.5", "abc", "1e9", "-", "99999999999999999999"] {
            assert!(integer("revenue", bad).is_err(), "{bad}");
        }
        assert!(boolean("credit_ok", "maybe").is_err());
    }
}
