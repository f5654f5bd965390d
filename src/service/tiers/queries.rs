//! Reading tiers: a firm's assessment, its history, the ledger feed.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Tiers;
use crate::domain::FieldError;
use crate::domain::TierEvent;
use crate::rules::{Assessment, EvalContext, evaluate};
use crate::service::error::ServiceError;
use crate::storage::{self, EventFilter, EventRow};

/// Largest page of the ledger feed.
pub const MAX_EVENTS: i64 = 1_000;

impl Tiers<'_> {
    /// The firm's tiers and full explanation as of `as_of` (default today), with the rule
    /// set in force on that date and the facts recorded now.
    pub fn assess(&self, id: Uuid, as_of: Option<NaiveDate>) -> Result<Assessment, ServiceError> {
        let as_of = as_of.unwrap_or_else(|| self.registry.clock().today());
        let mut conn = self.registry.conn()?;
        let (_, dossier) =
            storage::load_dossier(&mut conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let set = library.in_force(as_of).ok_or_else(|| {
            ServiceError::Validation(
                FieldError::new(
                    "as_of",
                    "no_rules",
                    format!("no published rule set is in force on {as_of}"),
                )
                .into(),
            )
        })?;
        Ok(evaluate(
            set,
            &dossier,
            &EvalContext::new(as_of, self.registry.catalog()),
        ))
    }

    /// The firm's tier events in order.
    pub fn history(&self, id: Uuid) -> Result<Vec<TierEvent>, ServiceError> {
        let mut conn = self.registry.conn()?;
        storage::find_firm(&mut conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
        events(storage::events_of_firm(&mut conn, id)?)
    }

    /// A page of the ledger after `filter.after`.
    pub fn events(&self, mut filter: EventFilter) -> Result<Vec<TierEvent>, ServiceError> {
        filter.limit = filter.limit.clamp(1, MAX_EVENTS);
        let mut conn = self.registry.conn()?;
        let tiers = [
            ("tier", &filter.tier),
            ("from_tier", &filter.from_tier),
            ("to_tier", &filter.to_tier),
        ];
        if filter.track.is_some() || tiers.iter().any(|(_, t)| t.is_some()) {
            // A track or tier no published rule set has ever had can match no event: say so
            // rather than answer an empty feed that looks like "nothing happened".
            let library = self.registry.rules_cache().current(&mut conn)?;
            let sets = library.sets();
            let tracks = || sets.iter().flat_map(|set| set.tracks().iter());
            if let Some(track) = &filter.track
                && !tracks().any(|t| t.id == *track)
            {
                return Err(unknown("track", "unknown_track", "a track", track));
            }
            for (field, tier) in tiers {
                if let Some(tier) = tier
                    && !tracks().any(|t| t.tiers.iter().any(|x| x.id == *tier))
                {
                    return Err(unknown(field, "unknown_tier", "a tier", tier));
                }
            }
        }
        events(storage::list_events(&mut conn, &filter)?)
    }
}

/// The refusal of a filter value no published rule set has.
fn unknown(field: &str, code: &'static str, what: &str, value: &str) -> ServiceError {
    ServiceError::Validation(
        FieldError::new(
            field,
            code,
            format!("no published rule set has {what} {value:?}"),
        )
        .into(),
    )
}

fn events(rows: Vec<EventRow>) -> Result<Vec<TierEvent>, ServiceError> {
    rows.into_iter()
        .map(|row| row.into_domain().map_err(ServiceError::from))
        .collect()
}
