//! Tier counts over time: the counts at the end of each month, quarter or year of a period,
//! each with the counts at the end of the day before its first day, so that the net change
//! of every interval is closing minus opening.
//!
//! Every point is an as-of answer of `tallies` (the per-day count table), so a series value
//! always equals `GET /tier-counts?as_of=<end>` and shares its stored answers.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::Counts;
use super::reports::{CountFilter, TierCounts};
use super::snapshot::SnapshotKey;
use super::target_plan::TierGroup;
use crate::domain::FieldError;
use crate::service::error::ServiceError;

/// The most points one series answers: five years by month, 15 by quarter, 60 by year. Each
/// point is one read of the per-day count table (or a stored answer), so the cap bounds a
/// request's cost.
pub const MAX_POINTS: usize = 60;

/// How long each point of a series spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interval {
    /// Calendar months.
    Month,
    /// Calendar quarters (January–March, …).
    Quarter,
    /// Calendar years.
    Year,
}

impl Interval {
    /// Parses the `interval` parameter.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "month" => Ok(Self::Month),
            "quarter" => Ok(Self::Quarter),
            "year" => Ok(Self::Year),
            other => Err(FieldError::new(
                "interval",
                "invalid_interval",
                format!("must be month, quarter or year, got {other:?}"),
            )),
        }
    }

    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
        }
    }

    fn months(self) -> u32 {
        match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        }
    }

    /// The first day of the calendar interval holding `day`.
    fn start_of(self, day: NaiveDate) -> NaiveDate {
        let month0 = day.month0() / self.months() * self.months();
        NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).unwrap_or(day)
    }

    /// The calendar intervals touching `[from, to]`, clipped to it (the first may start after
    /// its calendar start, the last end before its calendar end).
    pub fn spans(self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut spans = Vec::new();
        let mut start = self.start_of(from);
        while start <= to && spans.len() <= MAX_POINTS {
            let next = start.checked_add_months(Months::new(self.months()));
            let end = next
                .and_then(|n| n.checked_sub_days(Days::new(1)))
                .unwrap_or(to)
                .min(to);
            spans.push((start.max(from), end));
            match next {
                Some(n) => start = n,
                None => break,
            }
        }
        spans
    }
}

/// One interval of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPoint {
    /// First day counted (the interval's first day, or `from`).
    pub start: NaiveDate,
    /// Last day (the interval's last day, or `to`).
    pub end: NaiveDate,
    /// Counts at the end of `end`.
    pub closing: TierCounts,
    /// Counts at the end of the day before `start`.
    pub opening: TierCounts,
}

/// Counts at the end of each interval of `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierSeries {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Each point's span.
    pub interval: Interval,
    /// Oldest first.
    pub points: Vec<SeriesPoint>,
}

impl Counts<'_> {
    /// The counts at the end of each `interval` of `[from, to]` and at the end of the day
    /// before, with the snapshot key the answer belongs to. Refuses a reversed or future
    /// period and more than [`MAX_POINTS`] points, naming the field.
    #[tracing::instrument(skip_all, fields(from = %from, to = %to))]
    pub fn series_at(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        interval: Interval,
        filter: &CountFilter,
        groups: &[TierGroup],
    ) -> Result<(SnapshotKey, TierSeries), ServiceError> {
        if from > to {
            return Err(ServiceError::Validation(
                FieldError::new("from", "after_to", format!("{from} is after to ({to})")).into(),
            ));
        }
        super::tallies::not_in_future("to", to, self.registry.clock().today())?;
        let spans = interval.spans(from, to);
        if spans.len() > MAX_POINTS {
            return Err(ServiceError::Validation(
                FieldError::new(
                    "from",
                    "too_many_points",
                    format!(
                        "{from} to {to} by {} is more than {MAX_POINTS} points: \
                         shorten the period or use a longer interval",
                        interval.as_str()
                    ),
                )
                .into(),
            ));
        }
        let before = from.checked_sub_days(Days::new(1)).ok_or_else(|| {
            ServiceError::Validation(FieldError::new("from", "out_of_range", "is too early").into())
        })?;
        let (key, mut opening) = self.tiers_at(Some(before), filter, groups)?;
        let mut points = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            let (_, closing) = self.tiers_at(Some(end), filter, groups)?;
            points.push(SeriesPoint {
                start,
                end,
                opening: std::mem::replace(&mut opening, closing.clone()),
                closing,
            });
        }
        Ok((
            key,
            TierSeries {
                from,
                to,
                interval,
                points,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn spans_follow_the_calendar_and_are_clipped_to_the_period() {
        assert_eq!(
            Interval::Month.spans(d(2025, 1, 15), d(2025, 3, 10)),
            vec![
                (d(2025, 1, 15), d(2025, 1, 31)),
                (d(2025, 2, 1), d(2025, 2, 28)),
                (d(2025, 3, 1), d(2025, 3, 10)),
            ]
        );
        assert_eq!(
            Interval::Quarter.spans(d(2024, 5, 1), d(2024, 12, 31)),
            vec![
                (d(2024, 5, 1), d(2024, 6, 30)),
                (d(2024, 7, 1), d(2024, 9, 30)),
                (d(2024, 10, 1), d(2024, 12, 31)),
            ]
        );
        assert_eq!(
            Interval::Year.spans(d(2024, 3, 1), d(2024, 3, 1)),
            vec![(d(2024, 3, 1), d(2024, 3, 1))]
        );
    }

    #[test]
    fn a_long_period_stops_one_past_the_cap() {
        let spans = Interval::Month.spans(d(2000, 1, 1), d(2025, 12, 31));
        assert_eq!(spans.len(), MAX_POINTS + 1);
    }
}
