//! The firm form shared by registration and editing.

use askama::Template;
use uuid::Uuid;

use crate::domain::{FieldError, Firm, RegionCatalog};
use crate::inputs::FirmInput;
use crate::web::PageContext;
use crate::web::form::{FormBuilder, FormData, FormView, tri_value};
use crate::web::pages::shared::{district_choices, with_blank};

/// The yes / no / unknown facts of a firm, in form order.
pub const FACTS: [&str; 5] = [
    "credit_ok",
    "tech_firm",
    "key_tech_breakthrough",
    "in_gazelle_pool",
    "in_key_tech_field",
];

/// Registration or edit form page.
#[derive(Template)]
#[template(path = "firms/form.html")]
pub struct FirmFormPage {
    pub ctx: PageContext,
    pub title: String,
    pub action: String,
    pub cancel: String,
    /// The version the form was opened at (edit only).
    pub version: Option<i64>,
    pub form: FormView,
}

/// The form's fields showing `values` and `errors`.
pub fn fields(
    ctx: &PageContext,
    catalog: &RegionCatalog,
    values: &FormData,
    errors: &[FieldError],
    editing: bool,
) -> FormView {
    let mut b = FormBuilder::new(ctx, values, errors);
    b.text("uscc", true)
        .text("name", true)
        .text("name_en", false)
        .select(
            "region_code",
            true,
            &with_blank(ctx, district_choices(catalog, ctx.lang)),
        )
        .text("industry_code", true)
        .text("founded_on", true)
        .text("listed_on", false);
    if editing {
        let statuses = [
            ("active".to_owned(), ctx.t("status.active").to_owned()),
            (
                "deregistered".to_owned(),
                ctx.t("status.deregistered").to_owned(),
            ),
        ];
        b.select("status", true, &statuses);
    }
    for fact in FACTS {
        b.tri(fact);
    }
    b.text("major_violation_on", false);
    b.finish()
}

/// The registration form showing `values` and `errors`.
pub fn new_page(
    ctx: PageContext,
    catalog: &RegionCatalog,
    values: &FormData,
    errors: &[FieldError],
) -> FirmFormPage {
    FirmFormPage {
        title: ctx.t("firm.new_title").to_owned(),
        action: "/firms".into(),
        cancel: "/firms".into(),
        version: None,
        form: fields(&ctx, catalog, values, errors, false),
        ctx,
    }
}

/// The edit form of the firm `id`, titled `title`, carrying the `version` it was opened at.
pub fn edit_page(
    ctx: PageContext,
    catalog: &RegionCatalog,
    (id, version): (Uuid, i64),
    title: String,
    values: &FormData,
    errors: &[FieldError],
) -> FirmFormPage {
    FirmFormPage {
        title,
        action: format!("/firms/{id}/edit"),
        cancel: format!("/firms/{id}"),
        version: Some(version),
        form: fields(&ctx, catalog, values, errors, true),
        ctx,
    }
}

/// The registration input the form describes; empty optional fields are `None`.
pub fn input(form: &FormData) -> FirmInput {
    FirmInput {
        uscc: form.text("uscc"),
        name: form.text("name"),
        name_en: form.opt("name_en"),
        region_code: form.text("region_code"),
        industry_code: form.text("industry_code"),
        founded_on: form.date("founded_on"),
        listed_on: form.opt_date("listed_on"),
        status: form.opt("status"),
        credit_ok: form.tri("credit_ok"),
        tech_firm: form.tri("tech_firm"),
        key_tech_breakthrough: form.tri("key_tech_breakthrough"),
        in_gazelle_pool: form.tri("in_gazelle_pool"),
        in_key_tech_field: form.tri("in_key_tech_field"),
        major_violation_on: form.opt_date("major_violation_on"),
    }
}

/// The form filled with a stored firm.
pub fn values_of(firm: &Firm) -> FormData {
    let input = FirmInput::from_profile(&firm.profile);
    let mut form = FormData::default();
    form.set("uscc", input.uscc);
    form.set("name", input.name);
    form.set("name_en", input.name_en.unwrap_or_default());
    form.set("region_code", input.region_code);
    form.set("industry_code", input.industry_code);
    form.set("founded_on", input.founded_on);
    form.set("listed_on", input.listed_on.unwrap_or_default());
    form.set("status", input.status.unwrap_or_default());
    form.set("credit_ok", tri_value(input.credit_ok));
    form.set("tech_firm", tri_value(input.tech_firm));
    form.set(
        "key_tech_breakthrough",
        tri_value(input.key_tech_breakthrough),
    );
    form.set("in_gazelle_pool", tri_value(input.in_gazelle_pool));
    form.set("in_key_tech_field", tri_value(input.in_key_tech_field));
    form.set(
        "major_violation_on",
        input.major_violation_on.unwrap_or_default(),
    );
    form
}
