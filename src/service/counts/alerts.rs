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

use std::cmp::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::Counts;
use super::near_miss::{failing_conditions, relative_gap};
use super::snapshot::DataVersion;
use crate::domain::{CertificateKind, Dossier, FieldError, FirmStatus, RegionCatalog};
use crate::rules::{self, EvalContext, Explanation, Outcome, RuleSet};
use crate::service::error::ServiceError;
use crate::storage::{self, FirmForClassification};

/// The longest certificate horizon asked for, in days.
pub const MAX_ALERT_DAYS: i64 = 366;
/// The widest near-loss margin asked for, in percent.
pub const MAX_ALERT_MARGIN_PERCENT: u32 = 50;
/// Defaults: certificates expiring within 90 days; rules passing by less than 10%.
pub const DEFAULT_ALERT_DAYS: i64 = 90;
/// See [`DEFAULT_ALERT_DAYS`].
pub const DEFAULT_ALERT_MARGIN_PERCENT: u32 = 10;
/// Firms loaded per batch while scanning.
const BATCH: i64 = 2_000;
/// Conditions on the founding date: predictable, reported as leaving at the new year.
const AGE_METRICS: [&str; 3] = ["years_since_founding", "days_since_founding", "founded_year"];

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

/// Listing order: by kind, then the most urgent first, then by name.
fn order(a: &Alert, b: &Alert) -> Ordering {
    let urgency = |x: &Alert| match x.kind {
        AlertKind::CertificateExpiring => x.days_left.unwrap_or(i64::MAX) as f64,
        AlertKind::NearLoss => x.margin.unwrap_or(f64::MAX),
        // Firms holding a tier first: their tiers are what the missing figures put at risk.
        AlertKind::MissingFigures => f64::from(u8::from(x.held.is_empty())),
        AlertKind::LeavesAtNewYear => 0.0,
    };
    a.kind
        .cmp(&b.kind)
        .then(urgency(a).total_cmp(&urgency(b)))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.tier.cmp(&b.tier))
}

fn data_year(set: &RuleSet, day: NaiveDate) -> i32 {
    day.year() - set.data_year_offset()
}

fn has_year(dossier: &Dossier, year: i32) -> bool {
    dossier.years.iter().any(|y| y.fiscal_year == year)
}

/// The rule sets and days one scan compares.
struct Sets<'a> {
    today: NaiveDate,
    now: &'a RuleSet,
    new_year: NaiveDate,
    next: Option<&'a RuleSet>,
    /// The set in force on 31 December.
    eve: Option<&'a RuleSet>,
    catalog: &'a RegionCatalog,
}

