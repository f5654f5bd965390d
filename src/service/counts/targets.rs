//! Progress against the year's targets: actual figures, pace through the year, status and the
//! firms closest to entering each target's tier.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::Counts;
use super::near_miss::NearMissRequest;
use super::reports::{TargetProgress, TargetStatus};
use super::snapshot::DataVersion;
use super::target_firms::recruitments;
use super::target_plan::{Target, TargetKind, TargetPlan};
use crate::domain::{FieldError, date_in_shanghai};
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::storage::{self, BucketCount, DbConnection};

/// The tiers a target counts: a group's, or the one tier, if the rule set has them.
fn subject_tiers(plan: &TargetPlan, set: &RuleSet, subject: &str) -> Vec<String> {
    let known = |tier: &str| {
        set.tracks()
            .iter()
            .any(|t| t.tiers.iter().any(|x| x.id == tier))
    };
    let wanted: Vec<String> = match plan.group(subject) {
        Some(group) => group.tiers.clone(),
        None => vec![subject.to_owned()],
    };
    wanted.into_iter().filter(|t| known(t)).collect()
}

/// Firms in `tiers` (and `region`) among bucket counts.
fn stock(buckets: &[BucketCount], tiers: &[String], region: Option<&str>) -> i64 {
    buckets
        .iter()
        .filter(|b| tiers.contains(&b.tier) && region.is_none_or(|r| r == b.region_code))
        .map(|b| b.firms)
        .sum()
}

/// Events in the period that brought a firm into `tiers` from outside them.
fn arrivals(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    tiers: &[String],
    region: Option<&str>,
) -> Result<i64, ServiceError> {
    Ok(storage::transitions(conn, from, to)?
        .iter()
        .filter(|e| region.is_none_or(|r| r == e.region_code))
        .filter(|e| e.to_tier.as_ref().is_some_and(|t| tiers.contains(t)))
        .filter(|e| e.from_tier.as_ref().is_none_or(|t| !tiers.contains(t)))
        .map(|e| e.events)
        .sum())
}

/// Rounds a ratio for display; exact comparisons use the integers.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The days a target year is measured over.
struct YearSpan {
    start: NaiveDate,
    /// The last day counted: the end of the year, or today within it.
    as_of: NaiveDate,
    /// The end of the previous year, whose counts are the opening stock.
    opening_day: NaiveDate,
    /// Share of the year elapsed by `as_of` (0 before the year starts).
    fraction: f64,
    /// Whether the year is over (today is after 31 December).
    closed: bool,
}

impl YearSpan {
    fn of(year: i32, today: NaiveDate) -> Result<Self, ServiceError> {
        let bad_year = || {
            ServiceError::Validation(
                FieldError::new("year", "out_of_range", "must be between 2000 and 2100").into(),
            )
        };
        if !(2000..=2100).contains(&year) {
            return Err(bad_year());
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad_year)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad_year)?;
        let as_of = end.min(today);
        let opening_day = start.pred_opt().ok_or_else(bad_year)?;
        let fraction = if as_of < start {
            0.0
        } else {
            ((as_of - start).num_days() + 1) as f64 / ((end - start).num_days() + 1) as f64
        };
        Ok(Self {
            start,
            as_of,
            opening_day,
            fraction,
            closed: today > end,
        })
    }
}

/// Where the ledger's record of a year begins: complete from 1 January, or only from its
/// first day when that lies inside the year (the registry was loaded then: the initial load
/// is the stock on that day, not growth).
struct History<'a> {
    /// The ledger's first day, when after the opening day.
    from: Option<NaiveDate>,
    /// The first day whose changes count.
    counted_from: NaiveDate,
    /// The counts at the end of the day before `counted_from`.
    opening: &'a [BucketCount],
}

