//! Reading tiers: a firm's assessment, its history, the ledger feed, the rule sets.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Registry, ServiceError};
use crate::domain::FieldError;
use crate::domain::{PublishedRuleSet, TierEvent};
use crate::rules::{Assessment, EvalContext, RuleSet, evaluate};
use crate::storage::{self, EventFilter, EventRow};

/// Largest page of the ledger feed.
pub const MAX_EVENTS: i64 = 1_000;

impl Registry {
    /// The firm's tiers and full explanation as of `as_of` (default today), with the rule
    /// set in force on that date and the facts recorded now.
    pub fn assess_firm(
        &self,
        id: Uuid,
        as_of: Option<NaiveDate>,
    ) -> Result<Assessment, ServiceError> {
        let as_of = as_of.unwrap_or_else(|| self.clock().today());
        let mut conn = self.conn()?;
        let (_, dossier) =
            storage::load_dossier(&mut conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
        let library = self.rules_cache().current(&mut conn)?;
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
            &EvalContext::new(as_of, self.catalog()),
        ))
    }

    /// The firm's tier events in order.
    pub fn firm_history(&self, id: Uuid) -> Result<Vec<TierEvent>, ServiceError> {
        let mut conn = self.conn()?;
        storage::find_firm(&mut conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
        events(storage::events_of_firm(&mut conn, id)?)
    }

    /// A page of the ledger after `filter.after`.
    pub fn tier_events(&self, mut filter: EventFilter) -> Result<Vec<TierEvent>, ServiceError> {
        filter.limit = filter.limit.clamp(1, MAX_EVENTS);
        let mut conn = self.conn()?;
        if let Some(track) = &filter.track {
            // A track no published rule set has ever had can match no event: say so rather
            // than answer an empty feed that looks like "nothing happened".
            let library = self.rules_cache().current(&mut conn)?;
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

    /// Every published rule set, marking the one in force today.
    pub fn rule_sets(&self) -> Result<Vec<PublishedRuleSet>, ServiceError> {
        let mut conn = self.conn()?;
        let library = self.rules_cache().current(&mut conn)?;
        let today = self.clock().today();
        let in_force = library
            .in_force(today)
            .map(|s| (s.id().to_owned(), s.version()));
        Ok(storage::list_rule_sets(&mut conn)?
            .into_iter()
            .map(|row| {
                let current = in_force
                    .as_ref()
                    .is_some_and(|(id, v)| *id == row.id && *v as i32 == row.version);
                row.into_domain(current)
            })
            .collect())
    }

    /// The rule set in force today, parsed, with its stored row.
    pub fn current_rule_set(&self) -> Result<(RuleSet, PublishedRuleSet), ServiceError> {
        let mut conn = self.conn()?;
        let library = self.rules_cache().current(&mut conn)?;
        let today = self.clock().today();
        let set = library
            .in_force(today)
            .ok_or(ServiceError::NotFound("rule set in force"))?
            .clone();
        let row = storage::find_rule_set(&mut conn, set.id(), set.version() as i32)?
            .ok_or(ServiceError::NotFound("rule set in force"))?;
        Ok((set, row.into_domain(true)))
    }
}

fn events(rows: Vec<EventRow>) -> Result<Vec<TierEvent>, ServiceError> {
    rows.into_iter()
        .map(|row| row.into_domain().map_err(ServiceError::from))
        .collect()
}
