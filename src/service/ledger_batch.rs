//! A chunk of ledger writes, collected while firms are classified and written together.
//!
//! One event written alone costs about eight statements (next sequence number, two for the
//! ledger position, the event, two for the current tier, two to five for the counts). A bulk
//! pass collects its events, current-tier changes and count deltas here instead and writes
//! them per chunk of firms: one sequence query and one position block per chunk, multi-row
//! inserts, and count deltas summed per bucket and day so each distinct bucket is updated
//! once per pass rather than once per event.
//!
//! Guarantees kept: nothing is written dated before the latest day already in the ledger
//! (`day_order`); events are appended (never rewritten) in the order firms were classified;
//! positions come from the single `ledger_head` row, whose row lock is held to commit, so
//! positions are monotonic in commit order; per-firm `seq` continues from the firm's last
//! event without gaps; counts receive exactly the deltas the one-at-a-time path applied.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use super::error::ServiceError;
use super::time_passing::day_order::check_not_before_ledger;
use crate::domain::{NewTierEvent, TierEvent};
use crate::storage::{self, Bucket, CurrentTierRow, DbConnection};

/// Ledger writes waiting to be written. Every firm appears at most once between two flushes
/// (its current tiers are replaced as a whole); all callers classify each firm once per pass.
#[derive(Debug, Default)]
pub struct LedgerBatch {
    /// Events in classification order; `flush` gives them their `position` and `seq`.
    events: Vec<NewTierEvent>,
    /// Firms inserted in this transaction: no earlier events, so no sequence lookup.
    fresh: HashSet<Uuid>,
    /// Firms whose stored current tiers are deleted before `current` is inserted.
    replaced: Vec<String>,
    /// The complete new current tiers of every firm touched since the last flush.
    current: Vec<CurrentTierRow>,
    /// Net change per day and bucket, applied by `apply_counts`.
    deltas: BTreeMap<(NaiveDate, Bucket), i64>,
}

impl LedgerBatch {
    /// Queues an event; `fresh` says the firm was inserted in this transaction.
    pub(super) fn push_event(&mut self, event: NewTierEvent, fresh: bool) {
        if fresh {
            self.fresh.insert(event.firm_id);
        }
        self.events.push(event);
    }

    /// Queues the firm's complete new set of current tiers; `had_rows` says whether stored
    /// rows must be deleted first.
    pub(super) fn replace_current(
        &mut self,
        firm_id: &str,
        had_rows: bool,
        rows: Vec<CurrentTierRow>,
    ) {
        if had_rows {
            self.replaced.push(firm_id.to_owned());
        }
        self.current.extend(rows);
    }

    /// Adds `delta` firms to a bucket on `day`.
    pub(super) fn add_count(&mut self, bucket: Bucket, day: NaiveDate, delta: i64) {
        *self.deltas.entry((day, bucket)).or_insert(0) += delta;
    }

    /// Moves `other`'s queued count deltas into this batch: a pass classifies each chunk of
    /// firms into a batch of its own (on another thread) and applies the counts once.
    pub fn absorb_counts(&mut self, other: &mut LedgerBatch) {
        for (key, delta) in std::mem::take(&mut other.deltas) {
            *self.deltas.entry(key).or_insert(0) += delta;
        }
    }

    /// Writes the queued events and current tiers; returns the events as stored. Count
    /// deltas stay queued until `apply_counts`.
    pub fn flush(&mut self, conn: &mut DbConnection) -> Result<Vec<TierEvent>, ServiceError> {
        let pending = std::mem::take(&mut self.events);
        if let Some(day) = pending.iter().map(|e| e.effective_on).min() {
            check_not_before_ledger(conn, day)?;
        }
        let mut events = Vec::with_capacity(pending.len());
        if !pending.is_empty() {
            let mut lookup: Vec<Uuid> = pending
                .iter()
                .filter(|e| !self.fresh.contains(&e.firm_id))
                .map(|e| e.firm_id)
                .collect();
            lookup.sort_unstable();
            lookup.dedup();
            let mut next_seq: HashMap<Uuid, i32> = storage::next_seqs(conn, &lookup)?;
            // One block of positions for the chunk, in the order the events were classified.
            let first = storage::reserve_positions(conn, pending.len() as i64)?;
            for (offset, event) in pending.into_iter().enumerate() {
                let seq = next_seq.entry(event.firm_id).or_insert(1);
                events.push(event.at(first + offset as i64, *seq));
                *seq += 1;
            }
            storage::append_events(conn, &events)?;
        }
        if !self.replaced.is_empty() || !self.current.is_empty() {
            storage::replace_current_tiers(conn, &self.replaced, &self.current)?;
        }
        self.fresh.clear();
        self.replaced.clear();
        self.current.clear();
        Ok(events)
    }

    /// Applies the summed count deltas: one update (or insert) of the live count and of the
    /// day's row per distinct bucket and day, in day order, skipping buckets that net to zero.
    pub fn apply_counts(&mut self, conn: &mut DbConnection) -> Result<(), ServiceError> {
        // Keys sort by day first: the first is the earliest.
        if let Some(((day, _), _)) = self.deltas.first_key_value() {
            check_not_before_ledger(conn, *day)?;
        }
        for ((day, bucket), delta) in std::mem::take(&mut self.deltas) {
            storage::add_to_count(conn, &bucket, day, delta)?;
        }
        Ok(())
    }

    /// Flushes and applies the counts: everything queued is written.
    pub fn finish(mut self, conn: &mut DbConnection) -> Result<Vec<TierEvent>, ServiceError> {
        let events = self.flush(conn)?;
        self.apply_counts(conn)?;
        Ok(events)
    }
}