/// A target the rule set in force cannot measure: it has no tier or group of that name.
fn not_tracked(
    target: &Target,
    tiers: Vec<String>,
    span: &YearSpan,
    history: &History,
) -> TargetProgress {
    TargetProgress {
        target: target.clone(),
        tiers,
        as_of: span.as_of,
        actual: None,
        progress: None,
        expected_progress: round4(span.fraction),
        status: TargetStatus::NotTracked,
        closed: span.closed,
        history_from: history.from,
        counted_from: history.counted_from,
        note: Some(format!(
            "the rule set in force has no tier or group {:?}; publish a rule set with it to track this target",
            target.subject
        )),
        near_misses: Vec::new(),
    }
}

/// A target's figure against the year's counts: the opening stock (`history.opening`) and
/// the counts on `as_of` (`closing`).
fn measure(
    conn: &mut DbConnection,
    target: &Target,
    tiers: Vec<String>,
    span: &YearSpan,
    history: &History,
    closing: &[BucketCount],
) -> Result<TargetProgress, ServiceError> {
    let region = target.region.as_deref();
    let fraction = span.fraction;
    let open = stock(history.opening, &tiers, region);
    // Nothing is recorded by the measuring day: no figure at all.
    let unrecorded = history.from.is_some_and(|day| day > span.as_of);
    let (actual, expected, note) = match target.kind {
        TargetKind::Stock => {
            // Linear from the stock at the start of the year to the target figure.
            let value = target.value as f64;
            let expected = (open as f64 + (value - open as f64) * fraction) / value;
            (
                stock(closing, &tiers, region),
                expected,
                "firms holding the tier on as_of",
            )
        }
        TargetKind::NetIncrease => (
            stock(closing, &tiers, region) - open,
            fraction,
            "count on as_of minus the count at the end of the day before counted_from",
        ),
        TargetKind::Flow => (
            arrivals(conn, history.counted_from, span.as_of, &tiers, region)?,
            fraction,
            "firms that came into the tier from outside it from counted_from to as_of",
        ),
        TargetKind::Recruited => (
            recruitments(
                conn,
                &tiers,
                region,
                span.start,
                history.counted_from,
                span.as_of,
            )?
            .len() as i64,
            fraction,
            "firms that came into the tier from counted_from to as_of after registering in the city or moving into it that year, each once",
        ),
    };
    let progress = actual as f64 / target.value as f64;
    let met = target.comparison.holds(actual, target.value);
    let status = if unrecorded {
        TargetStatus::IncompleteHistory
    } else if history.from.is_some() && target.kind != TargetKind::Stock {
        // A partial flow that already meets the figure is met whatever came before; a
        // partial net increase could go either way.
        if met && target.kind != TargetKind::NetIncrease {
            TargetStatus::Met
        } else {
            TargetStatus::IncompleteHistory
        }
    } else if met {
        TargetStatus::Met
    } else if span.closed {
        TargetStatus::Missed
    } else if progress >= expected {
        TargetStatus::OnTrack
    } else {
        TargetStatus::Behind
    };
    let (actual, progress) = if unrecorded {
        (None, None)
    } else {
        (Some(actual), Some(round4(progress)))
    };
    Ok(TargetProgress {
        target: target.clone(),
        tiers,
        as_of: span.as_of,
        actual,
        progress,
        expected_progress: round4(expected),
        status,
        closed: span.closed,
        history_from: history.from,
        counted_from: history.counted_from,
        note: Some(note.to_owned()),
        near_misses: Vec::new(),
    })
}

