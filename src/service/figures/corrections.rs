//! Correcting and withdrawing financing rounds and certificates. Each change is checked
//! against the version the client read, reclassifies the firm in the same transaction (ledger
//! cause `correction`) and leaves an audit entry holding the record before and after.

use uuid::Uuid;

use super::Figures;
use super::snapshots::{certificate_snapshot, financing_snapshot};
use crate::domain::Cause;
use crate::domain::{Certificate, FinancingRound, Recorded, Withdrawal};
use crate::inputs::{CertificatePatch, FinancingPatch, WithdrawalInput};
use crate::service::error::ServiceError;
use crate::service::firms::Precondition;
use crate::service::plausibility::check_round;
use crate::service::time_passing::write_facts;
use crate::storage::{self, DbConnection, StorageResult};

/// Locks the firm for the rest of the write transaction; a missing firm is 404.
fn lock_firm(conn: &mut DbConnection, firm_id: Uuid) -> Result<(), ServiceError> {
    if storage::lock_firm(conn, firm_id)? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("firm"))
    }
}

/// A withdrawn record cannot be corrected or withdrawn again.
fn still_counts<T>(record: &Recorded<T>, what: &str) -> Result<(), ServiceError> {
    match &record.withdrawn {
        None => Ok(()),
        Some(w) => Err(ServiceError::conflict(
            "withdrawn",
            "withdrawn",
            format!(
                "this {what} was withdrawn on {} and can no longer change",
                w.at
            ),
        )),
    }
}

/// Reads one record of a firm, withdrawn or not.
type FindRecord<T> = fn(&mut DbConnection, Uuid, Uuid) -> StorageResult<Option<Recorded<T>>>;

/// What differs between withdrawing one kind of record and another.
struct WithdrawnKind<T> {
    /// The record's name in messages.
    what: &'static str,
    /// The audit action.
    action: &'static str,
    /// The audit detail's key for the record's id.
    id_field: &'static str,
    find: FindRecord<T>,
    withdraw: fn(&mut DbConnection, Uuid, &Withdrawal, i64) -> StorageResult<bool>,
    /// The record as the audit entry shows it.
    view: fn(&Recorded<T>) -> Result<serde_json::Value, ServiceError>,
}

fn reason_of(input: &WithdrawalInput) -> Result<String, ServiceError> {
    input
        .parse()
        .map_err(|e| ServiceError::Validation(e.into()))
}

