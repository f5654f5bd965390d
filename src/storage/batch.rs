//! Loading many firms' dossiers at once for population-wide passes: four queries per batch
//! instead of four per firm.

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::certificates::CertificateRow;
use super::figures::YearRow;
use super::financings::FinancingRow;
use super::firms::FirmRow;
use super::ledger::CurrentTierRow;
use super::schema::{annual_figures, certificates, current_tiers, financings, firms};
use crate::domain::{AnnualFigures, Certificate, CertificateKind, Dossier, FinancingRound, Firm};

/// One firm ready to be classified: its facts and the tiers it holds now.
#[derive(Debug, Clone)]
pub struct FirmForClassification {
    /// The stored firm.
    pub firm: Firm,
    /// Its facts for the rules.
    pub dossier: Dossier,
    /// Its current tiers.
    pub current: Vec<CurrentTierRow>,
}

/// The next `limit` firms after `after` in id order, each with its dossier and current tiers.
pub fn load_batch(
    conn: &mut DbConnection,
    after: Option<Uuid>,
    limit: i64,
) -> StorageResult<Vec<FirmForClassification>> {
    let mut query = firms::table.select(FirmRow::as_select()).into_boxed();
    if let Some(after) = after {
        query = query.filter(firms::id.gt(after.to_string()));
    }
    let rows: Vec<FirmRow> = query.order(firms::id.asc()).limit(limit).load(conn)?;
    assemble(conn, rows, true)
}

/// The firms with these ids (at most a few thousand: one SQL parameter each), in id order,
/// each with its dossier and, if `with_tiers`, its current tiers. Firms inserted in the
/// caller's transaction hold none: skipping the query matters on PostgreSQL, where the
/// table's statistics still say "empty" mid-transaction and the lookup was planned as a
/// sequential scan per batch (most of a 100,000-firm demo load's classification time).
pub fn load_firms(
    conn: &mut DbConnection,
    ids: &[Uuid],
    with_tiers: bool,
) -> StorageResult<Vec<FirmForClassification>> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let rows: Vec<FirmRow> = firms::table
        .filter(firms::id.eq_any(&ids))
        .order(firms::id.asc())
        .select(FirmRow::as_select())
        .load(conn)?;
    assemble(conn, rows, with_tiers)
}

/// Per firm id, the values of one query over all the batch's firms.
type ById<T> = HashMap<String, Vec<T>>;

fn assemble(
    conn: &mut DbConnection,
    rows: Vec<FirmRow>,
    with_tiers: bool,
) -> StorageResult<Vec<FirmForClassification>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut years = years_of(conn, &ids)?;
    let mut rounds = rounds_of(conn, &ids)?;
    let mut certs = certificates_of(conn, &ids)?;
    let mut current = if with_tiers {
        tiers_of(conn, &ids)?
    } else {
        HashMap::new()
    };
    rows.into_iter()
        .map(|row| {
            let id = row.id.clone();
            let firm = Firm::try_from(row)?;
            Ok(FirmForClassification {
                dossier: Dossier {
                    firm: firm.profile.clone(),
                    years: years.remove(&id).unwrap_or_default(),
                    financings: rounds.remove(&id).unwrap_or_default(),
                    certificates: certs.remove(&id).unwrap_or_default(),
                },
                current: current.remove(&id).unwrap_or_default(),
                firm,
            })
        })
        .collect()
}

fn years_of(conn: &mut DbConnection, ids: &[String]) -> StorageResult<ById<AnnualFigures>> {
    let mut years: ById<AnnualFigures> = HashMap::new();
    for row in annual_figures::table
        .filter(annual_figures::firm_id.eq_any(ids))
        .select(YearRow::as_select())
        .load(conn)?
    {
        years
            .entry(row.firm_id.clone())
            .or_default()
            .push(row.into());
    }
    Ok(years)
}

fn rounds_of(conn: &mut DbConnection, ids: &[String]) -> StorageResult<ById<FinancingRound>> {
    let mut rounds: ById<FinancingRound> = HashMap::new();
    for row in financings::table
        .filter(financings::firm_id.eq_any(ids))
        // Withdrawn rounds and certificates stay stored but no longer count.
        .filter(financings::withdrawn_at.is_null())
        .order((financings::closed_on.asc(), financings::id.asc()))
        .select(FinancingRow::as_select())
        .load(conn)?
    {
        let firm_id = row.firm_id.clone();
        rounds
            .entry(firm_id)
            .or_default()
            .push(row.into_domain()?.0);
    }
    Ok(rounds)
}

fn certificates_of(conn: &mut DbConnection, ids: &[String]) -> StorageResult<ById<Certificate>> {
    let mut certs: ById<Certificate> = HashMap::new();
    for row in certificates::table
        .filter(certificates::firm_id.eq_any(ids))
        .filter(certificates::withdrawn_at.is_null())
        .select(CertificateRow::as_select())
        .load(conn)?
    {
        certs
            .entry(row.firm_id.clone())
            .or_default()
            .push(Certificate {
                id: None,
                kind: CertificateKind::parse(&row.kind).map_err(super::convert::corrupt)?,
                number: row.number,
                issued_on: row.issued_on,
                expires_on: row.expires_on,
            });
    }
    Ok(certs)
}

fn tiers_of(conn: &mut DbConnection, ids: &[String]) -> StorageResult<ById<CurrentTierRow>> {
    let mut current: ById<CurrentTierRow> = HashMap::new();
    for row in current_tiers::table
        .filter(current_tiers::firm_id.eq_any(ids))
        .select(CurrentTierRow::as_select())
        .load(conn)?
    {
        current.entry(row.firm_id.clone()).or_default().push(row);
    }
    Ok(current)
}