impl Sets<'_> {
    fn scan_firm(&self, item: &FirmForClassification, out: &mut Vec<Alert>) {
        let profile = &item.firm.profile;
        if profile.status != FirmStatus::Active {
            return;
        }
        let alert = |kind| Alert {
            kind,
            firm_id: item.firm.id,
            name: profile.name.clone(),
            region_code: profile.region_code.as_str().to_owned(),
            held: item.current.iter().map(|c| c.tier.clone()).collect(),
            track: None,
            tier: None,
            to_tier: None,
            date: None,
            days_left: None,
            certificate: None,
            data_year: None,
            cause: None,
            margin: None,
            conditions: Vec::new(),
        };
        if let Some((end, number)) = certificate_cover_end(&item.dossier, self.today) {
            let days = (end - self.today).num_days();
            if days <= MAX_ALERT_DAYS {
                out.push(Alert {
                    date: Some(end),
                    days_left: Some(days),
                    certificate: Some(number),
                    ..alert(AlertKind::CertificateExpiring)
                });
            }
        }
        let year = data_year(self.now, self.today);
        if !has_year(&item.dossier, year) {
            out.push(Alert {
                data_year: Some(year),
                ..alert(AlertKind::MissingFigures)
            });
        }
        if item.current.is_empty() {
            return;
        }
        self.leaving(item, &alert, out);
        self.near_loss(item, &alert, out);
    }

    /// Tiers held today and not on 1 January, with today's facts and that day's rules.
    fn leaving(
        &self,
        item: &FirmForClassification,
        alert: &dyn Fn(AlertKind) -> Alert,
        out: &mut Vec<Alert>,
    ) {
        let Some(next) = self.next else { return };
        let ctx = EvalContext::new(self.new_year, self.catalog);
        let tiers = rules::classify(next, &item.dossier, &ctx);
        // A tier lost before the new year (a certificate ending in the autumn) is not lost
        // *at* it: only tiers still held on 31 December are reported.
        let eve = self.new_year.pred_opt().unwrap_or(self.today);
        let before = self
            .eve
            .map(|set| (set, rules::classify(set, &item.dossier, &EvalContext::new(eve, self.catalog))));
        let mut explained = None;
        for held in &item.current {
            let rank_in = |set: &RuleSet, tiers: &rules::Tiers| {
                let track = set.track_index(&held.track)?;
                let own = set.tracks()[track].tiers.iter().position(|x| x.id == held.tier)?;
                Some((own, tiers.get(track)))
            };
            if let Some((set, eve_tiers)) = &before
                && !matches!(rank_in(set, eve_tiers), Some((own, Some(k))) if k >= own)
            {
                continue;
            }
            let track = next.track_index(&held.track);
            if matches!(rank_in(next, &tiers), Some((own, Some(k))) if k >= own) {
                continue;
            }
            let then = track.and_then(|t| tiers.get(t));
            let assessment =
                explained.get_or_insert_with(|| rules::evaluate(next, &item.dossier, &ctx));
            let conditions = assessment
                .tracks
                .iter()
                .filter(|t| t.track == held.track)
                .flat_map(|t| t.tiers.iter())
                .find(|t| t.tier == held.tier)
                .map(|t| failing_conditions(&t.rule))
                .unwrap_or_default();
            let new_data_year = data_year(next, self.new_year);
            let missing = conditions.iter().any(|c| c.outcome() == Outcome::Missing);
            let cause = if conditions.iter().any(is_age) {
                LeaveCause::Age
            } else if missing && !has_year(&item.dossier, new_data_year) {
                LeaveCause::DataYearRollover
            } else {
                LeaveCause::Conditions
            };
            out.push(Alert {
                track: Some(held.track.clone()),
                tier: Some(held.tier.clone()),
                to_tier: track
                    .zip(then)
                    .map(|(t, k)| next.tracks()[t].tiers[k].id.clone()),
                date: Some(self.new_year),
                days_left: Some((self.new_year - self.today).num_days()),
                data_year: (cause == LeaveCause::DataYearRollover).then_some(new_data_year),
                cause: Some(cause),
                conditions,
                ..alert(AlertKind::LeavesAtNewYear)
            });
        }
    }

    /// Tiers held today whose rule passes by a small margin.
    fn near_loss(
        &self,
        item: &FirmForClassification,
        alert: &dyn Fn(AlertKind) -> Alert,
        out: &mut Vec<Alert>,
    ) {
        let ctx = EvalContext::new(self.today, self.catalog);
        let assessment = rules::evaluate(self.now, &item.dossier, &ctx);
        for held in &item.current {
            let Some(tier) = assessment
                .tracks
                .iter()
                .filter(|t| t.track == held.track)
                .flat_map(|t| t.tiers.iter())
                .find(|t| t.tier == held.tier)
            else {
                continue;
            };
            let Some((m, node)) = margin(&tier.rule) else {
                continue;
            };
            if m * 100.0 < f64::from(MAX_ALERT_MARGIN_PERCENT) {
                out.push(Alert {
                    track: Some(held.track.clone()),
                    tier: Some(held.tier.clone()),
                    margin: Some((m * 10_000.0).round() / 10_000.0),
                    conditions: vec![node],
                    ..alert(AlertKind::NearLoss)
                });
            }
        }
    }
}

/// The last day of the firm's unbroken high-tech certificate cover from `today` (a renewal
/// starting by the day after an expiry continues it) and the number of the certificate that
/// ends it; none without a certificate valid today.
fn certificate_cover_end(dossier: &Dossier, today: NaiveDate) -> Option<(NaiveDate, String)> {
    let held: Vec<_> = dossier
        .certificates
        .iter()
        .filter(|c| c.kind == CertificateKind::HighTech)
        .collect();
    let mut last = *held
        .iter()
        .filter(|c| c.is_valid_on(today))
        .max_by_key(|c| c.expires_on)?;
    while let Some(next) = held
        .iter()
        .filter(|c| c.expires_on > last.expires_on)
        .filter(|c| last.expires_on.succ_opt().is_some_and(|d| c.issued_on <= d))
        .max_by_key(|c| c.expires_on)
    {
        last = next;
    }
    Some((last.expires_on, last.number.clone()))
}

