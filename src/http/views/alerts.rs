//! Early warnings on the wire.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::rules::Explanation;
use crate::service::{Alert, AlertPage};

/// One warning about one firm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlertResponse {
    /// `certificate_expiring`, `leaves_at_new_year`, `missing_figures` or `near_loss`.
    pub kind: String,
    /// The firm.
    pub firm_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its district.
    pub region_code: String,
    /// The tiers it holds today.
    pub held: Vec<String>,
    /// The track concerned (`leaves_at_new_year`, `near_loss`).
    pub track: Option<String>,
    /// The tier concerned (`leaves_at_new_year`, `near_loss`).
    pub tier: Option<String>,
    /// `leaves_at_new_year`: the tier held in that track from 1 January (null: none).
    pub to_tier: Option<String>,
    /// The day it happens: the certificate cover's last day, or 1 January.
    pub date: Option<NaiveDate>,
    /// Days from today to `date`.
    pub days_left: Option<i64>,
    /// `certificate_expiring`: the number of the certificate whose cover ends (a renewal that
    /// starts by the next day continues the cover).
    pub certificate: Option<String>,
    /// The fiscal year whose figures are missing (`missing_figures`; `leaves_at_new_year` by
    /// data-year rollover).
    pub data_year: Option<i32>,
    /// `leaves_at_new_year`: `data_year_rollover`, `age` or `conditions`.
    pub cause: Option<String>,
    /// `near_loss`: how far the deciding comparison is from its threshold, relative to it
    /// (0.04 = 4%).
    pub margin: Option<f64>,
    /// The deciding conditions as the explanation states them: failing on 1 January, or the
    /// comparison closest to failing.
    pub conditions: Vec<String>,
    /// The firm (`GET /firms/{id}`); its assessment explains every condition.
    pub firm_url: String,
}

fn text(node: &Explanation) -> String {
    match node {
        Explanation::Comparison { text, .. } | Explanation::Requires { text, .. } => text.clone(),
        Explanation::All { label, .. }
        | Explanation::Any { label, .. }
        | Explanation::Not { label, .. } => label.clone().unwrap_or_else(|| "a condition".into()),
    }
}

impl From<&Alert> for AlertResponse {
    fn from(a: &Alert) -> Self {
        Self {
            kind: a.kind.as_str().to_owned(),
            firm_id: a.firm_id,
            name: a.name.clone(),
            region_code: a.region_code.clone(),
            held: a.held.clone(),
            track: a.track.clone(),
            tier: a.tier.clone(),
            to_tier: a.to_tier.clone(),
            date: a.date,
            days_left: a.days_left,
            certificate: a.certificate.clone(),
            data_year: a.data_year,
            cause: a.cause.map(|c| c.as_str().to_owned()),
            margin: a.margin,
            conditions: a.conditions.iter().map(text).collect(),
            firm_url: format!("/api/v1/firms/{}", a.firm_id),
        }
    }
}

/// A page of warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlertsResponse {
    /// The day the warnings are computed for (today).
    pub as_of: NaiveDate,
    /// The coming 1 January.
    pub new_year: NaiveDate,
    /// The data year the rule set in force reads today.
    pub data_year: Option<i32>,
    /// Certificates whose cover ends within this many days are listed.
    pub within_days: i64,
    /// Tiers whose rule passes by less than this percentage are listed.
    pub margin_percent: u32,
    /// Warnings of each kind (in the district asked for, at these thresholds).
    pub totals: BTreeMap<String, usize>,
    /// Warnings matching the whole query.
    pub total: usize,
    /// The offset of the next page, if any.
    pub next_offset: Option<usize>,
    /// This page.
    pub items: Vec<AlertResponse>,
}

impl AlertsResponse {
    /// The page at `offset` answered with the thresholds it was asked with.
    pub fn new(page: &AlertPage, offset: usize, within_days: i64, margin_percent: u32) -> Self {
        let next = offset.saturating_add(page.items.len());
        Self {
            as_of: page.as_of,
            new_year: page.new_year,
            data_year: page.data_year,
            within_days,
            margin_percent,
            totals: page
                .totals
                .iter()
                .map(|(k, n)| (k.as_str().to_owned(), *n))
                .collect(),
            total: page.total,
            next_offset: (next < page.total).then_some(next),
            items: page.items.iter().map(AlertResponse::from).collect(),
        }
    }
}