impl Counts<'_> {
    /// Every target of `year` (default this year) with its standing as of today, and, with
    /// `with_near_misses`, the firms closest to each target not yet met (computed once per
    /// version of the data and kept: see `near_miss_cache`).
    pub fn targets(
        &self,
        plan: &TargetPlan,
        year: Option<i32>,
        with_near_misses: bool,
    ) -> Result<Vec<TargetProgress>, ServiceError> {
        Ok(self
            .targets_at(plan, year, with_near_misses)?
            .1
            .as_ref()
            .clone())
    }

    /// `targets` with the data version it belongs to; computed once per version of the data
    /// (ledger, rules, date and the newest audit entry) and kept.
    #[tracing::instrument(skip_all, fields(year = ?year))]
    pub(crate) fn targets_at(
        &self,
        plan: &TargetPlan,
        year: Option<i32>,
        with_near_misses: bool,
    ) -> Result<(DataVersion, Arc<Vec<TargetProgress>>), ServiceError> {
        let today = self.registry.clock().today();
        let year = year.unwrap_or(today.year());
        let span = YearSpan::of(year, today)?;
        let version = self.version()?;
        let snapshot = self.registry.counts_snapshot();
        if let Some(found) = snapshot.targets(&version, year, with_near_misses, plan) {
            return Ok((version, found));
        }
        let answer =
            Arc::new(self.compute_targets(plan, year, &span, with_near_misses, &version)?);
        snapshot.keep_targets(&version, year, with_near_misses, plan, answer.clone());
        Ok((version, answer))
    }

    fn compute_targets(
        &self,
        plan: &TargetPlan,
        year: i32,
        span: &YearSpan,
        with_near_misses: bool,
        version: &DataVersion,
    ) -> Result<Vec<TargetProgress>, ServiceError> {
        let today = version.key.today;
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let set = library.in_force(today).cloned();
        let closing = storage::counts_as_of(&mut conn, span.as_of, None, None)?;
        let (first_event, first_publication) = storage::history_start(&mut conn)?;
        let first_day = first_event
            .into_iter()
            .chain(first_publication.map(date_in_shanghai))
            .min()
            .filter(|d| *d > span.opening_day);
        // With the ledger starting inside the year, its first day is the opening stock.
        let opening_day = first_day.map_or(span.opening_day, |d| d.min(span.as_of));
        let opening = storage::counts_as_of(&mut conn, opening_day, None, None)?;
        let history = History {
            from: first_day,
            counted_from: opening_day.succ_opt().unwrap_or(opening_day),
            opening: &opening,
        };

        let mut out = Vec::new();
        // Which near-miss list each target wants (targets on one subject share one).
        let mut wanted: Vec<Option<NearMissRequest>> = Vec::new();
        for target in plan.targets.iter().filter(|t| t.year == year) {
            let tiers = set
                .as_ref()
                .map(|s| subject_tiers(plan, s, &target.subject))
                .unwrap_or_default();
            if set.is_none() || tiers.is_empty() {
                out.push(not_tracked(target, tiers, span, &history));
                wanted.push(None);
                continue;
            }
            let progress = measure(&mut conn, target, tiers, span, &history, &closing)?;
            wanted.push(
                (with_near_misses && progress.status != TargetStatus::Met)
                    .then(|| (progress.tiers.clone(), target.region.clone())),
            );
            out.push(progress);
        }
        if let Some(set) = set.as_ref() {
            self.attach_near_misses(&mut conn, set, version, &mut out, &wanted)?;
        }
        Ok(out)
    }

    /// Fills in the near-miss list each target wants (`wanted`, in the order of `out`).
    fn attach_near_misses(
        &self,
        conn: &mut DbConnection,
        set: &RuleSet,
        version: &DataVersion,
        out: &mut [TargetProgress],
        wanted: &[Option<NearMissRequest>],
    ) -> Result<(), ServiceError> {
        let mut requests: Vec<NearMissRequest> = wanted.iter().flatten().cloned().collect();
        requests.sort();
        requests.dedup();
        let lists = self.registry.near_miss_cache().lists(
            conn,
            set,
            self.registry.catalog(),
            version,
            &requests,
        )?;
        for (progress, want) in out.iter_mut().zip(wanted) {
            if let Some(want) = want
                && let Ok(i) = requests.binary_search(want)
            {
                progress.near_misses = lists[i].as_ref().clone();
            }
        }
        Ok(())
    }
}
