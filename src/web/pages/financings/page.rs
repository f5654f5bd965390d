//! The financing page, shared by showing and saving: the rounds recorded and the add form.

use askama::Template;

use super::record::Financings;
use crate::domain::{FieldError, FinancingRound, Firm, Recorded};
use crate::web::PageContext;
use crate::web::form::{FormData, FormView};
use crate::web::pages::records::{RecordKind, RecordRow, rows};

#[derive(Template)]
#[template(path = "financings/page.html")]
pub struct FinancingPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub rounds: Vec<RecordRow>,
    pub form: FormView,
}

/// Builds the page.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    rounds: &[Recorded<FinancingRound>],
    values: &FormData,
    errors: &[FieldError],
) -> FinancingPage {
    FinancingPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        rounds: rows::<Financings>(&ctx, firm, rounds),
        form: Financings::form(&ctx, values, errors),
        ctx,
    }
}
