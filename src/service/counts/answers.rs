//! Bounded caches of computed count answers.
//!
//! A count answer for a day in the past does not change unless the ledger later records
//! something effective on or before that day, so each answer is kept with the last day it
//! depends on and dropped when new events touch that day or an earlier one
//! (`invalidate_from`). Answers about today depend on every new event.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;

/// Answers kept per cache: enough for every district × section × format combination a
/// dashboard polls, small enough that the bound is a few megabytes (see PERFORMANCE.md).
pub(crate) const CAPACITY: usize = 512;

struct Entry<V> {
    value: V,
    /// The last day the answer depends on.
    until: NaiveDate,
    /// When it was last read (a tick of this cache), for eviction.
    used: u64,
}

struct Entries<K, V> {
    map: HashMap<K, Entry<V>>,
    /// Moves on every invalidation: an answer computed before one is not stored after it.
    generation: u64,
    tick: u64,
}

/// Answers keyed by their request, each valid until new events touch its days.
pub(crate) struct AnswerCache<K, V> {
    entries: Mutex<Entries<K, V>>,
    capacity: usize,
}

/// Taken before an answer is computed and given back to store it: proves no invalidation
/// happened in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

impl<K: Eq + Hash + Clone, V: Clone> AnswerCache<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                generation: 0,
                tick: 0,
            }),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries<K, V>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stored answer, if any.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.lock();
        entries.tick += 1;
        let tick = entries.tick;
        entries.map.get_mut(key).map(|entry| {
            entry.used = tick;
            entry.value.clone()
        })
    }

    /// The ticket to store an answer about to be computed.
    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    /// Stores an answer depending on days up to `until`, unless an invalidation happened
    /// since `ticket` was taken (the answer may predate it). When full, the least recently
    /// read answer makes room.
    pub(crate) fn put(&self, key: K, value: V, until: NaiveDate, ticket: Ticket) {
        let mut entries = self.lock();
        if entries.generation != ticket.0 {
            return;
        }
        if entries.map.len() >= self.capacity
            && !entries.map.contains_key(&key)
            && let Some(oldest) = entries
                .map
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
        {
            entries.map.remove(&oldest);
        }
        entries.tick += 1;
        let used = entries.tick;
        entries.map.insert(key, Entry { value, until, used });
    }

    /// Drops every answer that depends on `day` or a later day.
    pub(crate) fn invalidate_from(&self, day: NaiveDate) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.map.retain(|_, e| e.until < day);
    }

    /// Drops every answer.
    pub(crate) fn clear(&self) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.map.clear();
    }

    /// Answers stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, d).expect("date")
    }

    #[test]
    fn an_answer_survives_events_after_its_days_and_not_on_them() {
        let cache = AnswerCache::new(8);
        cache.put("june 10", 1, day(10), cache.ticket());
        cache.put("june 20", 2, day(20), cache.ticket());
        cache.invalidate_from(day(15));
        assert_eq!(cache.get(&"june 10"), Some(1));
        assert_eq!(cache.get(&"june 20"), None);
        cache.invalidate_from(day(10));
        assert_eq!(cache.get(&"june 10"), None);
    }

    #[test]
    fn an_answer_computed_before_an_invalidation_is_not_stored_after_it() {
        let cache = AnswerCache::new(8);
        let ticket = cache.ticket();
        cache.invalidate_from(day(1));
        cache.put("stale", 1, day(10), ticket);
        assert_eq!(cache.get(&"stale"), None);
        cache.put("fresh", 2, day(10), cache.ticket());
        assert_eq!(cache.get(&"fresh"), Some(2));
    }

    #[test]
    fn a_full_cache_drops_the_answer_read_longest_ago() {
        let cache = AnswerCache::new(2);
        cache.put("a", 1, day(1), cache.ticket());
        cache.put("b", 2, day(1), cache.ticket());
        assert_eq!(cache.get(&"a"), Some(1));
        cache.put("c", 3, day(1), cache.ticket());
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&"b"), None);
        assert_eq!(cache.get(&"a"), Some(1));
        assert_eq!(cache.get(&"c"), Some(3));
        cache.clear();
        assert_eq!(cache.get(&"a"), None);
    }
}
