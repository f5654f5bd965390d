//! Message catalogues: every label the staff pages show, in Chinese and English, embedded in
//! the binary so a page never shows a missing file.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A language the pages are offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language a `lang` cookie or parameter names; anything else is Chinese.
    pub fn from_tag(tag: &str) -> Self {
        match tag.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Self::En,
            _ => Self::Zh,
        }
    }

    /// The BCP 47 tag for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    /// The catalogue of this language.
    pub fn catalog(self) -> &'static Catalog {
        match self {
            Self::Zh => &ZH,
            Self::En => &EN,
        }
    }
}

/// Flat `key → text` map (`nav.firms → 企业`).
#[derive(Debug, Default)]
pub struct Catalog(HashMap<String, String>);

/// The catalogue sources, for the tests that compare them.
pub const SOURCES: [(&str, &str); 2] = [
    ("zh-CN", include_str!("zh-CN.toml")),
    ("en", include_str!("en.toml")),
];

static ZH: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(SOURCES[0].1).unwrap_or_default());
static EN: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(SOURCES[1].1).unwrap_or_default());

impl Catalog {
    /// Reads a TOML catalogue; nested tables become dotted keys.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        let table: toml::Table = toml::from_str(text)?;
        let mut map = HashMap::new();
        flatten("", &table, &mut map);
        Ok(Self(map))
    }

    /// The text for `key`; the key itself when missing, so a gap shows rather than breaks a
    /// page (a unit test keeps the catalogues complete).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The text for `key`, if the catalogue has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests;
