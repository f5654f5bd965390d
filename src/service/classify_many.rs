//! Classifying a known set of firms inside the caller's transaction: what an import and a
//! demo load do once their rows are written.

use std::collections::HashMap;

use uuid::Uuid;

use super::ledger::{Cause, Provenance, apply_classification};
use super::{Registry, ServiceError};
use crate::rules::EvalContext;
use crate::storage::{self, DbConnection, EventRow};

/// Firms loaded and classified together; one SQL parameter per firm, so kept well under the
/// backends' limits.
const BATCH: usize = 2_000;

impl Registry {
    /// Classifies `ids` as of today with the rule set in force, recording events with `cause`
    /// and `actor`. Batches of firms are loaded with four queries each, never per firm.
    /// `progress` is told how many firms are done. Returns the events recorded.
    pub(crate) fn classify_firms_in(
        &self,
        conn: &mut DbConnection,
        ids: &[Uuid],
        cause: Cause,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<Vec<EventRow>, ServiceError> {
        let library = self.rules_cache().current(conn)?;
        let day = self.clock().today();
        let Some(set) = library.in_force(day) else {
            tracing::warn!(%day, "no rule set in force: firms are not classified");
            return Ok(Vec::new());
        };
        let ctx = EvalContext::new(day, self.catalog());
        let provenance = Provenance {
            cause,
            actor,
            day,
            at: self.clock().now(),
        };
        let mut events = Vec::new();
        let mut done = 0u64;
        for chunk in ids.chunks(BATCH) {
            for item in storage::load_firms(conn, chunk)? {
                events.extend(apply_classification(
                    conn,
                    set,
                    &ctx,
                    &item.firm,
                    &item.dossier,
                    &item.current,
                    provenance,
                )?);
            }
            done += chunk.len() as u64;
            progress(done);
        }
        Ok(events)
    }
}

/// Firms per tier entered, as `track/tier` → count, from a pass's events.
pub fn tiers_entered(events: &[EventRow]) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for e in events {
        if let Some(tier) = &e.to_tier {
            *counts.entry(format!("{}/{tier}", e.track)).or_insert(0) += 1;
        }
    }
    counts
}
