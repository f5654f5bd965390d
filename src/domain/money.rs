//! Amounts of money in whole currency units.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// The currencies financing rounds are quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Currency {
    /// Renminbi yuan.
    CNY,
    /// United States dollar.
    USD,
}

impl Currency {
    /// Parses the ISO 4217 code.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "CNY" => Ok(Self::CNY),
            "USD" => Ok(Self::USD),
            other => Err(FieldError::new(
                field,
                "unknown_currency",
                format!("must be CNY or USD, got {other:?}"),
            )),
        }
    }

    /// The ISO 4217 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CNY => "CNY",
            Self::USD => "USD",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-negative amount in whole units (yuan or dollars) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Whole units; never negative.
    pub value: i64,
    /// The currency of `value`.
    pub currency: Currency,
}

impl Money {
    /// Builds an amount, refusing negative values.
    pub fn new(field: &str, value: i64, currency: Currency) -> Result<Self, FieldError> {
        if value < 0 {
            return Err(FieldError::new(
                field,
                "negative",
                format!("must not be negative, got {value}"),
            ));
        }
        Ok(Self { value, currency })
    }
}

/// Checks that a whole-yuan or head-count figure is not negative.
pub fn non_negative(field: &str, value: i64) -> Result<i64, FieldError> {
    if value < 0 {
        Err(FieldError::new(
            field,
            "negative",
            format!("must not be negative, got {value}"),
        ))
    } else {
        Ok(value)
    }
}
