//! Multi-row inserts for bulk loading (demo data). The multi-backend connection cannot batch
//! insert, so this matches on the backend and uses each one's own multi-row `INSERT`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::certificates::CertificateRow;
use super::figures::YearRow;
use super::financings::FinancingRow;
use super::firms::FirmRow;
use super::schema::{annual_figures, certificates, financings, firms};
use crate::domain::{AnnualFigures, Certificate, FinancingRound, Firm};

/// Rows per statement: 18 firm columns × 1,000 stays under SQLite's 32,766 bound variables
/// and PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// Everything to insert in one go; ids are the owning firm's.
#[derive(Debug, Default)]
pub struct Population<'a> {
    /// New firms.
    pub firms: Vec<&'a Firm>,
    /// Figures by firm.
    pub years: Vec<(Uuid, &'a AnnualFigures)>,
    /// Rounds by firm, each with its own new id.
    pub financings: Vec<(Uuid, Uuid, &'a FinancingRound)>,
    /// Certificates by firm, each with its own new id.
    pub certificates: Vec<(Uuid, Uuid, &'a Certificate)>,
}

/// Page cache for a demo load on SQLite: 256 MiB. With the default (about 8 MiB) a large
/// uncommitted transaction spills pages to the WAL mid-way; keeping them in memory cut the
/// insert of 100,000 demo firms from 6.6 s to 4.8 s on the benchmark machine.
pub const DEMO_CACHE_KIB: i64 = 262_144;

/// Page cache for an import on SQLite: 128 MiB. An import must stay under 500 MB at a
/// million rows, and a full cache was half of that; with 64 MiB a million-row import took
/// about 15% longer.
pub const IMPORT_CACHE_KIB: i64 = 131_072;

/// Lets the connection keep a large transaction's pages in memory, up to `cache_kib` (SQLite
/// only; PostgreSQL manages its own buffers). Lasts for the connection's life, which is
/// harmless for a pool.
pub fn prepare_for_bulk(conn: &mut DbConnection, cache_kib: i64) -> StorageResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        diesel::sql_query(format!("PRAGMA cache_size = -{cache_kib}")).execute(c)?;
    }
    Ok(())
}

/// Refreshes PostgreSQL's planner statistics after a bulk insert, inside the transaction
/// (PostgreSQL counts the transaction's own new rows). Tables created empty keep statistics
/// that say "tiny", so the per-batch `firm_id = ANY(…)` lookups of the classification that
/// follows were planned as sequential scans: each of 50 batches read every figure row, and
/// classifying 100,000 demo firms took 85 s instead of a few. SQLite plans by index without
/// statistics.
pub fn analyze_after_bulk(conn: &mut DbConnection) -> StorageResult<()> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("ANALYZE firms, annual_figures, financings, certificates").execute(c)?;
    }
    Ok(())
}

/// Inserts the population with multi-row statements, inside the caller's transaction.
pub fn insert_population(
    conn: &mut DbConnection,
    population: &Population<'_>,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    let firm_rows: Vec<FirmRow> = population.firms.iter().map(|f| FirmRow::from(*f)).collect();
    insert_chunks!(conn, firms::table, firm_rows, ROWS_PER_INSERT);
    let year_rows: Vec<YearRow> = population
        .years
        .iter()
        .map(|(firm_id, y)| YearRow::new(*firm_id, y, at))
        .collect();
    insert_chunks!(conn, annual_figures::table, year_rows, ROWS_PER_INSERT);
    let round_rows: Vec<FinancingRow> = population
        .financings
        .iter()
        .map(|(firm_id, id, r)| FinancingRow::new(*id, *firm_id, r, at))
        .collect();
    insert_chunks!(conn, financings::table, round_rows, ROWS_PER_INSERT);
    let cert_rows: Vec<CertificateRow> = population
        .certificates
        .iter()
        .map(|(firm_id, id, c)| CertificateRow::new(*id, *firm_id, c, at))
        .collect();
    insert_chunks!(conn, certificates::table, cert_rows, ROWS_PER_INSERT);
    Ok(())
}

/// Firm ids by normalised USCC for those of `usccs` that are registered; one query per
/// thousand codes instead of one per code.
pub fn find_firm_ids_by_usccs(
    conn: &mut DbConnection,
    usccs: &[String],
) -> StorageResult<std::collections::HashMap<String, Uuid>> {
    let mut found = std::collections::HashMap::new();
    for chunk in usccs.chunks(ROWS_PER_INSERT) {
        let rows: Vec<(String, String)> = firms::table
            .filter(firms::uscc.eq_any(chunk))
            .select((firms::uscc, firms::id))
            .load(conn)?;
        for (uscc, id) in rows {
            found.insert(uscc, super::convert::parse_uuid(&id)?);
        }
    }
    Ok(found)
}

/// The stored USCC of each of `ids` that is registered; one query per thousand ids.
pub fn find_usccs_by_ids(
    conn: &mut DbConnection,
    ids: &[Uuid],
) -> StorageResult<std::collections::HashMap<Uuid, String>> {
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        let texts: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let rows: Vec<(String, String)> = firms::table
            .filter(firms::id.eq_any(&texts[..]))
            .select((firms::id, firms::uscc))
            .load(conn)?;
        for (id, uscc) in rows {
            found.insert(super::convert::parse_uuid(&id)?, uscc);
        }
    }
    Ok(found)
}

/// Whether any firm is registered (in the caller's transaction).
pub fn has_firms(conn: &mut DbConnection) -> StorageResult<bool> {
    let first: Option<String> = firms::table.select(firms::id).first(conn).optional()?;
    Ok(first.is_some())
}
