//! A certificate as a kind of record: its columns, its form, and the service calls its
//! correction and withdrawal pages make.

use uuid::Uuid;

use crate::domain::{Certificate, FieldError, Recorded};
use crate::inputs::{CertificatePatch, WithdrawalInput};
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::records::RecordKind;

/// Certificates.
pub struct Certificates;

impl RecordKind for Certificates {
    type Item = Certificate;
    type Patch = CertificatePatch;

    const SEGMENT: &'static str = "certificates";
    /// The column labels are also the form's field names.
    const COLUMNS: &'static [&'static str] = &["kind", "number", "issued_on", "expires_on"];
    const FIELDS: &'static [&'static [&'static str]] =
        &[&["kind"], &["number"], &["issued_on"], &["expires_on"]];
    const CORRECTED: &'static str = "certificate_corrected";
    const WITHDRAWN: &'static str = "certificate_withdrawn";

    fn edit_title(ctx: &PageContext) -> String {
        ctx.t("record.edit_certificate").to_owned()
    }

    fn withdraw_title(ctx: &PageContext) -> String {
        ctx.t("record.withdraw_certificate").to_owned()
    }

    fn id_of(item: &Certificate) -> Option<Uuid> {
        item.id
    }

    fn cells(ctx: &PageContext, c: &Certificate) -> Vec<String> {
        vec![
            ctx.label("certificate", c.kind.as_str()),
            c.number.clone(),
            c.issued_on.to_string(),
            c.expires_on.to_string(),
        ]
    }

    fn values_of(c: &Certificate) -> FormData {
        let mut values = FormData::default();
        values.set("kind", c.kind.as_str());
        values.set("number", c.number.clone());
        values.set("issued_on", c.issued_on.to_string());
        values.set("expires_on", c.expires_on.to_string());
        values
    }

    fn form(ctx: &PageContext, values: &FormData, errors: &[FieldError]) -> FormView {
        let kinds = [(
            "high_tech".to_owned(),
            ctx.label("certificate", "high_tech"),
        )];
        FormBuilder::new(ctx, values, errors)
            .select("kind", true, &kinds)
            .text("number", true)
            .text("issued_on", true)
            .text("expires_on", false)
            .finish()
    }

    fn patch_of(posted: &FormData) -> Result<CertificatePatch, Vec<FieldError>> {
        // The form restates the whole certificate.
        Ok(CertificatePatch {
            kind: Some(posted.text("kind")),
            number: Some(posted.text("number")),
            issued_on: Some(posted.date("issued_on")),
            expires_on: posted.opt_date("expires_on"),
        })
    }

    fn is_field_conflict(error: &FieldError) -> bool {
        // A taken number is the field's; a withdrawn certificate is a conflict of its own.
        error.field != "withdrawn"
    }

    fn get(r: &Registry, firm: Uuid, id: Uuid) -> Result<Recorded<Certificate>, ServiceError> {
        r.figures().get_certificate(firm, id)
    }

    fn correct(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        patch: &CertificatePatch,
        actor: &str,
    ) -> Result<Recorded<Certificate>, ServiceError> {
        r.figures()
            .correct_certificate(firm, id, precondition, patch, actor)
    }

    fn withdraw(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<Certificate>, ServiceError> {
        r.figures()
            .withdraw_certificate(firm, id, precondition, input, actor)
    }
}
