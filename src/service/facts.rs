//! Annual figures, financing rounds and certificates of a firm.

use chrono::Datelike;
use uuid::Uuid;

use super::plausibility::check_round;
use super::{Cause, Created, Idempotency, Registry, ServiceError};
use crate::api_types::{CertificateInput, FinancingInput, YearInput};
use crate::domain::{AnnualFigures, Certificate, FinancingRound, Firm, Recorded};
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

impl Registry {
    /// Replaces (or creates) one fiscal year of figures. Returns the year and whether it
    /// was new.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, fiscal_year))]
    pub fn put_year(
        &self,
        firm_id: Uuid,
        fiscal_year: i32,
        input: &YearInput,
        actor: &str,
    ) -> Result<(AnnualFigures, bool), ServiceError> {
        let ctx = self.parse_context();
        let now = self.clock().now();
        self.write_facts(|conn| {
            let firm = lock_firm_or_404(conn, firm_id)?;
            let year = input.parse(Some(fiscal_year), Some(firm.profile.founded_on.year()), ctx)?;
            let created = storage::put_year(conn, firm_id, &year, now)?;
            self.reclassify_in(conn, firm_id, Cause::FiguresChanged, actor)?;
            self.audit_in(
                conn,
                actor,
                "figures.saved",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({"fiscal_year": fiscal_year, "created": created}),
            )?;
            Ok((year, created))
        })
    }

    /// The firm's years, oldest first.
    pub fn list_years(&self, firm_id: Uuid) -> Result<Vec<AnnualFigures>, ServiceError> {
        let mut conn = self.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_years(&mut conn, firm_id)?)
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
        let ctx = self.parse_context();
        let scope = format!("POST /api/v1/firms/{firm_id}/financings");
        self.create_once(&scope, idempotency, |conn| {
            let now = self.clock().now();
            let firm = lock_firm_or_404(conn, firm_id)?;
            let mut round = input.parse(Some(firm.profile.founded_on), ctx)?;
            let others: Vec<FinancingRound> = storage::list_financings(conn, firm_id)?
                .into_iter()
                .map(|(r, _)| r)
                .collect();
            let library = self.rules_cache().current(conn)?;
            check_round(&round, &others, library.in_force(ctx.today), confirm)?;
            let id = Uuid::now_v7();
            storage::insert_financing(conn, id, firm_id, &round, now)?;
            self.reclassify_in(conn, firm_id, Cause::FinancingAdded, actor)?;
            self.audit_in(
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
        let mut conn = self.conn()?;
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
        let ctx = self.parse_context();
        let scope = format!("POST /api/v1/firms/{firm_id}/certificates");
        self.create_once(&scope, idempotency, |conn| {
            let now = self.clock().now();
            lock_firm_or_404(conn, firm_id)?;
            let mut cert = input.parse(ctx)?;
            let id = Uuid::now_v7();
            storage::insert_certificate(conn, id, firm_id, &cert, now)?;
            self.reclassify_in(conn, firm_id, Cause::CertificateChanged, actor)?;
            self.audit_in(
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
        let mut conn = self.conn()?;
        firm_or_404(&mut conn, firm_id)?;
        Ok(storage::list_certificate_records(&mut conn, firm_id)?)
    }
}
