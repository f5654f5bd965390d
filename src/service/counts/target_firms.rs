//! Drill-down from a target: the firms its figure counts (with the event that counts them),
//! and its near-miss list (the one `targets` keeps, not computed again).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::Counts;
use super::reports::TargetProgress;
use super::target_plan::{TargetKind, TargetPlan};
use crate::domain::TierEvent;
use crate::service::error::ServiceError;
use crate::storage::{self, DbConnection, EventRow};

/// A firm a target's figure counts.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFirm {
    /// The firm.
    pub firm_id: Uuid,
    /// Its Chinese name (empty if the firm row is gone).
    pub name: String,
    /// The tier it holds (stock), came into (arrivals) or left (departures).
    pub tier: String,
    /// Its district when counted.
    pub region_code: String,
    /// What it adds to the figure: 1, or −1 for a departure from a net-increase target.
    pub counts: i64,
    /// The event that counts it: for a stock, the last event before the measuring day (how
    /// it came to hold the tier); for a flow or net increase, the arrival or departure.
    pub event: TierEvent,
}

/// A page of a target's firms.
#[derive(Debug, Clone)]
pub struct TargetFirms {
    /// The target and how it stands.
    pub progress: TargetProgress,
    /// How many entries in all; their `counts` add up to the target's actual figure.
    pub total: usize,
    /// The page asked for.
    pub items: Vec<TargetFirm>,
}

/// For each firm and track, the last event touching `tiers`: the tier held at the end.
fn holders(events: Vec<EventRow>, tiers: &[String], region: Option<&str>) -> Vec<EventRow> {
    let mut last: HashMap<(String, String), EventRow> = HashMap::new();
    for e in events {
        last.insert((e.firm_id.clone(), e.track.clone()), e);
    }
    let mut held: Vec<EventRow> = last
        .into_values()
        .filter(|e| e.to_tier.as_ref().is_some_and(|t| tiers.contains(t)))
        .filter(|e| region.is_none_or(|r| r == e.region_code))
        .collect();
    held.sort_by(|a, b| (&a.firm_id, &a.track).cmp(&(&b.firm_id, &b.track)));
    held
}

/// Events in `[start, as_of]` that crossed into `tiers` (+1) or, with `departures`, out of
/// them (−1), in effective order.
fn crossings(
    events: Vec<EventRow>,
    tiers: &[String],
    region: Option<&str>,
    start: NaiveDate,
    departures: bool,
) -> Vec<(EventRow, i64)> {
    let inside = |t: &Option<String>| t.as_ref().is_some_and(|t| tiers.contains(t));
    events
        .into_iter()
        .filter(|e| e.effective_on >= start && e.kind != "moved")
        .filter(|e| region.is_none_or(|r| r == e.region_code))
        .filter_map(|e| match (inside(&e.from_tier), inside(&e.to_tier)) {
            (false, true) => Some((e, 1)),
            (true, false) if departures => Some((e, -1)),
            _ => None,
        })
        .collect()
}

/// Arrivals into `tiers` within `[counted_from, as_of]` of firms that came into the city
/// within `[year_start, as_of]` on or before that day: the first such arrival per firm, in
/// effective order (what a recruitment target counts).
pub(super) fn recruitments(
    conn: &mut DbConnection,
    tiers: &[String],
    region: Option<&str>,
    year_start: NaiveDate,
    counted_from: NaiveDate,
    as_of: NaiveDate,
) -> Result<Vec<(EventRow, i64)>, ServiceError> {
    if as_of < counted_from {
        return Ok(Vec::new());
    }
    let arrived: HashMap<String, NaiveDate> = storage::arrivals_between(conn, year_start, as_of)?
        .into_iter()
        .collect();
    if arrived.is_empty() {
        return Ok(Vec::new());
    }
    let events = storage::events_touching(conn, tiers, as_of)?;
    let mut seen = std::collections::HashSet::new();
    Ok(crossings(events, tiers, region, counted_from, false)
        .into_iter()
        .filter(|(e, _)| {
            arrived
                .get(&e.firm_id)
                .is_some_and(|day| *day <= e.effective_on)
        })
        .filter(|(e, _)| seen.insert(e.firm_id.clone()))
        .collect())
}