impl Figures<'_> {
    /// One round of the firm, withdrawn or not.
    pub fn get_financing(
        &self,
        firm_id: Uuid,
        id: Uuid,
    ) -> Result<Recorded<FinancingRound>, ServiceError> {
        let mut conn = self.registry.conn()?;
        if storage::find_firm(&mut conn, firm_id)?.is_none() {
            return Err(ServiceError::NotFound("firm"));
        }
        storage::find_financing(&mut conn, firm_id, id)?
            .ok_or(ServiceError::NotFound("financing round"))
    }

    /// Corrects a round if it is still at a version the client read. The result is checked
    /// like a new round (plausibility included); an edit that changes nothing keeps the
    /// version.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, financing.id = %id))]
    pub fn correct_financing(
        &self,
        firm_id: Uuid,
        id: Uuid,
        precondition: &Precondition,
        patch: &FinancingPatch,
        actor: &str,
    ) -> Result<Recorded<FinancingRound>, ServiceError> {
        if *precondition == Precondition::Missing {
            return Err(ServiceError::PreconditionRequired);
        }
        let ctx = self.registry.parse_context();
        write_facts(self.registry, |conn| {
            lock_firm(conn, firm_id)?;
            let firm = storage::find_firm(conn, firm_id)?.ok_or(ServiceError::NotFound("firm"))?;
            let before = storage::find_financing(conn, firm_id, id)?
                .ok_or(ServiceError::NotFound("financing round"))?;
            still_counts(&before, "financing round")?;
            precondition.check(before.version)?;
            let mut round = patch
                .apply(&before.item)
                .parse(Some(firm.profile.founded_on), ctx)?;
            round.id = Some(id);
            if round == before.item {
                return Ok(before);
            }
            let others: Vec<FinancingRound> = storage::list_financings(conn, firm_id)?
                .into_iter()
                .map(|(r, _)| r)
                .filter(|r| r.id != Some(id))
                .collect();
            let library = self.registry.rules_cache().current(conn)?;
            let set = library.in_force(self.registry.clock().today());
            check_round(&round, &others, set, patch.confirm)?;
            if !storage::update_financing(conn, id, &round, before.version)? {
                return Err(ServiceError::PreconditionFailed {
                    current: before.version + 1,
                });
            }
            let after = Recorded {
                item: round,
                version: before.version + 1,
                ..before.clone()
            };
            self.registry
                .reclassify_in(conn, firm_id, Cause::Correction, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "financing.corrected",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({
                    "financing_id": id.to_string(),
                    "before": financing_snapshot(&before)?,
                    "after": financing_snapshot(&after)?,
                }),
            )?;
            Ok(after)
        })
    }

    /// Withdraws a round: it stays stored with who, when and why, and no longer counts.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, financing.id = %id))]
    pub fn withdraw_financing(
        &self,
        firm_id: Uuid,
        id: Uuid,
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<FinancingRound>, ServiceError> {
        self.withdraw_record(
            WithdrawnKind {
                what: "financing round",
                action: "financing.withdrawn",
                id_field: "financing_id",
                find: storage::find_financing,
                withdraw: storage::withdraw_financing,
                view: financing_snapshot,
            },
            (firm_id, id),
            precondition,
            input,
            actor,
        )
    }

    /// One certificate of the firm, withdrawn or not.
    pub fn get_certificate(
        &self,
        firm_id: Uuid,
        id: Uuid,
    ) -> Result<Recorded<Certificate>, ServiceError> {
        let mut conn = self.registry.conn()?;
        if storage::find_firm(&mut conn, firm_id)?.is_none() {
            return Err(ServiceError::NotFound("firm"));
        }
        storage::find_certificate(&mut conn, firm_id, id)?
            .ok_or(ServiceError::NotFound("certificate"))
    }

    /// Corrects a certificate if it is still at a version the client read; the number must
    /// stay unique among certificates that count.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, certificate.id = %id))]
    pub fn correct_certificate(
        &self,
        firm_id: Uuid,
        id: Uuid,
        precondition: &Precondition,
        patch: &CertificatePatch,
        actor: &str,
    ) -> Result<Recorded<Certificate>, ServiceError> {
        if *precondition == Precondition::Missing {
            return Err(ServiceError::PreconditionRequired);
        }
        let ctx = self.registry.parse_context();
        write_facts(self.registry, |conn| {
            lock_firm(conn, firm_id)?;
            let before = storage::find_certificate(conn, firm_id, id)?
                .ok_or(ServiceError::NotFound("certificate"))?;
            still_counts(&before, "certificate")?;
            precondition.check(before.version)?;
            let mut cert = patch.apply(&before.item).parse(ctx)?;
            cert.id = Some(id);
            if cert == before.item {
                return Ok(before);
            }
            if !storage::update_certificate(conn, id, &cert, before.version)? {
                return Err(ServiceError::PreconditionFailed {
                    current: before.version + 1,
                });
            }
            let after = Recorded {
                item: cert,
                version: before.version + 1,
                ..before.clone()
            };
            self.registry
                .reclassify_in(conn, firm_id, Cause::Correction, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "certificate.corrected",
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({
                    "certificate_id": id.to_string(),
                    "before": certificate_snapshot(&before)?,
                    "after": certificate_snapshot(&after)?,
                }),
            )?;
            Ok(after)
        })
    }

    /// Withdraws a certificate: it stays stored with who, when and why, and no longer counts;
    /// its number is free for a correct record.
    #[tracing::instrument(skip_all, fields(firm.id = %firm_id, certificate.id = %id))]
    pub fn withdraw_certificate(
        &self,
        firm_id: Uuid,
        id: Uuid,
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<Certificate>, ServiceError> {
        self.withdraw_record(
            WithdrawnKind {
                what: "certificate",
                action: "certificate.withdrawn",
                id_field: "certificate_id",
                find: storage::find_certificate,
                withdraw: storage::withdraw_certificate,
                view: certificate_snapshot,
            },
            (firm_id, id),
            precondition,
            input,
            actor,
        )
    }

    /// One withdrawal, whatever the record: checked against the version read, stored with
    /// who, when and why, the firm reclassified and the audit entry written, in one transaction.
    fn withdraw_record<T: Clone>(
        &self,
        kind: WithdrawnKind<T>,
        (firm_id, id): (Uuid, Uuid),
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<T>, ServiceError> {
        if *precondition == Precondition::Missing {
            return Err(ServiceError::PreconditionRequired);
        }
        let reason = reason_of(input)?;
        write_facts(self.registry, |conn| {
            lock_firm(conn, firm_id)?;
            let before =
                (kind.find)(conn, firm_id, id)?.ok_or(ServiceError::NotFound(kind.what))?;
            still_counts(&before, kind.what)?;
            precondition.check(before.version)?;
            let withdrawal = Withdrawal {
                at: self.registry.clock().now(),
                by: actor.to_owned(),
                reason: reason.clone(),
            };
            if !(kind.withdraw)(conn, id, &withdrawal, before.version)? {
                return Err(ServiceError::PreconditionFailed {
                    current: before.version + 1,
                });
            }
            let after = Recorded {
                version: before.version + 1,
                withdrawn: Some(withdrawal),
                ..before.clone()
            };
            self.registry
                .reclassify_in(conn, firm_id, Cause::Correction, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                kind.action,
                Some(("firm", firm_id.to_string())),
                None,
                serde_json::json!({
                    kind.id_field: id.to_string(),
                    "reason": reason,
                    "before": (kind.view)(&before)?,
                    "after": (kind.view)(&after)?,
                }),
            )?;
            Ok(after)
        })
    }
}
