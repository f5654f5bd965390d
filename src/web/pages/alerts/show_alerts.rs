use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::view::{AlertsData, alerts_view};
use crate::domain::{FieldError, Role};
use crate::service::{
    AlertKind, AlertQuery, DEFAULT_ALERT_DAYS, DEFAULT_ALERT_MARGIN_PERCENT, MAX_ALERT_DAYS,
    MAX_ALERT_MARGIN_PERCENT, Registry,
};
use crate::web::form::parse_int;
use crate::web::pages::shared::{blocking, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Warnings listed per page.
pub(super) const PAGE: usize = 50;

/// The filters, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct AlertsForm {
    #[serde(default)]
    pub(super) alert_kind: String,
    #[serde(default)]
    pub(super) region: String,
    #[serde(default)]
    pub(super) within_days: String,
    #[serde(default)]
    pub(super) margin_percent: String,
    #[serde(default)]
    pub(super) offset: String,
}

/// The query the form asks for, and the errors of what cannot be read (those fields fall back
/// to their defaults, and the errors show beside them).
pub(super) fn query_of(form: &AlertsForm) -> (AlertQuery, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut bounded = |field: &str, raw: &str, default: i64, max: i64| {
        match parse_int(field, raw) {
            Ok(None) => Some(default),
            Ok(Some(n)) if (1..=max).contains(&n) => Some(n),
            Ok(Some(_)) => {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("must be between 1 and {max}"),
                ));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        }
        .unwrap_or(default)
    };
    let within_days = bounded(
        "within_days",
        &form.within_days,
        DEFAULT_ALERT_DAYS,
        MAX_ALERT_DAYS,
    );
    let margin_percent = bounded(
        "margin_percent",
        &form.margin_percent,
        i64::from(DEFAULT_ALERT_MARGIN_PERCENT),
        i64::from(MAX_ALERT_MARGIN_PERCENT),
    )
    .unsigned_abs() as u32;
    let kind = match form.alert_kind.trim() {
        "" => None,
        raw => AlertKind::parse(raw)
            .map_err(|mut e| {
                e.field = "alert_kind".into();
                errors.push(e);
            })
            .ok(),
    };
    let region = Some(form.region.trim())
        .filter(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned);
    let query = AlertQuery {
        kind,
        region,
        within_days,
        margin_percent,
        offset: form.offset.trim().parse().unwrap_or(0),
        limit: PAGE,
    };
    (query, errors)
}

/// `GET /alerts`: the warnings of today, by kind, a page at a time, each linking to its firm.
#[tracing::instrument(name = "web.show_alerts", skip_all)]
pub async fn show_alerts(
    ctx: PageContext,
    registry: web::Data<Registry>,
    form: web::Query<AlertsForm>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let form = form.into_inner();
    let (query, errors) = query_of(&form);
    let ask = query.clone();
    let data = blocking(&registry, move |r| {
        Ok(AlertsData {
            page: r.counts().alerts(&ask)?,
            names: names(r)?,
        })
    })
    .await??;
    ok(&alerts_view(
        ctx,
        &form,
        &query,
        &errors,
        &data,
        registry.catalog(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threshold_out_of_range_is_a_field_error_and_falls_back_to_the_default() {
        let form = AlertsForm {
            alert_kind: "near_loss".into(),
            region: "320412".into(),
            within_days: "400".into(),
            margin_percent: "abc".into(),
            offset: "50".into(),
        };
        let (query, errors) = query_of(&form);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["within_days", "margin_percent"]);
        assert_eq!(query.within_days, DEFAULT_ALERT_DAYS);
        assert_eq!(query.margin_percent, DEFAULT_ALERT_MARGIN_PERCENT);
        assert_eq!(query.kind, Some(AlertKind::NearLoss));
        assert_eq!(query.region.as_deref(), Some("320412"));
        assert_eq!(query.offset, 50);
    }

    #[test]
    fn an_unknown_kind_is_named_as_the_form_field() {
        let form = AlertsForm {
            alert_kind: "nonsense".into(),
            ..AlertsForm::default()
        };
        let (query, errors) = query_of(&form);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "alert_kind");
        assert_eq!(query.kind, None);
    }
}
