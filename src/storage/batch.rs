//! Loading many firms' dossiers at once for population-wide passes: five queries per batch
//! instead of five per firm.
//!
//! A pass over every firm (`load_batch`) reads each table once, in firm-id order: each batch
//! asks for the facts of an id *range* (`firm_id > after AND firm_id <= last`), which every
//! table answers with one ordered scan of its firm-id index, rather than a list of 2,000 ids
//! looked up one by one. The rows come back grouped by firm in the firms' order, so they
//! are handed out by walking the lists side by side, with no per-firm map.

use std::iter::Peekable;

use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::certificates::CertificateRow;
use super::figures::YearFactsRow;
use super::financings::FinancingRow;
use super::firms::FirmRow;
use super::ledger::CurrentTierRow;
use super::schema::{annual_figures, certificates, current_tiers, financings, firms};
use crate::domain::{Certificate, CertificateKind, Dossier, Firm};

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

/// Which firms' facts a batch reads.
enum Scope<'a> {
    /// Every firm with an id after `after` (if any) up to `last`, inclusive.
    Range { after: Option<String>, last: String },
    /// These ids.
    Ids(&'a [String]),
}

/// Applies a scope to a boxed query over a table with a `firm_id` column.
macro_rules! within {
    ($query:expr, $column:expr, $scope:expr) => {
        match $scope {
            Scope::Range { after, last } => {
                let query = $query.filter($column.le(last.clone()));
                match after {
                    Some(after) => query.filter($column.gt(after.clone())),
                    None => query,
                }
            }
            Scope::Ids(ids) => $query.filter($column.eq_any(*ids)),
        }
    };
}

/// The next `limit` firms after `after` in id order, each with its dossier and current tiers.
pub fn load_batch(
    conn: &mut DbConnection,
    after: Option<Uuid>,
    limit: i64,
) -> StorageResult<Vec<FirmForClassification>> {
    load_batch_rows(conn, after, limit)?.assemble()
}

/// The rows of a batch as read, not yet joined into dossiers: a pass reads the next batch
/// on the connection's thread while another thread joins and classifies this one.
pub struct BatchRows {
    firms: Vec<FirmRow>,
    facts: FactRows,
}

struct FactRows {
    years: Vec<YearFactsRow>,
    rounds: Vec<FinancingRow>,
    certs: Vec<CertificateRow>,
    current: Vec<CurrentTierRow>,
}

impl BatchRows {
    /// How many firms the batch holds.
    pub fn len(&self) -> usize {
        self.firms.len()
    }

    /// Whether the batch holds no firm (the pass is over).
    pub fn is_empty(&self) -> bool {
        self.firms.is_empty()
    }

    /// The id of the batch's last firm: the next batch starts after it.
    pub fn last_id(&self) -> StorageResult<Option<Uuid>> {
        self.firms
            .last()
            .map(|row| super::convert::parse_uuid(&row.id))
            .transpose()
            .map_err(Into::into)
    }

    /// Joins the rows into one dossier per firm, in id order.
    pub fn assemble(self) -> StorageResult<Vec<FirmForClassification>> {
        join(self.firms, self.facts)
    }
}

/// The rows of the next `limit` firms after `after` in id order and of their facts and
/// current tiers.
pub fn load_batch_rows(
    conn: &mut DbConnection,
    after: Option<Uuid>,
    limit: i64,
) -> StorageResult<BatchRows> {
    let after = after.map(|id| id.to_string());
    let mut query = firms::table.select(FirmRow::as_select()).into_boxed();
    if let Some(after) = &after {
        query = query.filter(firms::id.gt(after.clone()));
    }
    let firms: Vec<FirmRow> = query.order(firms::id.asc()).limit(limit).load(conn)?;
    let Some(last) = firms.last().map(|r| r.id.clone()) else {
        return Ok(BatchRows {
            firms,
            facts: FactRows::none(),
        });
    };
    let facts = FactRows::load(conn, &Scope::Range { after, last }, true)?;
    Ok(BatchRows { firms, facts })
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
    assemble(conn, rows, &Scope::Ids(&ids), with_tiers)
}

/// Joins `rows` (in id order) with their facts read over `scope`, each list ordered by firm.
fn assemble(
    conn: &mut DbConnection,
    rows: Vec<FirmRow>,
    scope: &Scope<'_>,
    with_tiers: bool,
) -> StorageResult<Vec<FirmForClassification>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let facts = FactRows::load(conn, scope, with_tiers)?;
    join(rows, facts)
}

impl FactRows {
    fn none() -> Self {
        Self {
            years: Vec::new(),
            rounds: Vec::new(),
            certs: Vec::new(),
            current: Vec::new(),
        }
    }

