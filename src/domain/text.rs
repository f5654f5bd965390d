//! Free text from forms and JSON: what a name may contain.

use super::FieldError;

/// Whether `c` must never be stored in a name or label.
///
/// Control characters break CSV exports and PostgreSQL refuses NUL; bidirectional overrides and
/// zero-width characters let two different names look identical; U+FFFD means the text was
/// decoded badly upstream; noncharacters are not meant for interchange.
fn is_forbidden(c: char) -> bool {
    let cp = c as u32;
    c.is_control()
        || (0x202A..=0x202E).contains(&cp)
        || (0x2066..=0x2069).contains(&cp)
        || matches!(cp, 0x200B..=0x200F | 0x2060 | 0xFEFF | 0xFFFD | 0x061C)
        || (0xFDD0..=0xFDEF).contains(&cp)
        || (cp & 0xFFFE) == 0xFFFE
}

/// Trims surrounding white space (including the ideographic space) and checks the rest.
///
/// The text is otherwise kept exactly as typed: NFC and NFD forms and rare CJK characters
/// round-trip unchanged.
pub fn clean_text(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    // `trim` covers Unicode white space, so the ideographic space U+3000 goes too.
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if let Some(bad) = value.chars().find(|&c| is_forbidden(c)) {
        return Err(FieldError::new(
            field,
            "forbidden_character",
            format!(
                "contains the character U+{:04X}, which is not allowed (control, invisible or direction-changing characters)",
                bad as u32
            ),
        ));
    }
    let count = value.chars().count();
    if count > max_chars {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("is {count} characters long; at most {max_chars} are allowed"),
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_exactly_including_rare_and_decomposed_characters() {
        for name in [
            "江苏上上电缆集团有限公司",
            "𠀀𠀁科技有限公司",
            "Cafe\u{301} Ltd",
            "Café Ltd",
        ] {
            assert_eq!(clean_text("name", name, 200).as_deref(), Ok(name), "{name}");
        }
    }

    #[test]
    fn surrounding_white_space_is_trimmed() {
        assert_eq!(
            clean_text("name", "\u{3000} 常州公司 ", 200).as_deref(),
            Ok("常州公司")
        );
    }

    #[test]
    fn control_invisible_and_direction_characters_are_refused() {
        for bad in [
            "a\u{0}b",
            "a\nb",
            "a\rb",
            "a\u{85}b",
            "a\u{202E}b",
            "a\u{2066}b",
            "a\u{200B}b",
            "a\u{FEFF}b",
            "a\u{FFFD}b",
            "a\u{FDD0}b",
            "a\u{1FFFF}b",
        ] {
            let err = clean_text("name", bad, 200).expect_err(bad);
            assert_eq!(err.field, "name");
            assert_eq!(err.code, "forbidden_character", "{bad:?}");
        }
    }

    #[test]
    fn empty_and_overlong_text_is_refused() {
        assert_eq!(
            clean_text("name", "  ", 10).map_err(|e| e.code),
            Err("required")
        );
        let long = "字".repeat(11);
        assert_eq!(
            clean_text("name", &long, 10).map_err(|e| e.code),
            Err("too_long")
        );
    }
}
