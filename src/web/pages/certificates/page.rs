//! The certificate page, shared by showing and saving: the certificates recorded and the add
//! form.

use askama::Template;

use super::record::Certificates;
use crate::domain::{Certificate, FieldError, Firm, Recorded};
use crate::web::PageContext;
use crate::web::form::{FormData, FormView};
use crate::web::pages::records::{RecordKind, RecordRow, rows};

#[derive(Template)]
#[template(path = "certificates/page.html")]
pub struct CertificatePage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub certificates: Vec<RecordRow>,
    pub form: FormView,
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
        certificates: rows::<Certificates>(&ctx, firm, certificates),
        form: Certificates::form(&ctx, values, errors),
        ctx,
    }
}
