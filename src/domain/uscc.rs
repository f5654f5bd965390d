//! 统一社会信用代码 (unified social credit code, GB 32100-2015).

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::FieldError;

/// The 31 characters a USCC is written in, in the order of their values 0–30.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights 3^(i-1) mod 31 for positions 1..=17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A well-formed enterprise USCC, stored in its normalised form (upper case, half-width).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

fn value_of(c: char) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|v| v as u32)
}

impl Uscc {
    /// Normalises (NFKC, trim, upper case) and checks length, alphabet, region digits, the
    /// enterprise prefix `91` and the check character.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let err = |code, msg: String| FieldError::new("uscc", code, msg);
        let normalised = normalise(raw);
        let count = normalised.chars().count();
        if count != 18 {
            return Err(err(
                "invalid_length",
                format!("must be 18 characters, got {count}"),
            ));
        }
        let mut chars = ['\0'; 18];
        for (slot, c) in chars.iter_mut().zip(normalised.chars()) {
            *slot = c;
        }
        let mut values = [0u32; 18];
        for (i, &c) in chars.iter().enumerate() {
            values[i] = value_of(c).ok_or_else(|| {
                err(
                    "invalid_character",
                    format!(
                        "character {} ({c:?}) is not allowed; a USCC uses digits and the letters ABCDEFGHJKLMNPQRTUWXY (never I, O, S, V or Z)",
                        i + 1
                    ),
                )
            })?;
        }
        if let Some(i) = (2..8).find(|&i| !chars[i].is_ascii_digit()) {
            return Err(err(
                "invalid_region",
                format!(
                    "characters 3–8 are the region code and must be digits; character {} is {:?}",
                    i + 1,
                    chars[i]
                ),
            ));
        }
        if chars[0] != '9' || chars[1] != '1' {
            return Err(err(
                "not_an_enterprise",
                "an enterprise's code starts with 91".to_owned(),
            ));
        }
        let sum: u32 = WEIGHTS.iter().zip(values.iter()).map(|(w, v)| w * v).sum();
        let expected = (31 - sum % 31) % 31;
        if values[17] != expected {
            return Err(err(
                "invalid_check_character",
                format!(
                    "the check character is {:?} but the first 17 characters give {:?}; please re-check the code",
                    chars[17], ALPHABET[expected as usize] as char
                ),
            ));
        }
        Ok(Self(normalised))
    }

    /// The normalised code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 3–8: the region of the authority that issued the code (frozen at issue).
    pub fn issuing_region(&self) -> &str {
        &self.0[2..8]
    }
}

/// NFKC, trimmed, upper case. ASCII text is already in NFKC form and upper-cases the same
/// way either way, so the common case (codes typed or exported in ASCII) skips the Unicode
/// tables: an import checks a million codes.
fn normalise(raw: &str) -> String {
    if raw.is_ascii() {
        raw.trim().to_ascii_uppercase()
    } else {
        raw.nfkc().collect::<String>().trim().to_uppercase()
    }
}

impl TryFrom<String> for Uscc {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Uscc> for String {
    fn from(value: Uscc) -> Self {
        value.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Result<String, &'static str> {
        Uscc::parse(raw).map(|u| u.0).map_err(|e| e.code)
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_shortcut_normalises_as_nfkc_does(raw in "[ -~\t\n\x0b\x0c\r]{0,24}") {
            let nfkc = raw.nfkc().collect::<String>().trim().to_uppercase();
            proptest::prop_assert_eq!(normalise(&raw), nfkc);
        }
    }

    #[test]
    fn the_standards_worked_example_is_valid() {
        assert_eq!(code("91350100M000100Y43"), Ok("91350100M000100Y43".into()));
    }

    #[test]
    fn real_changzhou_codes_are_accepted() {
        // 江苏上上电缆集团有限公司 (溧阳), the firm in DESIGN.md's example.
        assert_eq!(code("91320481703625269H"), Ok("91320481703625269H".into()));
    }

    #[test]
    fn lowercase_full_width_and_padded_forms_normalise_to_the_same_code() {
        for raw in [
            "91350100m000100y43",
            " 91350100M000100Y43\t",
            "９１３５０１００Ｍ０００１００Ｙ４３",
        ] {
            assert_eq!(code(raw), Ok("91350100M000100Y43".into()), "{raw:?}");
        }
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        assert_eq!(code("91350100M000100Y44"), Err("invalid_check_character"));
    }

    #[test]
    fn letters_that_never_occur_are_refused() {
        for c in ['I', 'O', 'S', 'V', 'Z'] {
            let raw = format!("91350100M00010{c}Y43");
            assert_eq!(code(&raw), Err("invalid_character"), "{raw}");
        }
    }

    #[test]
    fn letters_in_the_region_part_are_refused() {
        assert_eq!(code("9135A100M000100Y43"), Err("invalid_region"));
    }

    #[test]
    fn wrong_lengths_and_interior_or_invisible_characters_are_refused() {
        assert_eq!(code("91350100M000100Y4"), Err("invalid_length"));
        assert_eq!(code("91350100M000100Y433"), Err("invalid_length"));
        assert_eq!(code("91350100M 000100Y43"), Err("invalid_length"));
        assert_eq!(code("91350100M000100Y4\u{200B}3"), Err("invalid_length"));
        assert_eq!(code("9135010\u{200B}M000100Y43"), Err("invalid_character"));
    }

    #[test]
    fn non_enterprise_codes_are_refused() {
        // 12… is a public institution; the check character is recomputed so only the prefix is wrong.
        let body = "12350100M000100Y4";
        let sum: u32 = body
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| value_of(c).unwrap_or(0) * w)
            .sum();
        let check = ALPHABET[((31 - sum % 31) % 31) as usize] as char;
        assert_eq!(code(&format!("{body}{check}")), Err("not_an_enterprise"));
    }

    #[test]
    fn codes_issued_under_withdrawn_regions_are_accepted() {
        // 320405 (戚墅堰区) was withdrawn in 2015, but codes issued there stay valid.
        let body = "91320405MA1MXXXX0";
        let sum: u32 = body
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| value_of(c).unwrap_or(0) * w)
            .sum();
        let check = ALPHABET[((31 - sum % 31) % 31) as usize] as char;
        let uscc = Uscc::parse(&format!("{body}{check}")).expect("valid");
        assert_eq!(uscc.issuing_region(), "320405");
    }
}
