//! New firms in multi-row statements that SQLite prepares once per import.
//!
//! Diesel's batch insert has no static query id, so every 1,000-row statement rebuilt its
//! SQL text (18,000 placeholders), hashed it to find the prepared statement and walked the
//! rows twice more; at a million rows that was about a fifth of an import's time. Full
//! chunks here have a static id: the statement is prepared once and only the values are bound.
//!
//! Dates and timestamps are bound as the text diesel would store for them (`%F` and
//! `%F %T%.f`), formatted here: diesel formats each through chrono's `strftime`, which parses
//! the format string again for every value (about 4% of an import), and an import's rows
//! share one or two timestamps, formatted once.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::sqlite::Sqlite;

use super::DbConnection;
use super::StorageResult;
use super::firms::FirmRow;
use super::schema::firms;

/// Rows per statement: 18 columns × 1,000 stays under SQLite's 32,766 bound variables and
/// PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// Inserts new firm rows (see `FirmRow::from`) inside the caller's transaction.
pub fn insert_firm_rows(conn: &mut DbConnection, rows: &[FirmRow]) -> StorageResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            let mut stamps = Stamps::default();
            let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
            for chunk in &mut chunks {
                let texts = RowTexts::of(chunk, &mut stamps);
                FirmValues::<true> {
                    rows: chunk,
                    texts: &texts,
                    stamps: &stamps.texts,
                }
                .execute(c)?;
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                let texts = RowTexts::of(rest, &mut stamps);
                FirmValues::<false> {
                    rows: rest,
                    texts: &texts,
                    stamps: &stamps.texts,
                }
                .execute(c)?;
            }
        }
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(firms::table).values(chunk).execute(c)?;
            }
        }
    }
    Ok(())
}

/// `INSERT INTO firms … VALUES (…), …` for `rows`. `FULL` holds exactly `ROWS_PER_INSERT`
/// rows, which lets its SQL be cached by type; a shorter last chunk is cached by its text.
struct FirmValues<'a, const FULL: bool> {
    rows: &'a [FirmRow],
    /// The rows' dates as stored, one per row.
    texts: &'a [RowTexts],
    /// Distinct timestamps as stored; `RowTexts` point into it.
    stamps: &'a [String],
}

/// One row's dates as SQLite stores them, and its timestamps' places in `Stamps`.
struct RowTexts {
    founded_on: String,
    listed_on: Option<String>,
    major_violation_on: Option<String>,
    created_at: usize,
    updated_at: usize,
}

impl RowTexts {
    fn of(rows: &[FirmRow], stamps: &mut Stamps) -> Vec<Self> {
        rows.iter()
            .map(|row| Self {
                founded_on: date_text(row.founded_on),
                listed_on: row.listed_on.map(date_text),
                major_violation_on: row.major_violation_on.map(date_text),
                created_at: stamps.index(row.created_at),
                updated_at: stamps.index(row.updated_at),
            })
            .collect()
    }
}

/// Timestamps formatted once each.
#[derive(Default)]
struct Stamps {
    values: Vec<NaiveDateTime>,
    texts: Vec<String>,
}

impl Stamps {
    fn index(&mut self, at: NaiveDateTime) -> usize {
        // Rows of one import share their timestamps, so the last one almost always matches;
        // a new one is formatted, as diesel would have.
        if let Some(i) = self.values.len().checked_sub(1)
            && self.values[i] == at
        {
            return i;
        }
        self.values.push(at);
        self.texts.push(at.format("%F %T%.f").to_string());
        self.values.len() - 1
    }
}

/// `date.format("%F")`, without parsing the format string for every date.
fn date_text(date: NaiveDate) -> String {
    use std::fmt::Write;
    if !(0..=9999).contains(&date.year()) {
        // chrono writes a sign and more digits out there; let it.
        return date.format("%F").to_string();
    }
    let mut text = String::with_capacity(10);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
    text
}

/// The type-level id of a statement shape (full chunk or not).
struct FirmValuesId<const FULL: bool>;

impl<const FULL: bool> QueryId for FirmValues<'_, FULL> {
    type QueryId = FirmValuesId<FULL>;
    const HAS_STATIC_QUERY_ID: bool = FULL;
}

impl<const FULL: bool> RunQueryDsl<diesel::SqliteConnection> for FirmValues<'_, FULL> {}

impl<'a, const FULL: bool> FirmValues<'a, FULL> {
    fn stamp(&self, i: usize) -> QueryResult<&'a String> {
        self.stamps.get(i).ok_or_else(|| {
            diesel::result::Error::QueryBuilderError("a timestamp was not formatted".into())
        })
    }
}

impl<const FULL: bool> QueryFragment<Sqlite> for FirmValues<'_, FULL> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        // A full chunk's SQL is cached under its type; a differently sized one must not be.
        if FULL && self.rows.len() != ROWS_PER_INSERT {
            return Err(diesel::result::Error::QueryBuilderError(
                "a full firm chunk must hold ROWS_PER_INSERT rows".into(),
            ));
        }
        out.push_sql(
            "INSERT INTO firms (id, uscc, name, name_en, region_code, industry_code, \
             founded_on, listed_on, status, credit_ok, tech_firm, key_tech_breakthrough, \
             in_gazelle_pool, in_key_tech_field, major_violation_on, version, created_at, \
             updated_at) VALUES ",
        );
        if self.texts.len() != self.rows.len() {
            return Err(diesel::result::Error::QueryBuilderError(
                "every firm row needs its date texts".into(),
            ));
        }
        for (i, (row, texts)) in self.rows.iter().zip(self.texts).enumerate() {
            out.push_sql(if i == 0 { "(" } else { ", (" });
            out.push_bind_param::<Text, _>(&row.id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.uscc)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.name)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&row.name_en)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.region_code)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.industry_code)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&texts.founded_on)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&texts.listed_on)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.status)?;
            for flag in [
                &row.credit_ok,
                &row.tech_firm,
                &row.key_tech_breakthrough,
                &row.in_gazelle_pool,
                &row.in_key_tech_field,
            ] {
                out.push_sql(", ");
                out.push_bind_param::<Nullable<Bool>, _>(flag)?;
            }
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&texts.major_violation_on)?;
            out.push_sql(", ");
            out.push_bind_param::<BigInt, _>(&row.version)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.stamp(texts.created_at)?)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.stamp(texts.updated_at)?)?;
            out.push_sql(")");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn dates_are_written_as_chrono_writes_them(days in -1_000_000i32..4_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).expect("in chrono's range");
            prop_assert_eq!(date_text(date), date.format("%F").to_string());
        }
    }

    #[test]
    fn a_repeated_timestamp_is_formatted_once() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 28)
            .and_then(|d| d.and_hms_micro_opt(1, 2, 3, 40_500))
            .expect("valid");
        let later = at + chrono::Duration::seconds(1);
        let mut stamps = Stamps::default();
        assert_eq!(stamps.index(at), 0);
        assert_eq!(stamps.index(at), 0);
        assert_eq!(stamps.index(later), 1);
        assert_eq!(stamps.index(at), 2, "only the last one is looked at");
        assert_eq!(
            stamps.texts,
            [
                "2026-11-28 01:02:03.040500",
                "2026-11-28 01:02:04.040500",
                "2026-11-28 01:02:03.040500"
            ]
        );
    }
}