/// The entries behind a target's figure, in list order.
fn entries(
    conn: &mut DbConnection,
    progress: &TargetProgress,
) -> Result<Vec<(EventRow, i64)>, ServiceError> {
    if progress.actual.is_none() {
        return Ok(Vec::new());
    }
    let target = &progress.target;
    let region = target.region.as_deref();
    let start = progress.counted_from;
    if target.kind == TargetKind::Recruited {
        let year_start = NaiveDate::from_ymd_opt(target.year, 1, 1).unwrap_or(start);
        return recruitments(
            conn,
            &progress.tiers,
            region,
            year_start,
            start,
            progress.as_of,
        );
    }
    let events = storage::events_touching(conn, &progress.tiers, progress.as_of)?;
    Ok(match target.kind {
        TargetKind::Stock => holders(events, &progress.tiers, region)
            .into_iter()
            .map(|e| (e, 1))
            .collect(),
        TargetKind::Flow | TargetKind::Recruited => {
            crossings(events, &progress.tiers, region, start, false)
        }
        TargetKind::NetIncrease => crossings(events, &progress.tiers, region, start, true),
    })
}

impl Counts<'_> {
    /// The target `id` of `year` (default this year) as `targets` reports it.
    fn target(
        &self,
        plan: &TargetPlan,
        year: Option<i32>,
        id: &str,
        with_near_misses: bool,
    ) -> Result<TargetProgress, ServiceError> {
        let (_, all) = self.targets_at(plan, year, with_near_misses)?;
        all.iter()
            .find(|p| p.target.id() == id)
            .cloned()
            .ok_or(ServiceError::NotFound("target"))
    }

    /// A page (`offset`, `limit`) of the firms target `id` counts: a stock target's holders
    /// on its measuring day (replayed from the ledger); a flow's arrivals; a net increase's
    /// arrivals (+1) and departures (−1). Without a district the entries add up to the
    /// figure; a district's net increase also moves with firms changing district, which are
    /// not tier events and are not listed.
    #[tracing::instrument(skip_all, fields(target.id = %id))]
    pub fn target_firms(
        &self,
        plan: &TargetPlan,
        year: Option<i32>,
        id: &str,
        offset: usize,
        limit: usize,
    ) -> Result<TargetFirms, ServiceError> {
        let progress = self.target(plan, year, id, false)?;
        let mut conn = self.registry.conn()?;
        let all = entries(&mut conn, &progress)?;
        let total = all.len();
        let page: Vec<(EventRow, i64)> = all.into_iter().skip(offset).take(limit).collect();
        let ids: Vec<Uuid> = page
            .iter()
            .filter_map(|(e, _)| Uuid::parse_str(&e.firm_id).ok())
            .collect();
        let names = storage::firm_names(&mut conn, &ids)?;
        let items = page
            .into_iter()
            .map(|(row, counts)| {
                let tier = if counts > 0 {
                    &row.to_tier
                } else {
                    &row.from_tier
                };
                let tier = tier.clone().unwrap_or_default();
                let region_code = row.region_code.clone();
                let event = row.into_domain()?;
                Ok(TargetFirm {
                    firm_id: event.firm_id,
                    name: names.get(&event.firm_id).cloned().unwrap_or_default(),
                    tier,
                    region_code,
                    counts,
                    event,
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        Ok(TargetFirms {
            progress,
            total,
            items,
        })
    }

    /// Target `id` of `year` with its near-miss list, ranked by gap (empty once met): the
    /// list `targets` computed and keeps for this version of the data.
    pub fn target_near_misses(
        &self,
        plan: &TargetPlan,
        year: Option<i32>,
        id: &str,
    ) -> Result<TargetProgress, ServiceError> {
        self.target(plan, year, id, true)
    }
}
