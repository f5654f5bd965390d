//! The certificate page, shared by showing and saving.

use askama::Template;

use crate::domain::{Certificate, FieldError, Firm};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};

#[derive(Template)]
#[template(path = "certificates/page.html")]
pub struct CertificatePage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub certificates: Vec<Vec<String>>,
    pub form: FormView,
}

/// Builds the page.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    certificates: &[Certificate],
    values: &FormData,
    errors: &[FieldError],
) -> CertificatePage {
    let kinds = [(
        "high_tech".to_owned(),
        ctx.label("certificate", "high_tech"),
    )];
    let form = FormBuilder::new(&ctx, values, errors)
        .select("kind", true, &kinds)
        .text("number", true)
        .text("issued_on", true)
        .text("expires_on", false)
        .finish();
    let certificates = certificates
        .iter()
        .map(|c| {
            vec![
                ctx.label("certificate", c.kind.as_str()),
                c.number.clone(),
                c.issued_on.to_string(),
                c.expires_on.to_string(),
            ]
        })
        .collect();
    CertificatePage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        certificates,
        form,
        ctx,
    }
}