fn is_age(node: &Explanation) -> bool {
    matches!(node, Explanation::Comparison { metric, .. } if AGE_METRICS.contains(&metric.as_str()))
}

/// How far a passing rule is from failing: the smallest relative margin of the comparisons
/// it needs (an `all` is as safe as its weakest item, an `any` as its safest passing item),
/// with the comparison that decides it. None when nothing measurable decides it.
fn margin(node: &Explanation) -> Option<(f64, Explanation)> {
    if node.outcome() != Outcome::Pass {
        return None;
    }
    match node {
        Explanation::Comparison {
            threshold, actual, ..
        } if !is_age(node) => {
            relative_gap(threshold, actual.as_deref()).map(|g| (g, node.clone()))
        }
        Explanation::All { items, .. } => items
            .iter()
            .filter_map(margin)
            .min_by(|a, b| a.0.total_cmp(&b.0)),
        Explanation::Any { items, .. } => {
            let passing: Vec<_> = items.iter().filter(|i| i.outcome() == Outcome::Pass).collect();
            // A passing item with nothing measurable (a yes/no fact) keeps the tier safe.
            let margins: Option<Vec<_>> = passing.iter().map(|i| margin(i)).collect();
            margins?.into_iter().max_by(|a, b| a.0.total_cmp(&b.0))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Certificate;
    use crate::rules::Op;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn comparison(metric: &str, threshold: &str, actual: &str, outcome: Outcome) -> Explanation {
        Explanation::Comparison {
            metric: metric.into(),
            op: Op::Ge,
            threshold: threshold.into(),
            actual: Some(actual.into()),
            outcome,
            text: format!("{metric} {actual} vs {threshold}"),
            gap: None,
        }
    }

    #[test]
    fn an_all_is_as_safe_as_its_weakest_comparison_and_an_any_as_its_safest_branch() {
        let weak = comparison("revenue", "¥100,000,000", "¥105,000,000", Outcome::Pass);
        let strong = comparison("rd_ratio", "3%", "6%", Outcome::Pass);
        let all = Explanation::All {
            label: None,
            outcome: Outcome::Pass,
            items: vec![weak.clone(), strong.clone()],
        };
        let (m, node) = margin(&all).expect("measurable");
        assert!((m - 0.05).abs() < 1e-9);
        assert_eq!(node, weak);
        let failing = comparison("revenue", "¥100,000,000", "¥50,000,000", Outcome::Fail);
        let any = Explanation::Any {
            label: None,
            outcome: Outcome::Pass,
            items: vec![all.clone(), strong.clone(), failing],
        };
        // The firm keeps the tier through the safer branch (rd_ratio 100% above its bound).
        assert_eq!(margin(&any).map(|(m, _)| m), Some(1.0));
        // An age condition is never a margin: it is the new year's warning.
        let age = comparison("years_since_founding", "9", "9", Outcome::Pass);
        assert_eq!(margin(&age), None);
    }

    fn certificate(number: &str, from: &str, to: &str) -> Certificate {
        Certificate {
            id: None,
            kind: CertificateKind::HighTech,
            number: number.into(),
            issued_on: day(from),
            expires_on: day(to),
        }
    }

    #[test]
    fn a_renewal_starting_the_day_after_an_expiry_continues_the_cover() {
        let mut dossier = crate::rules::tests::support::firm("2015-03-01");
        dossier.certificates = vec![certificate("GR1", "2024-01-10", "2027-01-09")];
        let today = day("2026-12-01");
        assert_eq!(
            certificate_cover_end(&dossier, today),
            Some((day("2027-01-09"), "GR1".into()))
        );
        dossier
            .certificates
            .push(certificate("GR2", "2027-01-10", "2030-01-09"));
        assert_eq!(
            certificate_cover_end(&dossier, today),
            Some((day("2030-01-09"), "GR2".into()))
        );
        // A gap of a day breaks the cover.
        dossier.certificates[1] = certificate("GR2", "2027-01-11", "2030-01-10");
        assert_eq!(
            certificate_cover_end(&dossier, today).map(|c| c.0),
            Some(day("2027-01-09"))
        );
        assert_eq!(certificate_cover_end(&dossier, day("2027-01-10")).map(|c| c.0), None);
    }
}
