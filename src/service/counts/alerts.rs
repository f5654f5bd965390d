//! Early warnings (预警): the changes that will happen unless someone acts, found in one scan
//! of every active firm and kept per version of the data (like the near-miss lists).
//!
//! - `certificate_expiring`: the firm's high-tech certificate cover (a renewal that starts by
//!   the day after an expiry continues it) ends within the horizon asked for;
//! - `leaves_at_new_year`: a tier the firm holds today is not held on the coming 1 January
//!   under the rule set in force then, with today's facts: the data year rolls over (last
//!   year's figures stop counting) or the firm ages out of a founding-date condition;
//! - `missing_figures`: no figures for the data year the rule set in force reads today;
//! - `near_loss`: a tier held today whose rule passes by less than the margin asked for (the
//!   smallest relative distance of a deciding comparison from its threshold; yes/no facts and
//!   founding-date conditions have no margin: the latter are `leaves_at_new_year`).

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Datelike, NaiveDate};

use super::Counts;
use super::alert_kinds::{Alert, AlertKind, DEFAULT_ALERT_DAYS, DEFAULT_ALERT_MARGIN_PERCENT};
use super::alert_scan::{Sets, data_year, order};
use super::snapshot::DataVersion;
use crate::service::error::ServiceError;
use crate::storage;

/// Firms loaded per batch while scanning.
const BATCH: i64 = 2_000;

/// Which warnings to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertQuery {
    /// One kind, or all.
    pub kind: Option<AlertKind>,
    /// Only firms of this district.
    pub region: Option<String>,
    /// Certificates whose cover ends within this many days (1..=366).
    pub within_days: i64,
    /// Rules passing by less than this percentage (1..=50).
    pub margin_percent: u32,
    /// Warnings skipped.
    pub offset: usize,
    /// Warnings listed at most.
    pub limit: usize,
}

impl Default for AlertQuery {
    fn default() -> Self {
        Self {
            kind: None,
            region: None,
            within_days: DEFAULT_ALERT_DAYS,
            margin_percent: DEFAULT_ALERT_MARGIN_PERCENT,
            offset: 0,
            limit: 50,
        }
    }
}

/// A page of warnings with the count of each kind.
#[derive(Debug, Clone)]
pub struct AlertPage {
    /// The day the warnings are computed for.
    pub as_of: NaiveDate,
    /// The coming 1 January.
    pub new_year: NaiveDate,
    /// The data year the rule set in force reads today (none without rules).
    pub data_year: Option<i32>,
    /// Warnings of each kind matching the query's district and thresholds.
    pub totals: Vec<(AlertKind, usize)>,
    /// Warnings matching the whole query (the kind too).
    pub total: usize,
    /// The page asked for.
    pub items: Vec<Alert>,
}

/// Every warning of one data version, at the widest thresholds; queries filter it.
#[derive(Debug, Default)]
struct Scan {
    as_of: NaiveDate,
    new_year: NaiveDate,
    data_year: Option<i32>,
    alerts: Vec<Alert>,
}

impl Scan {
    fn page(&self, query: &AlertQuery) -> AlertPage {
        let shown = |a: &&Alert| {
            query.region.as_deref().is_none_or(|r| r == a.region_code)
                && match a.kind {
                    AlertKind::CertificateExpiring => {
                        a.days_left.is_some_and(|d| d <= query.within_days)
                    }
                    AlertKind::NearLoss => a
                        .margin
                        .is_some_and(|m| m * 100.0 < f64::from(query.margin_percent)),
                    AlertKind::LeavesAtNewYear | AlertKind::MissingFigures => true,
                }
        };
        let mut totals: Vec<(AlertKind, usize)> = AlertKind::ALL.iter().map(|k| (*k, 0)).collect();
        for a in self.alerts.iter().filter(shown) {
            if let Some(t) = totals.iter_mut().find(|(k, _)| *k == a.kind) {
                t.1 += 1;
            }
        }
        let selected = || {
            self.alerts
                .iter()
                .filter(shown)
                .filter(|a| query.kind.is_none_or(|k| k == a.kind))
        };
        AlertPage {
            as_of: self.as_of,
            new_year: self.new_year,
            data_year: self.data_year,
            totals,
            total: selected().count(),
            items: selected()
                .skip(query.offset)
                .take(query.limit)
                .cloned()
                .collect(),
        }
    }
}

/// The warnings of the latest data version this process has computed.
#[derive(Debug, Default)]
pub(crate) struct AlertCache {
    /// Held while a scan runs, so concurrent requests wait for one scan.
    state: Mutex<Option<(DataVersion, Arc<Scan>)>>,
}

impl Counts<'_> {
    /// The warnings matching `query`, as of today: computed in one scan of every firm per
    /// version of the data (ledger, rules, date, the newest audit entry) and kept.
    #[tracing::instrument(skip_all)]
    pub fn alerts(&self, query: &AlertQuery) -> Result<AlertPage, ServiceError> {
        let version = self.version()?;
        let cache = self.registry.alert_cache();
        let mut state = cache.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cached, scan)) = state.as_ref()
            && cached == &version
        {
            metrics::counter!("alert_cache_total", "outcome" => "hit").increment(1);
            return Ok(scan.page(query));
        }
        metrics::counter!("alert_cache_total", "outcome" => "miss").increment(1);
        let scan = Arc::new(self.scan(version.key.today)?);
        *state = Some((version, scan.clone()));
        Ok(scan.page(query))
    }

    fn scan(&self, today: NaiveDate) -> Result<Scan, ServiceError> {
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let new_year = NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).unwrap_or(today);
        let Some(now) = library.in_force(today) else {
            return Ok(Scan {
                as_of: today,
                new_year,
                ..Scan::default()
            });
        };
        let sets = Sets {
            today,
            now,
            new_year,
            next: library.in_force(new_year),
            eve: new_year.pred_opt().and_then(|d| library.in_force(d)),
            catalog: self.registry.catalog(),
        };
        let mut alerts = Vec::new();
        let mut after = None;
        loop {
            let batch = storage::load_batch(&mut conn, after, BATCH)?;
            let Some(last) = batch.last() else { break };
            after = Some(last.firm.id);
            for item in &batch {
                sets.scan_firm(item, &mut alerts);
            }
        }
        alerts.sort_by(order);
        Ok(Scan {
            as_of: today,
            new_year,
            data_year: Some(data_year(now, today)),
            alerts,
        })
    }
}
