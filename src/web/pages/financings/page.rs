//! The financing page, shared by showing and saving.

use askama::Template;

use crate::domain::{FieldError, FinancingRound, Firm, Money};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::shared::with_blank;
use crate::web::pages::years::group_digits;

/// Investor kinds as the API names them.
const INVESTORS: [&str; 4] = [
    "professional_institution",
    "strategic",
    "government_fund",
    "other",
];

#[derive(Template)]
#[template(path = "financings/page.html")]
pub struct FinancingPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub rounds: Vec<Vec<String>>,
    pub form: FormView,
}

fn money(m: Option<Money>) -> String {
    m.map_or_else(
        || "—".to_owned(),
        |m| format!("{} {}", group_digits(m.value), m.currency.as_str()),
    )
}

/// Builds the page.
pub fn page(
    ctx: PageContext,
    firm: &Firm,
    rounds: &[FinancingRound],
    values: &FormData,
    errors: &[FieldError],
) -> FinancingPage {
    let currencies = [
        ("CNY".to_owned(), ctx.t("currency.CNY").to_owned()),
        ("USD".to_owned(), ctx.t("currency.USD").to_owned()),
    ];
    let investors: Vec<(String, String)> = INVESTORS
        .iter()
        .map(|k| ((*k).to_owned(), ctx.label("investor", k)))
        .collect();
    let form = FormBuilder::new(&ctx, values, errors)
        .text("closed_on", true)
        .text("round", true)
        .text("amount_value", false)
        .select("amount_currency", false, &currencies)
        .text("post_money_valuation_value", false)
        .select("post_money_valuation_currency", false, &currencies)
        .select("investor_kind", true, &with_blank(&ctx, investors))
        .finish();
    let rounds = rounds
        .iter()
        .map(|r| {
            vec![
                r.closed_on.to_string(),
                r.round.clone(),
                money(r.amount),
                money(r.post_money_valuation),
                ctx.label("investor", r.investor_kind.as_str()),
            ]
        })
        .collect();
    FinancingPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        rounds,
        form,
        ctx,
    }
}
