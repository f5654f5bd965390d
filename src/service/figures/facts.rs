//! Annual figures, financing rounds and certificates of a firm.

use chrono::Datelike;
use uuid::Uuid;

use super::Figures;
use crate::domain::Cause;
use crate::domain::{AnnualFigures, Certificate, FinancingRound, Firm, Recorded};
use crate::inputs::{CertificateInput, FinancingInput, YearInput};
use crate::service::error::ServiceError;
use crate::service::firms::Precondition;
use crate::service::idempotency::{Created, Idempotency, Once, create_once, once_per_key};
use crate::service::plausibility::check_round;
use crate::storage::{self, DbConnection};

fn firm_or_404(conn: &mut DbConnection, id: Uuid) -> Result<Firm, ServiceError> {
    storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))
}

/// Locks the firm for the rest of the write transaction and reads it.
fn lock_firm_or_404(conn: &mut DbConnection, id: Uuid) -> Result<Firm, ServiceError> {
    if !storage::lock_firm(conn, id)? {
        return Err(ServiceError::NotFound("firm"));
    }
    firm_or_404(conn, id)
}

/// What a year's writer says it read: `If-Match` (a version, `*` or nothing) and whether it
/// sent `If-None-Match: *` (create only, never replace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearPrecondition {
    /// `If-Match`: needed to replace a stored year.
    pub if_match: Precondition,
    /// `If-None-Match: *`: the year must not be stored yet.
    pub create_only: bool,
}

impl YearPrecondition {
    /// Checks the stored version (`None`: the year is new). A new year needs nothing; a
    /// stored one needs the version read.
    fn check(&self, stored: Option<i64>) -> Result<(), ServiceError> {
        match stored {
            Some(current) if self.create_only => Err(ServiceError::PreconditionFailed { current }),
            Some(current) => self.if_match.check(current),
            // If-Match names a version of a year that does not exist (RFC 9110 §13.1.1).
            None if self.if_match != Precondition::Missing => {
                Err(ServiceError::PreconditionFailed { current: 0 })
            }
            None => Ok(()),
        }
    }
}

/// A year as written: its figures, its new version and whether it was new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedYear {
    /// The figures stored.
    pub year: AnnualFigures,
    /// The version now stored (the ETag).
    pub version: i64,
    /// The year was not stored before.
    pub created: bool,
}

