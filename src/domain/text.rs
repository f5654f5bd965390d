//! Free text from forms and JSON: what a name may contain.

use super::FieldError;

/// Whether `c` must never be stored in a name or label.
///
/// Control characters break CSV exports and PostgreSQL refuses NUL; bidirectional overrides and
/// zero-width characters let two different names look identical; U+FFFD means the text was
/// decoded badly upstream; noncharacters are not meant for interchange.
///
/// Line and paragraph separators (U+2028/2029) break lines like a newline; tag characters hide
/// text inside a name; filler characters (Hangul fillers such as U+3164, the braille blank, the
/// soft hyphen) render as nothing yet are not white space, so a "blank" name would pass; and
/// private-use characters mean nothing outside the system that typed them.
fn is_forbidden(c: char) -> bool {
    let cp = c as u32;
    c.is_control()
        || (0x202A..=0x202E).contains(&cp)
        || (0x2066..=0x2069).contains(&cp)
        || matches!(cp, 0x200B..=0x200F | 0x2060 | 0xFEFF | 0xFFFD | 0x061C)
        || matches!(cp, 0x2028 | 0x2029)
        || (0xE0000..=0xE007F).contains(&cp)
        || matches!(
            cp,
            0x115F | 0x1160 | 0x3164 | 0xFFA0 | 0x2800 | 0x00AD | 0x180E
        )
        || (0xE000..=0xF8FF).contains(&cp)
        || (0xF0000..=0x10FFFF).contains(&cp)
        || (0xFDD0..=0xFDEF).contains(&cp)
        || (cp & 0xFFFE) == 0xFFFE
}

/// Whether `c` is a variation selector (standard or ideographic).
fn is_variation_selector(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// The first combining mark or variation selector that has no character to attach to: at
/// the start, after white space, or (for a variation selector) after another mark.
fn lone_mark(value: &str) -> Option<char> {
    let mut previous: Option<char> = None;
    for c in value.chars() {
        let selector = is_variation_selector(c);
        if selector || unicode_normalization::char::is_combining_mark(c) {
            let attached = previous.is_some_and(|p| {
                !p.is_whitespace()
                    && !(selector
                        && (is_variation_selector(p)
                            || unicode_normalization::char::is_combining_mark(p)))
            });
            if !attached {
                return Some(c);
            }
        }
        previous = Some(c);
    }
    None
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
                "contains the character U+{:04X}, which is not allowed (control, invisible, filler, tag, private-use, line-separating or direction-changing characters)",
                bad as u32
            ),
        ));
    }
    if let Some(mark) = lone_mark(value) {
        return Err(FieldError::new(
            field,
            "forbidden_character",
            format!(
                "contains the combining character U+{:04X} with no letter before it",
                mark as u32
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
            "Vie\u{323}\u{302}t Ltd",
            "葛\u{E0100}城科技有限公司",
            "常州\u{FE0F}公司",
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
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{E0041}\u{E007F}b",
            "\u{3164}",
            "\u{3164}\u{3164}",
            "a\u{115F}b",
            "a\u{FFA0}b",
            "a\u{E000}b",
            "a\u{F8FF}b",
            "a\u{F0000}b",
            "\u{301}常州公司",
            "常州 \u{301}公司",
            "\u{FE0F}常州公司",
            "常州\u{FE0F}\u{FE0F}公司",
            "\u{E0100}",
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
