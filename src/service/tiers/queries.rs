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
        if let Some(track) = &filter.track {
            // A track no published rule set has ever had can match no event: say so rather
            // than answer an empty feed that looks like "nothing happened".
            let library = self.registry.rules_cache().current(&mut conn)?;
            let known = library
                .sets()
                .iter()
                .any(|set| set.tracks().iter().any(|t| t.id == *track));
            if !known {
                return Err(ServiceError::Validation(
                    FieldError::new(
                        "track",
                        "unknown_track",
                        format!("no published rule set has a track {track:?}"),
                    )
                    .into(),
                ));
            }
        }
        events(storage::list_events(&mut conn, &filter)?)
    }
}

fn events(rows: Vec<EventRow>) -> Result<Vec<TierEvent>, ServiceError> {
    rows.into_iter()
        .map(|row| row.into_domain().map_err(ServiceError::from))
        .collect()
}
