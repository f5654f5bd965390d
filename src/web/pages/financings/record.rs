//! A financing round as a kind of record: its columns, its form, and the service calls its
//! correction and withdrawal pages make.

use uuid::Uuid;

use crate::domain::{FieldError, FinancingRound, Money, Recorded};
use crate::inputs::{FinancingInput, FinancingPatch, MoneyInput, WithdrawalInput};
use crate::service::{Precondition, Registry, ServiceError};
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::money::money_text;
use crate::web::pages::records::RecordKind;
use crate::web::pages::shared::with_blank;

/// Investor kinds as the API names them.
const INVESTORS: [&str; 4] = [
    "professional_institution",
    "strategic",
    "government_fund",
    "other",
];

/// Financing rounds.
pub struct Financings;

/// An amount in the page's one money format, the exact sum beside a rounded one.
fn money(ctx: &PageContext, m: Option<Money>) -> String {
    m.map_or_else(
        || "—".to_owned(),
        |m| money_text(ctx.lang, m.value, m.currency).with_exact(),
    )
}

/// Whether the form must offer the confirmation of implausible figures: they were refused
/// for want of it, or it was already given.
fn offers_confirm(values: &FormData, errors: &[FieldError]) -> bool {
    values.get("confirm") == "yes" || errors.iter().any(|e| e.code == "needs_confirmation")
}

/// An optional sum: empty value = not disclosed.
fn money_input(form: &FormData, field: &str, errors: &mut Vec<FieldError>) -> Option<MoneyInput> {
    let value = form.int(&format!("{field}_value"), errors)?;
    Some(MoneyInput {
        value,
        currency: form.text(&format!("{field}_currency")),
    })
}

/// The round a form describes, and the errors of sums that are not numbers.
pub fn input_of(form: &FormData) -> (FinancingInput, Vec<FieldError>) {
    let mut errors = Vec::new();
    let input = FinancingInput {
        closed_on: form.date("closed_on"),
        round: form.text("round"),
        amount: money_input(form, "amount", &mut errors),
        post_money_valuation: money_input(form, "post_money_valuation", &mut errors),
        investor_kind: form.text("investor_kind"),
    };
    (input, errors)
}

impl RecordKind for Financings {
    type Item = FinancingRound;
    type Patch = FinancingPatch;

    const SEGMENT: &'static str = "financings";
    const COLUMNS: &'static [&'static str] = &[
        "closed_on",
        "round",
        "amount_value",
        "post_money_valuation_value",
        "investor_kind",
    ];
    const FIELDS: &'static [&'static [&'static str]] = &[
        &["closed_on"],
        &["round"],
        &["amount_value", "amount_currency"],
        &[
            "post_money_valuation_value",
            "post_money_valuation_currency",
        ],
        &["investor_kind"],
    ];
    const CORRECTED: &'static str = "financing_corrected";
    const WITHDRAWN: &'static str = "financing_withdrawn";

    fn edit_title(ctx: &PageContext) -> String {
        ctx.t("record.edit_financing").to_owned()
    }

    fn withdraw_title(ctx: &PageContext) -> String {
        ctx.t("record.withdraw_financing").to_owned()
    }

    fn id_of(item: &FinancingRound) -> Option<Uuid> {
        item.id
    }

    fn cells(ctx: &PageContext, r: &FinancingRound) -> Vec<String> {
        vec![
            r.closed_on.to_string(),
            r.round.clone(),
            money(ctx, r.amount),
            money(ctx, r.post_money_valuation),
            ctx.label("investor", r.investor_kind.as_str()),
        ]
    }

    fn values_of(r: &FinancingRound) -> FormData {
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

    fn form(ctx: &PageContext, values: &FormData, errors: &[FieldError]) -> FormView {
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

    fn patch_of(posted: &FormData) -> Result<FinancingPatch, Vec<FieldError>> {
        let (input, errors) = input_of(posted);
        if !errors.is_empty() {
            return Err(errors);
        }
        // The form restates the whole round.
        Ok(FinancingPatch {
            closed_on: Some(input.closed_on),
            round: Some(input.round),
            amount: Some(input.amount),
            post_money_valuation: Some(input.post_money_valuation),
            investor_kind: Some(input.investor_kind),
            confirm: posted.get("confirm") == "yes",
        })
    }

    fn is_field_conflict(_: &FieldError) -> bool {
        // A round has no unique field: any conflict means it changed under the form.
        false
    }

    fn get(r: &Registry, firm: Uuid, id: Uuid) -> Result<Recorded<FinancingRound>, ServiceError> {
        r.figures().get_financing(firm, id)
    }

    fn correct(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        patch: &FinancingPatch,
        actor: &str,
    ) -> Result<Recorded<FinancingRound>, ServiceError> {
        r.figures()
            .correct_financing(firm, id, precondition, patch, actor)
    }

    fn withdraw(
        r: &Registry,
        firm: Uuid,
        id: Uuid,
        precondition: &Precondition,
        input: &WithdrawalInput,
        actor: &str,
    ) -> Result<Recorded<FinancingRound>, ServiceError> {
        r.figures()
            .withdraw_financing(firm, id, precondition, input, actor)
    }
}