impl Figures<'_> {
    /// Replaces (or creates) one fiscal year of figures, if the stored year is still the
    /// version the writer read.
    pub fn put_year(
        &self,
        firm_id: Uuid,
        fiscal_year: i32,
        input: &YearInput,
        precondition: &YearPrecondition,
        actor: &str,
    ) -> Result<SavedYear, ServiceError> {
        match self.put_year_once(firm_id, fiscal_year, input, precondition, actor, None)? {
            Once::New(saved) => Ok(saved),
            // Without a key nothing is replayed.
            Once::Replayed(_) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "a year saved without a key was replayed"
            ))),
        }
    }

    /// [`Figures::put_year`] at most once per key (a page form's key): a resubmission is
    /// answered with the fiscal year the first one saved, before any version is checked.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, fiscal_year))]
    pub fn put_year_once(
        &self,
        firm_id: Uuid,
        fiscal_year: i32,
        input: &YearInput,
        precondition: &YearPrecondition,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Once<SavedYear>, ServiceError> {
        let ctx = self.registry.parse_context();
        let now = self.registry.clock().now();
        once_per_key(self.registry, idempotency, |conn| {
            // The firm's lock also serialises writers of its years.
            let firm = lock_firm_or_404(conn, firm_id)?;
            precondition.check(storage::year_version(conn, firm_id, fiscal_year)?)?;
            let year = input.parse(Some(fiscal_year), Some(firm.profile.founded_on.year()), ctx)?;
            let created = storage::put_year(conn, firm_id, &year, now)?;
            let version = storage::year_version(conn, firm_id, fiscal_year)?
                .ok_or(ServiceError::NotFound("year"))?;
            self.registry
                .reclassify_in(conn, firm_id, Cause::FiguresChanged, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "figures.saved",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({"fiscal_year": fiscal_year, "created": created, "version": version}),
            )?;
            let saved = SavedYear {
                year,
                version,
                created,
            };
            Ok((fiscal_year.to_string(), saved))
        })
    }

    /// The firm's years, oldest first.
    pub fn list_years(&self, firm_id: Uuid) -> Result<Vec<AnnualFigures>, ServiceError> {
        let mut conn = self.registry.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_years(&mut conn, firm_id)?)
    }

    /// The firm's years with their versions, oldest first.
    pub fn list_year_versions(
        &self,
        firm_id: Uuid,
    ) -> Result<Vec<(AnnualFigures, i64)>, ServiceError> {
        let mut conn = self.registry.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_year_versions(&mut conn, firm_id)?)
    }

    /// One stored year and its version.
    pub fn get_year(
        &self,
        firm_id: Uuid,
        fiscal_year: i32,
    ) -> Result<(AnnualFigures, i64), ServiceError> {
        self.list_year_versions(firm_id)?
            .into_iter()
            .find(|(y, _)| y.fiscal_year == fiscal_year)
            .ok_or(ServiceError::NotFound("year"))
    }

    /// Records a closed financing round (once per Idempotency-Key). Implausible figures need
    /// `confirm` (see `plausibility`).
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id))]
    pub fn add_financing(
        &self,
        firm_id: Uuid,
        input: &FinancingInput,
        confirm: bool,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Created<Recorded<FinancingRound>>, ServiceError> {
        let ctx = self.registry.parse_context();
        create_once(self.registry, idempotency, |conn| {
            let now = self.registry.clock().now();
            let firm = lock_firm_or_404(conn, firm_id)?;
            let mut round = input.parse(Some(firm.profile.founded_on), ctx)?;
            let others: Vec<FinancingRound> = storage::list_financings(conn, firm_id)?
                .into_iter()
                .map(|(r, _)| r)
                .collect();
            let library = self.registry.rules_cache().current(conn)?;
            check_round(&round, &others, library.in_force(ctx.today), confirm)?;
            let id = Uuid::now_v7();
            storage::insert_financing(conn, id, firm_id, &round, now)?;
            self.registry
                .reclassify_in(conn, firm_id, Cause::FinancingAdded, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "financing.added",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({"financing_id": id.to_string()}),
            )?;
            round.id = Some(id);
            Ok((
                id,
                Recorded {
                    item: round,
                    recorded_at: now,
                    version: 1,
                    withdrawn: None,
                },
            ))
        })
    }

    /// The firm's rounds by closing date, withdrawn ones included (marked).
    pub fn list_financings(
        &self,
        firm_id: Uuid,
    ) -> Result<Vec<Recorded<FinancingRound>>, ServiceError> {
        let mut conn = self.registry.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_financing_records(&mut conn, firm_id)?)
    }

    /// Records a certificate; its number must be new for its kind (once per Idempotency-Key).
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id))]
    pub fn add_certificate(
        &self,
        firm_id: Uuid,
        input: &CertificateInput,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Created<Recorded<Certificate>>, ServiceError> {
        let ctx = self.registry.parse_context();
        create_once(self.registry, idempotency, |conn| {
            let now = self.registry.clock().now();
            lock_firm_or_404(conn, firm_id)?;
            let mut cert = input.parse(ctx)?;
            let id = Uuid::now_v7();
            storage::insert_certificate(conn, id, firm_id, &cert, now)?;
            self.registry
                .reclassify_in(conn, firm_id, Cause::CertificateChanged, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "certificate.added",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({"certificate_id": id.to_string()}),
            )?;
            cert.id = Some(id);
            Ok((
                id,
                Recorded {
                    item: cert,
                    recorded_at: now,
                    version: 1,
                    withdrawn: None,
                },
            ))
        })
    }

    /// The firm's certificates by issue date, withdrawn ones included (marked).
    pub fn list_certificates(
        &self,
        firm_id: Uuid,
    ) -> Result<Vec<Recorded<Certificate>>, ServiceError> {
        let mut conn = self.registry.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_certificate_records(&mut conn, firm_id)?)
    }
}
