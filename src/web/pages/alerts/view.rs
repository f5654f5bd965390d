//! The warnings page's view model: the filters, a count per kind, and a page of warnings in
//! words. Pure, so it is tested without a server.

use askama::Template;

use super::show_alerts::{AlertsForm, PAGE};
use crate::domain::{FieldError, RegionCatalog};
use crate::service::{Alert, AlertKind, AlertPage, AlertQuery, LeaveCause};
use crate::web::PageContext;
use crate::web::context::url_encode;
use crate::web::explain::lines;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::names::Names;
use crate::web::pages::shared::{district_choices, district_name, with_any};

/// What the page shows, as the service hands it out.
pub struct AlertsData {
    /// The warnings asked for.
    pub page: AlertPage,
    /// Names of the rule set in force.
    pub names: Names,
}

/// A kind with its count, linking to its list.
pub struct KindCount {
    kind: &'static str,
    label: String,
    count: usize,
    href: String,
    current: bool,
}

/// A warning in words.
pub struct AlertRow {
    pub(super) kind: String,
    firm_id: String,
    pub(super) name: String,
    pub(super) district: String,
    pub(super) held: Vec<String>,
    pub(super) text: String,
    pub(super) conditions: Vec<String>,
    pub(super) date: String,
}

/// `GET /alerts`.
#[derive(Template)]
#[template(path = "alerts.html")]
pub struct AlertsPage {
    ctx: PageContext,
    form: FormView,
    as_of: String,
    kinds: Vec<KindCount>,
    total: usize,
    rows: Vec<AlertRow>,
    next_href: Option<String>,
    prev_href: Option<String>,
    /// Every warning of the same filters as a spreadsheet.
    xlsx_href: String,
}

/// The page for the filters as typed (`form`, read into `query` with `errors`).
pub fn alerts_view(
    ctx: PageContext,
    form: &AlertsForm,
    query: &AlertQuery,
    errors: &[FieldError],
    data: &AlertsData,
    catalog: &RegionCatalog,
) -> AlertsPage {
    let mut values = FormData::default();
    values.set("alert_kind", form.alert_kind.clone());
    values.set("region", form.region.clone());
    values.set("within_days", query.within_days.to_string());
    values.set("margin_percent", query.margin_percent.to_string());
    let kind_choices = AlertKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), ctx.label("alert_kind", k.as_str())))
        .collect();
    let form_view = FormBuilder::new(&ctx, &values, errors)
        .select("alert_kind", false, &with_any(&ctx, kind_choices))
        .select(
            "region",
            false,
            &with_any(&ctx, district_choices(catalog, ctx.lang)),
        )
        .text("within_days", false)
        .text("margin_percent", false)
        .finish();
    // The same filters again, for another kind or page.
    let href = |kind: Option<AlertKind>, offset: usize| {
        let mut h = format!(
            "/alerts?alert_kind={}&region={}&within_days={}&margin_percent={}",
            kind.map_or("", AlertKind::as_str),
            url_encode(query.region.as_deref().unwrap_or("")),
            query.within_days,
            query.margin_percent
        );
        if offset > 0 {
            h.push_str(&format!("&offset={offset}"));
        }
        h
    };
    let page = &data.page;
    let kinds = page
        .totals
        .iter()
        .map(|(k, n)| KindCount {
            kind: k.as_str(),
            label: ctx.label("alert_kind", k.as_str()),
            count: *n,
            href: href(Some(*k), 0),
            current: query.kind == Some(*k),
        })
        .collect();
    let rows = alert_rows(&ctx, data, catalog);
    let next = query.offset + rows.len();
    AlertsPage {
        form: form_view,
        as_of: page.as_of.to_string(),
        kinds,
        total: page.total,
        next_href: (next < page.total).then(|| href(query.kind, next)),
        prev_href: (query.offset > 0).then(|| href(query.kind, query.offset.saturating_sub(PAGE))),
        xlsx_href: href(query.kind, 0).replacen("/alerts?", "/alerts.xlsx?", 1),
        rows,
        ctx,
    }
}

/// The warnings of `data`, in words.
pub(super) fn alert_rows(
    ctx: &PageContext,
    data: &AlertsData,
    catalog: &RegionCatalog,
) -> Vec<AlertRow> {
    data.page
        .items
        .iter()
        .map(|a| row(ctx, &data.names, catalog, a))
        .collect()
}

fn row(ctx: &PageContext, names: &Names, catalog: &RegionCatalog, a: &Alert) -> AlertRow {
    let tier = |t: &Option<String>| {
        t.as_deref()
            .map_or_else(String::new, |t| names.tier(ctx.lang, t))
    };
    let fill = |key: &str| {
        ctx.t(key)
            .replace("{tier}", &tier(&a.tier))
            .replace("{to}", &tier(&a.to_tier))
            .replace(
                "{certificate}",
                a.certificate.as_deref().unwrap_or_default(),
            )
            .replace("{days}", &a.days_left.unwrap_or(0).to_string())
            .replace("{date}", &a.date.map(|d| d.to_string()).unwrap_or_default())
            .replace(
                "{year}",
                &a.data_year.map(|y| y.to_string()).unwrap_or_default(),
            )
            .replace(
                "{margin}",
                &a.margin
                    .map(|m| format!("{:.1}", m * 100.0))
                    .unwrap_or_default(),
            )
    };
    let text = match a.kind {
        AlertKind::CertificateExpiring => fill("alerts.certificate_text"),
        AlertKind::MissingFigures => fill("alerts.missing_text"),
        AlertKind::NearLoss => fill("alerts.near_loss_text"),
        AlertKind::LeavesAtNewYear => {
            let change = if a.to_tier.is_some() {
                fill("alerts.leaves_to_text")
            } else {
                fill("alerts.leaves_text")
            };
            let cause = match a.cause {
                Some(LeaveCause::DataYearRollover) => fill("alerts.cause_rollover"),
                Some(LeaveCause::Age) => fill("alerts.cause_age"),
                Some(LeaveCause::Conditions) | None => fill("alerts.cause_conditions"),
            };
            format!("{change}{}{cause}", ctx.t("punct.colon"))
        }
    };
    AlertRow {
        kind: ctx.label("alert_kind", a.kind.as_str()),
        firm_id: a.firm_id.to_string(),
        name: a.name.clone(),
        district: district_name(catalog, ctx.lang, &a.region_code),
        held: a.held.iter().map(|t| names.tier(ctx.lang, t)).collect(),
        text,
        conditions: a
            .conditions
            .iter()
            .flat_map(|c| lines(ctx, names, c))
            .map(|l| l.text)
            .collect(),
        date: a.date.map(|d| d.to_string()).unwrap_or_default(),
    }
}
