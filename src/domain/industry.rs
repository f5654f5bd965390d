//! GB/T 4754-2017 industry classification codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// Each section letter with its first and last two-digit division and its Chinese name.
const SECTIONS: &[(char, u8, u8, &str)] = &[
    ('A', 1, 5, "农、林、牧、渔业"),
    ('B', 6, 12, "采矿业"),
    ('C', 13, 43, "制造业"),
    ('D', 44, 46, "电力、热力、燃气及水生产和供应业"),
    ('E', 47, 50, "建筑业"),
    ('F', 51, 52, "批发和零售业"),
    ('G', 53, 60, "交通运输、仓储和邮政业"),
    ('H', 61, 62, "住宿和餐饮业"),
    ('I', 63, 65, "信息传输、软件和信息技术服务业"),
    ('J', 66, 69, "金融业"),
    ('K', 70, 70, "房地产业"),
    ('L', 71, 72, "租赁和商务服务业"),
    ('M', 73, 75, "科学研究和技术服务业"),
    ('N', 76, 79, "水利、环境和公共设施管理业"),
    ('O', 80, 82, "居民服务、修理和其他服务业"),
    ('P', 83, 83, "教育"),
    ('Q', 84, 85, "卫生和社会工作"),
    ('R', 86, 90, "文化、体育和娱乐业"),
    ('S', 91, 96, "公共管理、社会保障和社会组织"),
    ('T', 97, 97, "国际组织"),
];

/// A section letter with an optional division (2 digits), group (3) or class (4) inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndustryCode(String);

impl IndustryCode {
    /// Parses `C`, `C38`, `C383` or `C3831`; the digits must fall inside the section's range.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let err = |code, msg: String| FieldError::new("industry_code", code, msg);
        let value = raw.trim().to_ascii_uppercase();
        let mut chars = value.chars();
        let letter = chars.next().unwrap_or(' ');
        let digits = chars.as_str();
        let Some(&(_, first, last, name)) = SECTIONS.iter().find(|s| s.0 == letter) else {
            return Err(err(
                "invalid_format",
                format!("must start with a GB/T 4754 section letter A–T, got {value:?}"),
            ));
        };
        if digits.is_empty() {
            return Ok(Self(value));
        }
        if !(2..=4).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                "invalid_format",
                format!("after the section letter come 2 to 4 digits, got {value:?}"),
            ));
        }
        let division: u8 = digits[..2].parse().unwrap_or(0);
        if division < first || division > last {
            return Err(err(
                "division_outside_section",
                format!(
                    "division {division:02} is not in section {letter} ({name}, divisions {first:02}–{last:02})"
                ),
            ));
        }
        Ok(Self(value))
    }

    /// Wraps a code read back from storage, where it was checked on the way in.
    pub fn from_trusted(value: String) -> Self {
        Self(value)
    }

    /// The code as written (`C38`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The section letter (`C`).
    pub fn section(&self) -> &str {
        &self.0[..1]
    }

    /// The Chinese name of a section letter.
    pub fn section_name(letter: &str) -> Option<&'static str> {
        SECTIONS
            .iter()
            .find(|s| letter.starts_with(s.0))
            .map(|s| s.3)
    }
}

impl fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<String, &'static str> {
        IndustryCode::parse(raw).map(|c| c.0).map_err(|e| e.code)
    }

    #[test]
    fn sections_divisions_groups_and_classes_are_accepted() {
        for code in ["C", "C38", "C383", "C3831", "I65", "K70", "A01", "T97"] {
            assert_eq!(parse(code), Ok(code.to_owned()), "{code}");
        }
        assert_eq!(parse(" c38 "), Ok("C38".into()));
    }

    #[test]
    fn divisions_outside_their_section_are_refused() {
        assert_eq!(parse("C01"), Err("division_outside_section"));
        assert_eq!(parse("I66"), Err("division_outside_section"));
        assert_eq!(parse("A00"), Err("division_outside_section"));
    }

    #[test]
    fn malformed_codes_are_refused() {
        for raw in ["", "38", "U01", "C3", "C38311", "C3X"] {
            assert!(parse(raw).is_err(), "{raw}");
        }
    }
}
