//! The certificate page, shared by showing and saving, and the parts of a certificate that its
//! edit and withdrawal pages show.

use askama::Template;

use crate::domain::{Certificate, FieldError, Firm, Recorded};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::records::{RecordRow, row};

#[derive(Template)]
#[template(path = "certificates/page.html")]
pub struct CertificatePage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub certificates: Vec<RecordRow>,
    pub form: FormView,
}

/// The column labels matching `cells`, which are also the form's field names.
pub const COLUMNS: [&str; 4] = ["kind", "number", "issued_on", "expires_on"];

/// The shown values of a certificate, in column order.
pub fn cells(ctx: &PageContext, c: &Certificate) -> Vec<String> {
    vec![
        ctx.label("certificate", c.kind.as_str()),
        c.number.clone(),
        c.issued_on.to_string(),
        c.expires_on.to_string(),
    ]
}

/// The certificates as rows with their actions.
pub fn rows(ctx: &PageContext, firm: &Firm, certs: &[Recorded<Certificate>]) -> Vec<RecordRow> {
    certs
        .iter()
        .map(|c| {
            let base = format!(
                "/firms/{}/certificates/{}",
                firm.id,
                c.item.id.unwrap_or_default()
            );
            row(ctx, c, &base, cells(ctx, &c.item))
        })
        .collect()
}

/// The certificate's form fields (the add and edit forms are the same).
pub fn form(ctx: &PageContext, values: &FormData, errors: &[FieldError]) -> FormView {
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

/// The form values of a stored certificate.
pub fn values_of(c: &Certificate) -> FormData {
    let mut values = FormData::default();
    values.set("kind", c.kind.as_str());
    values.set("number", c.number.clone());
    values.set("issued_on", c.issued_on.to_string());
    values.set("expires_on", c.expires_on.to_string());
    values
}

/// Builds the page.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    certificates: &[Recorded<Certificate>],
    values: &FormData,
    errors: &[FieldError],
) -> CertificatePage {
    CertificatePage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        certificates: rows(&ctx, firm, certificates),
        form: form(&ctx, values, errors),
        ctx,
    }
}
