//! Reading the ledger: the filtered feed and the events that touch a set of tiers.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConnection;
use super::StorageResult;
use super::ledger::EventRow;
use super::schema::tier_events;

/// Filters of the ledger feed.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only positions after this one.
    pub after: i64,
    /// Only this track.
    pub track: Option<String>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this district.
    pub region: Option<String>,
    /// Only industry codes starting with this.
    pub industry: Option<String>,
    /// Only events from or to this tier.
    pub tier: Option<String>,
    /// Only events from this tier.
    pub from_tier: Option<String>,
    /// Only events to this tier.
    pub to_tier: Option<String>,
    /// Effective on or after.
    pub from: Option<NaiveDate>,
    /// Effective on or before.
    pub to: Option<NaiveDate>,
    /// At most this many.
    pub limit: i64,
}

/// The ledger in position order, filtered.
pub fn list_events(conn: &mut DbConnection, filter: &EventFilter) -> StorageResult<Vec<EventRow>> {
    let mut query = tier_events::table
        .filter(tier_events::position.gt(filter.after))
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(track) = &filter.track {
        query = query.filter(tier_events::track.eq(track.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(tier_events::kind.eq(kind.clone()));
    }
    if let Some(region) = &filter.region {
        query = query.filter(tier_events::region_code.eq(region.clone()));
    }
    if let Some(industry) = &filter.industry {
        query = query.filter(tier_events::industry_code.like(format!("{industry}%")));
    }
    if let Some(tier) = &filter.tier {
        query = query.filter(
            tier_events::from_tier
                .eq(tier.clone())
                .or(tier_events::to_tier.eq(tier.clone())),
        );
    }
    if let Some(tier) = &filter.from_tier {
        query = query.filter(tier_events::from_tier.eq(tier.clone()));
    }
    if let Some(tier) = &filter.to_tier {
        query = query.filter(tier_events::to_tier.eq(tier.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(tier_events::effective_on.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(tier_events::effective_on.le(to));
    }
    Ok(query
        .order(tier_events::position.asc())
        .limit(filter.limit)
        .load(conn)?)
}

/// Every event up to `until` (inclusive) from or to one of `tiers`, in effective order
/// (position order within a day): what replaying who held those tiers on a day needs.
pub fn events_touching(
    conn: &mut DbConnection,
    tiers: &[String],
    until: NaiveDate,
) -> StorageResult<Vec<EventRow>> {
    Ok(tier_events::table
        .filter(tier_events::effective_on.le(until))
        .filter(
            tier_events::from_tier
                .eq_any(tiers)
                .or(tier_events::to_tier.eq_any(tiers)),
        )
        .order((tier_events::effective_on.asc(), tier_events::position.asc()))
        .select(EventRow::as_select())
        .load(conn)?)
}
