//! GB/T 2260 administrative division codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// Province-level prefixes in GB/T 2260 (mainland, Taiwan, Hong Kong, Macao).
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// The city the registry serves and its current districts, from configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionCatalog {
    /// The city's own six-digit code (`320400` for 常州市).
    pub city_code: String,
    /// The city's name.
    pub city_name: String,
    /// Current district-level codes and names.
    pub districts: Vec<District>,
    /// Codes withdrawn from GB/T 2260 that may still appear inside old USCCs.
    #[serde(default)]
    pub withdrawn: Vec<String>,
}

/// One district-level division of the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// Six-digit code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name, for the English interface.
    #[serde(default)]
    pub name_en: String,
}

impl RegionCatalog {
    /// Changzhou (常州), the default city.
    pub fn changzhou() -> Self {
        let d = |code: &str, name: &str, name_en: &str| District {
            code: code.into(),
            name: name.into(),
            name_en: name_en.into(),
        };
        Self {
            city_code: "320400".into(),
            city_name: "常州市".into(),
            districts: vec![
                d("320402", "天宁区", "Tianning"),
                d("320404", "钟楼区", "Zhonglou"),
                d("320411", "新北区", "Xinbei"),
                d("320412", "武进区", "Wujin"),
                d("320413", "金坛区", "Jintan"),
                d("320481", "溧阳市", "Liyang"),
            ],
            withdrawn: vec!["320405".into(), "320482".into()],
        }
    }

    /// The first four digits shared by every code inside the city.
    pub fn city_prefix(&self) -> &str {
        self.city_code.get(..4).unwrap_or(&self.city_code)
    }

    /// Whether `code` lies inside the city.
    pub fn contains(&self, code: &RegionCode) -> bool {
        code.as_str().starts_with(self.city_prefix())
    }

    /// The district's Chinese name, if the code is one of the city's.
    pub fn name_of(&self, code: &str) -> Option<&str> {
        if code == self.city_code {
            return Some(&self.city_name);
        }
        self.districts
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.as_str())
    }
}

/// A firm's current registration region: six digits, and for the configured city one of its
/// current districts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegionCode(String);

impl RegionCode {
    /// Checks the shape, the province, and, inside the configured city, that the code is a
    /// current district (a withdrawn code such as 320405 is refused for a firm's present seat).
    pub fn parse(raw: &str, catalog: &RegionCatalog) -> Result<Self, FieldError> {
        let err = |code, msg: String| FieldError::new("region_code", code, msg);
        let value = raw.trim();
        if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                "invalid_format",
                format!("must be a six-digit GB/T 2260 code, got {value:?}"),
            ));
        }
        let province: u8 = value[..2].parse().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(err(
                "unknown_region",
                format!("{value} does not start with a province code"),
            ));
        }
        if value.starts_with(catalog.city_prefix()) && value != catalog.city_code {
            if catalog.withdrawn.iter().any(|w| w == value) {
                return Err(err(
                    "withdrawn_region",
                    format!(
                        "{value} was withdrawn from GB/T 2260; use the firm's current district"
                    ),
                ));
            }
            if catalog.name_of(value).is_none() {
                let known: Vec<String> = catalog
                    .districts
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.name))
                    .collect();
                return Err(err(
                    "unknown_region",
                    format!(
                        "{value} is not a district of {}; expected one of {}",
                        catalog.city_name,
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(Self(value.to_owned()))
    }

    /// Wraps a code read back from storage, where it was checked on the way in.
    pub fn from_trusted(value: String) -> Self {
        Self(value)
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<String, &'static str> {
        RegionCode::parse(raw, &RegionCatalog::changzhou())
            .map(|r| r.0)
            .map_err(|e| e.code)
    }

    #[test]
    fn current_changzhou_districts_are_accepted() {
        for code in [
            "320400", "320402", "320404", "320411", "320412", "320413", "320481",
        ] {
            assert_eq!(parse(code), Ok(code.to_owned()), "{code}");
        }
    }

    #[test]
    fn withdrawn_districts_are_refused_as_a_current_seat() {
        assert_eq!(parse("320405"), Err("withdrawn_region"));
        assert_eq!(parse("320482"), Err("withdrawn_region"));
    }

    #[test]
    fn codes_inside_the_city_that_do_not_exist_are_refused() {
        assert_eq!(parse("320499"), Err("unknown_region"));
    }

    #[test]
    fn codes_of_other_cities_are_accepted() {
        assert_eq!(parse("320106"), Ok("320106".into()));
    }

    #[test]
    fn malformed_codes_are_refused() {
        for raw in ["32040", "3204011", "32O402", "", "990000"] {
            assert!(parse(raw).is_err(), "{raw}");
        }
    }
}
