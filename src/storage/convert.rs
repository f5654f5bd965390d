//! Conversions between stored columns and domain values.

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

/// A row that does not parse was written by something other than this program.
pub fn corrupt(error: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("corrupt row: {error}").into())
}

/// Parses a stored UUID.
pub fn parse_uuid(text: &str) -> Result<Uuid, diesel::result::Error> {
    Uuid::parse_str(text).map_err(corrupt)
}

/// Stored timestamps are UTC without an offset.
pub fn to_utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// The stored form of a UTC instant.
pub fn from_utc(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}
