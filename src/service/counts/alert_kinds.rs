//! What an early warning says (`alerts`): its kinds and fields.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::FieldError;
use crate::rules::Explanation;

/// The longest certificate horizon asked for, in days.
pub const MAX_ALERT_DAYS: i64 = 366;
/// The widest near-loss margin asked for, in percent.
pub const MAX_ALERT_MARGIN_PERCENT: u32 = 50;
/// Defaults: certificates expiring within 90 days; rules passing by less than 10%.
pub const DEFAULT_ALERT_DAYS: i64 = 90;
/// See [`DEFAULT_ALERT_DAYS`].
pub const DEFAULT_ALERT_MARGIN_PERCENT: u32 = 10;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertKind {
    /// A high-tech certificate's cover ends soon.
    CertificateExpiring,
    /// A tier held today is lost on the coming 1 January.
    LeavesAtNewYear,
    /// The data year's figures are not recorded.
    MissingFigures,
    /// A tier held today passes by a small margin.
    NearLoss,
}

impl AlertKind {
    /// Every kind, in the order answers list them.
    pub const ALL: [Self; 4] = [
        Self::CertificateExpiring,
        Self::LeavesAtNewYear,
        Self::MissingFigures,
        Self::NearLoss,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CertificateExpiring => "certificate_expiring",
            Self::LeavesAtNewYear => "leaves_at_new_year",
            Self::MissingFigures => "missing_figures",
            Self::NearLoss => "near_loss",
        }
    }

    /// Parses the `kind` parameter.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "invalid_alert_kind",
                    format!(
                        "must be one of certificate_expiring, leaves_at_new_year, missing_figures, near_loss, got {raw:?}"
                    ),
                )
            })
    }
}

/// Why a tier is lost on 1 January.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveCause {
    /// The new data year's figures are not recorded yet.
    DataYearRollover,
    /// A founding-date condition stops holding.
    Age,
    /// Other conditions (a certificate ending, new rules in force).
    Conditions,
}

impl LeaveCause {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DataYearRollover => "data_year_rollover",
            Self::Age => "age",
            Self::Conditions => "conditions",
        }
    }
}

/// One warning about one firm.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// The firm.
    pub firm_id: Uuid,
    /// Its Chinese name.
    pub name: String,
    /// Its district.
    pub region_code: String,
    /// The tiers it holds today (tier ids, in track order of the ledger).
    pub held: Vec<String>,
    /// The track and tier concerned (leaving, near loss).
    pub track: Option<String>,
    /// See `track`.
    pub tier: Option<String>,
    /// The tier held in that track from 1 January (`leaves_at_new_year`; none: no tier).
    pub to_tier: Option<String>,
    /// The day it happens: the certificate cover's last day, or 1 January.
    pub date: Option<NaiveDate>,
    /// Days from today to `date`.
    pub days_left: Option<i64>,
    /// The certificate whose cover ends.
    pub certificate: Option<String>,
    /// The fiscal year whose figures are missing (or, leaving by rollover, the new data year).
    pub data_year: Option<i32>,
    /// Why the tier is lost (`leaves_at_new_year`).
    pub cause: Option<LeaveCause>,
    /// `near_loss`: the relative distance of the deciding comparison from its threshold.
    pub margin: Option<f64>,
    /// The deciding conditions: those failing on 1 January, or the one closest to failing.
    pub conditions: Vec<Explanation>,
}
