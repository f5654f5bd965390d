//! Reads the staff pages need beyond the API's: tiers of a page of firms, the latest
//! ledger events.

use std::collections::HashMap;

use uuid::Uuid;

use super::Tiers;
use crate::domain::TierEvent;
use crate::service::error::ServiceError;
use crate::storage::{self, EventFilter};

/// Most events `recent_events` returns.
pub const MAX_RECENT: i64 = 100;

impl Tiers<'_> {
    /// Each firm's current tiers as (track, tier), by firm id.
    pub fn current(
        &self,
        firm_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<(String, String)>>, ServiceError> {
        let mut conn = self.registry.conn()?;
        let mut out: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
        for row in storage::current_tiers_of_firms(&mut conn, firm_ids)? {
            if let Ok(id) = Uuid::parse_str(&row.firm_id) {
                out.entry(id).or_default().push((row.track, row.tier));
            }
        }
        Ok(out)
    }

    /// The last `limit` events of the ledger whose kind is one of `kinds`, newest first.
    /// Looks back at most `MAX_RECENT` positions, so it stays a few index probes.
    pub fn recent_events(
        &self,
        kinds: &[&str],
        limit: usize,
    ) -> Result<Vec<TierEvent>, ServiceError> {
        let mut conn = self.registry.conn()?;
        let head = storage::ledger_position(&mut conn).unwrap_or(0);
        let filter = EventFilter {
            after: (head - MAX_RECENT).max(0),
            limit: MAX_RECENT,
            ..EventFilter::default()
        };
        let mut events: Vec<TierEvent> = storage::list_events(&mut conn, &filter)?
            .into_iter()
            .map(|row| row.into_domain().map_err(ServiceError::from))
            .collect::<Result<_, _>>()?;
        events.retain(|e| kinds.contains(&e.kind.as_str()));
        events.reverse();
        events.truncate(limit);
        Ok(events)
    }
}
