//! New firms in multi-row statements that SQLite prepares once per import.
//!
//! Diesel's batch insert has no static query id, so every 1,000-row statement rebuilt its
//! SQL text (18,000 placeholders), hashed it to find the prepared statement and walked the
//! rows twice more; at a million rows that was about a fifth of an import's time. Full
//! chunks here have a static id: the statement is prepared once and only the values are bound.

use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::DbConnection;
use super::firms::FirmRow;
use super::schema::firms;

/// Rows per statement: 18 columns × 1,000 stays under SQLite's 32,766 bound variables and
/// PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// Inserts new firm rows (see `FirmRow::from`) inside the caller's transaction.
pub fn insert_firm_rows(conn: &mut DbConnection, rows: &[FirmRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
            for chunk in &mut chunks {
                FirmValues::<true> { rows: chunk }.execute(c)?;
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                FirmValues::<false> { rows: rest }.execute(c)?;
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
}

/// The type-level id of a statement shape (full chunk or not).
struct FirmValuesId<const FULL: bool>;

impl<const FULL: bool> QueryId for FirmValues<'_, FULL> {
    type QueryId = FirmValuesId<FULL>;
    const HAS_STATIC_QUERY_ID: bool = FULL;
}

impl<const FULL: bool> RunQueryDsl<diesel::SqliteConnection> for FirmValues<'_, FULL> {}

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
        for (i, row) in self.rows.iter().enumerate() {
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
            out.push_bind_param::<Date, _>(&row.founded_on)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Date>, _>(&row.listed_on)?;
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
            out.push_bind_param::<Nullable<Date>, _>(&row.major_violation_on)?;
            out.push_sql(", ");
            out.push_bind_param::<BigInt, _>(&row.version)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(&row.created_at)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(&row.updated_at)?;
            out.push_sql(")");
        }
        Ok(())
    }
}
