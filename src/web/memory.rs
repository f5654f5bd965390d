//! What the staff pages hold between two requests, in the server's memory: secrets shown once
//! after a redirect, and forms kept when a session ended before they were sent.
//!
//! Both are short-lived and small. A restart forgets them: a secret not yet shown is then
//! never shown (the admin makes a new one), a kept form is typed again. Neither is worth a
//! table, and neither may outlive its purpose on disk (a secret least of all).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a secret waits for the page that shows it.
const REVEAL_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// How long a kept form waits for its clerk to log in again.
const DRAFT_LIFETIME: Duration = Duration::from_secs(2 * 60 * 60);
/// At most this many of each are held; the oldest go first (a flood of anonymous posts
/// cannot grow memory without bound).
const MAX_ENTRIES: usize = 2_000;

/// A secret made by a POST, shown by the GET it redirects to, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reveal {
    /// Who made it: only they see it.
    pub owner: String,
    /// What it belongs to (a token's name, an account's name).
    pub label: String,
    /// The secret.
    pub secret: String,
}

/// A form that arrived without a live session: where it was going and what was typed
/// (never its CSRF token, never a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The page the form is shown on again (path and query).
    pub form_page: String,
    /// The fields as posted, in order.
    pub fields: Vec<(String, String)>,
}

struct Entry<T> {
    value: T,
    at: Instant,
}

/// A map whose entries expire.
struct Shelf<T> {
    entries: HashMap<String, Entry<T>>,
    lifetime: Duration,
}

impl<T> Shelf<T> {
    fn new(lifetime: Duration) -> Self {
        Self {
            entries: HashMap::new(),
            lifetime,
        }
    }

    fn put(&mut self, id: String, value: T) {
        let lifetime = self.lifetime;
        self.entries.retain(|_, e| e.at.elapsed() < lifetime);
        if self.entries.len() >= MAX_ENTRIES
            && let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.at)
                .map(|(k, _)| k.clone())
        {
            self.entries.remove(&oldest);
        }
        self.entries.insert(
            id,
            Entry {
                value,
                at: Instant::now(),
            },
        );
    }

    fn live(&self, id: &str) -> Option<&T> {
        self.entries
            .get(id)
            .filter(|e| e.at.elapsed() < self.lifetime)
            .map(|e| &e.value)
    }
}

/// The pages' memory, shared by every worker.
pub struct PageMemory {
    reveals: Mutex<Shelf<Reveal>>,
    drafts: Mutex<Shelf<Draft>>,
}

impl Default for PageMemory {
    fn default() -> Self {
        Self {
            reveals: Mutex::new(Shelf::new(REVEAL_LIFETIME)),
            drafts: Mutex::new(Shelf::new(DRAFT_LIFETIME)),
        }
    }
}

impl PageMemory {
    /// Holds a secret under `id` until its owner's page shows it. An `id` already holding
    /// one keeps the first (a resubmitted form shows the first result).
    pub fn put_reveal(&self, id: &str, reveal: Reveal) {
        if let Ok(mut shelf) = self.reveals.lock()
            && shelf.live(id).is_none()
        {
            shelf.put(id.to_owned(), reveal);
        }
    }

    /// The secret under `id` if `owner` made it, removed so that it is shown only once.
    pub fn take_reveal(&self, id: &str, owner: &str) -> Option<Reveal> {
        let mut shelf = self.reveals.lock().ok()?;
        if shelf.live(id)?.owner != owner {
            return None;
        }
        shelf.entries.remove(id).map(|e| e.value)
    }

    /// Keeps a form under `id`.
    pub fn put_draft(&self, id: &str, draft: Draft) {
        if let Ok(mut shelf) = self.drafts.lock() {
            shelf.put(id.to_owned(), draft);
        }
    }

    /// The form kept under `id`, while it lasts. It stays until it expires: a clerk who
    /// reloads the restored form still finds the values, and nothing is written from it
    /// without a fresh submit.
    pub fn draft(&self, id: &str) -> Option<Draft> {
        self.drafts.lock().ok()?.live(id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reveal(owner: &str) -> Reveal {
        Reveal {
            owner: owner.into(),
            label: "ci".into(),
            secret: "trk_x".into(),
        }
    }

    #[test]
    fn a_secret_is_shown_once_and_only_to_whoever_made_it() {
        let memory = PageMemory::default();
        memory.put_reveal("k", reveal("alice"));
        assert_eq!(memory.take_reveal("k", "mallory"), None);
        assert_eq!(memory.take_reveal("k", "alice"), Some(reveal("alice")));
        assert_eq!(memory.take_reveal("k", "alice"), None);
    }

    #[test]
    fn a_second_secret_under_the_same_key_does_not_replace_the_first() {
        let memory = PageMemory::default();
        memory.put_reveal("k", reveal("alice"));
        memory.put_reveal("k", reveal("bob"));
        assert_eq!(memory.take_reveal("k", "alice"), Some(reveal("alice")));
    }
}
