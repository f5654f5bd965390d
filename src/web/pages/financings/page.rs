//! The financing page, shared by showing and saving, and the parts of a round that its edit
//! and withdrawal pages show.

use askama::Template;

use crate::domain::{FieldError, FinancingRound, Firm, Money, Recorded};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::records::{RecordRow, row};
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
    pub rounds: Vec<RecordRow>,
    pub form: FormView,
}

fn money(m: Option<Money>) -> String {
    m.map_or_else(
        || "—".to_owned(),
        |m| format!("{} {}", group_digits(m.value), m.currency.as_str()),
    )
}

/// The shown values of a round, in column order.
pub fn cells(ctx: &PageContext, r: &FinancingRound) -> Vec<String> {
    vec![
        r.closed_on.to_string(),
        r.round.clone(),
        money(r.amount),
        money(r.post_money_valuation),
        ctx.label("investor", r.investor_kind.as_str()),
    ]
}

/// The column labels matching `cells`.
pub const COLUMNS: [&str; 5] = [
    "closed_on",
    "round",
    "amount_value",
    "post_money_valuation_value",
    "investor_kind",
];

/// The rounds as rows with their actions.
pub fn rows(ctx: &PageContext, firm: &Firm, rounds: &[Recorded<FinancingRound>]) -> Vec<RecordRow> {
    rounds
        .iter()
        .map(|r| {
            let base = format!(
                "/firms/{}/financings/{}",
                firm.id,
                r.item.id.unwrap_or_default()
            );
            row(ctx, r, &base, cells(ctx, &r.item))
        })
        .collect()
}

/// Whether the form must offer the confirmation of implausible figures: they were refused
/// for want of it, or it was already given.
fn offers_confirm(values: &FormData, errors: &[FieldError]) -> bool {
    values.get("confirm") == "yes" || errors.iter().any(|e| e.code == "needs_confirmation")
}

/// The round's form fields (the add and edit forms are the same).
pub fn form(ctx: &PageContext, values: &FormData, errors: &[FieldError]) -> FormView {
    let currencies = [
        ("CNY".to_owned(), ctx.t("currency.CNY").to_owned()),
        ("USD".to_owned(), ctx.t("currency.USD").to_owned()),
    ];
    let investors: Vec<(String, String)> = INVESTORS
        .iter()
        .map(|k| ((*k).to_owned(), ctx.label("investor", k)))
        .collect();
    let mut builder = FormBuilder::new(ctx, values, errors);
    builder
        .text("closed_on", true)
        .text("round", true)
        .text("amount_value", false)
        .select("amount_currency", false, &currencies)
        .text("post_money_valuation_value", false)
        .select("post_money_valuation_currency", false, &currencies)
        .select("investor_kind", true, &with_blank(ctx, investors));
    if offers_confirm(values, errors) {
        let choices = [
            (String::new(), ctx.t("record.confirm_no").to_owned()),
            ("yes".to_owned(), ctx.t("record.confirm_yes").to_owned()),
        ];
        builder.select("confirm", false, &choices);
    }
    builder.finish()
}

/// The form values of a stored round.
pub fn values_of(r: &FinancingRound) -> FormData {
    let mut values = FormData::default();
    values.set("closed_on", r.closed_on.to_string());
    values.set("round", r.round.clone());
    for (name, m) in [
        ("amount", r.amount),
        ("post_money_valuation", r.post_money_valuation),
    ] {
        values.set(
            &format!("{name}_value"),
            m.map_or_else(String::new, |m| m.value.to_string()),
        );
        values.set(
            &format!("{name}_currency"),
            m.map_or("CNY", |m| m.currency.as_str()),
        );
    }
    values.set("investor_kind", r.investor_kind.as_str());
    values
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
        rounds: rows(&ctx, firm, rounds),
        form: form(&ctx, values, errors),
        ctx,
    }
}