    fn load(conn: &mut DbConnection, scope: &Scope<'_>, with_tiers: bool) -> StorageResult<Self> {
        Ok(Self {
            years: years_in(conn, scope)?,
            rounds: rounds_in(conn, scope)?,
            certs: certificates_in(conn, scope)?,
            current: if with_tiers {
                tiers_in(conn, scope)?
            } else {
                Vec::new()
            },
        })
    }
}

/// Hands each firm (in id order) the leading rows of every list that are its own.
fn join(rows: Vec<FirmRow>, facts: FactRows) -> StorageResult<Vec<FirmForClassification>> {
    let mut years = facts.years.into_iter().peekable();
    let mut rounds = facts.rounds.into_iter().peekable();
    let mut certs = facts.certs.into_iter().peekable();
    let mut current = facts.current.into_iter().peekable();
    rows.into_iter()
        .map(|row| {
            let id = row.id.clone();
            let firm = Firm::try_from(row)?;
            Ok(FirmForClassification {
                dossier: Dossier {
                    firm: firm.profile.clone(),
                    years: take_firm(&mut years, &id, |r| &r.firm_id, |r| Ok(r.into()))?,
                    financings: take_firm(
                        &mut rounds,
                        &id,
                        |r| &r.firm_id,
                        |r| Ok(r.into_domain()?.0),
                    )?,
                    certificates: take_firm(&mut certs, &id, |r| &r.firm_id, certificate)?,
                },
                current: take_firm(&mut current, &id, |r| &r.firm_id, Ok)?,
                firm,
            })
        })
        .collect()
}

/// Takes the leading rows of `rows` that belong to firm `id`. Every list is ordered by firm
/// id like the firms, so rows of firms before `id` cannot be left over (a row whose firm is
/// not in the batch could only come from a firm deleted meanwhile, in another
/// transaction: skipped).
fn take_firm<R, T>(
    rows: &mut Peekable<std::vec::IntoIter<R>>,
    id: &str,
    firm_of: impl Fn(&R) -> &str,
    convert: impl Fn(R) -> StorageResult<T>,
) -> StorageResult<Vec<T>> {
    while rows.next_if(|r| firm_of(r) < id).is_some() {}
    let mut taken = Vec::new();
    while let Some(row) = rows.next_if(|r| firm_of(r) == id) {
        taken.push(convert(row)?);
    }
    Ok(taken)
}

fn years_in(conn: &mut DbConnection, scope: &Scope<'_>) -> StorageResult<Vec<YearFactsRow>> {
    let query = annual_figures::table
        .select(YearFactsRow::as_select())
        .into_boxed();
    Ok(within!(query, annual_figures::firm_id, scope)
        .order((
            annual_figures::firm_id.asc(),
            annual_figures::fiscal_year.asc(),
        ))
        .load(conn)?)
}

fn rounds_in(conn: &mut DbConnection, scope: &Scope<'_>) -> StorageResult<Vec<FinancingRow>> {
    let query = financings::table
        .select(FinancingRow::as_select())
        // Withdrawn rounds and certificates stay stored but no longer count.
        .filter(financings::withdrawn_at.is_null())
        .into_boxed();
    Ok(within!(query, financings::firm_id, scope)
        .order((
            financings::firm_id.asc(),
            financings::closed_on.asc(),
            financings::id.asc(),
        ))
        .load(conn)?)
}

fn certificates_in(
    conn: &mut DbConnection,
    scope: &Scope<'_>,
) -> StorageResult<Vec<CertificateRow>> {
    let query = certificates::table
        .select(CertificateRow::as_select())
        .filter(certificates::withdrawn_at.is_null())
        .into_boxed();
    // The order one firm's certificates are listed in (`list_certificates`).
    Ok(within!(query, certificates::firm_id, scope)
        .order((
            certificates::firm_id.asc(),
            certificates::issued_on.asc(),
            certificates::id.asc(),
        ))
        .load(conn)?)
}

fn certificate(row: CertificateRow) -> StorageResult<Certificate> {
    Ok(Certificate {
        id: None,
        kind: CertificateKind::parse(&row.kind).map_err(super::convert::corrupt)?,
        number: row.number,
        issued_on: row.issued_on,
        expires_on: row.expires_on,
    })
}

fn tiers_in(conn: &mut DbConnection, scope: &Scope<'_>) -> StorageResult<Vec<CurrentTierRow>> {
    let query = current_tiers::table
        .select(CurrentTierRow::as_select())
        .into_boxed();
    Ok(within!(query, current_tiers::firm_id, scope)
        .order((current_tiers::firm_id.asc(), current_tiers::track.asc()))
        .load(conn)?)
}
