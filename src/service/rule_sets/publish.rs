//! Publishing a rule set: check, store, reclassify everyone — all or nothing.

use super::RuleSets;
use super::cache::rule_errors;
use crate::domain::Cause;
use crate::domain::FieldError;
use crate::rules::{RuleLibrary, RuleSet};
use crate::service::error::ServiceError;
use crate::service::time_passing::passes::PassSummary;
use crate::service::time_passing::write_facts;
use crate::storage::{self, LedgerLock, RuleSetRow};

/// The result of a publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// Rule set id.
    pub id: String,
    /// Its version.
    pub version: u32,
    /// SHA-256 of the file.
    pub content_hash: String,
    /// False when exactly this file was already published (nothing was done).
    pub published: bool,
    /// Whether it is the set in force today.
    pub in_force: bool,
    /// What the reclassification did.
    pub summary: PassSummary,
}

impl RuleSets<'_> {
    /// Checks `text`, stores it as a published version and reclassifies every firm with the
    /// set in force today, in one transaction. Publishing the identical file again does
    /// nothing; the same id and version with other content is a conflict.
    #[tracing::instrument(skip_all, fields(origin))]
    pub fn publish(
        &self,
        text: &str,
        origin: &str,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<Publication, ServiceError> {
        let set = RuleSet::parse(text, origin).map_err(|e| rule_errors(&e))?;
        let day = self.registry.clock().today();
        let now = self.registry.clock().now();
        write_facts(self.registry, |conn| {
            storage::lock_ledger(conn, LedgerLock::Exclusive)?;
            let version = set.version() as i32;
            if let Some(existing) = storage::find_rule_set(conn, set.id(), version)? {
                if existing.content_hash == set.content_hash() {
                    self.registry.audit().record_in(
                        conn,
                        actor,
                        "rules.published",
                        Some(("ruleset", format!("{}@{}", set.id(), set.version()))),
                        None,
                        serde_json::json!({"content_hash": set.content_hash(), "origin": origin}),
                    )?;
                    let library = self.registry.rules_cache().current(conn)?;
                    return Ok(Publication {
                        id: set.id().to_owned(),
                        version: set.version(),
                        content_hash: set.content_hash().to_owned(),
                        published: false,
                        in_force: is_in_force(&library, &set, day),
                        summary: PassSummary::default(),
                    });
                }
                return Err(ServiceError::Conflict(FieldError::new(
                    "version",
                    "already_published",
                    format!(
                        "{} version {} is already published with other content; raise the version number",
                        set.id(),
                        set.version()
                    ),
                )));
            }
            storage::insert_rule_set(
                conn,
                &RuleSetRow {
                    id: set.id().to_owned(),
                    version,
                    effective_from: set.effective_from(),
                    content_hash: set.content_hash().to_owned(),
                    origin: origin.to_owned(),
                    content: text.to_owned(),
                    published_at: RuleSetRow::stored_time(now),
                    published_by: actor.to_owned(),
                },
            )?;
            let library = self.registry.rules_cache().current(conn)?;
            let summary = match library.in_force(day) {
                Some(in_force) => self.registry.time().reclassify_all_in(
                    conn,
                    in_force,
                    day,
                    Cause::RulesPublished,
                    actor,
                    progress,
                )?,
                None => PassSummary::default(),
            };
            Ok(Publication {
                id: set.id().to_owned(),
                version: set.version(),
                content_hash: set.content_hash().to_owned(),
                published: true,
                in_force: is_in_force(&library, &set, day),
                summary,
            })
        })
    }

    /// On a database with no published rules, publishes the rule files of `dir` (the
    /// shipped default), so a new registry classifies from its first firm.
    pub fn publish_initial(&self, dir: &std::path::Path) -> Result<usize, ServiceError> {
        let mut conn = self.registry.conn()?;
        if storage::rule_set_generation(&mut conn)? > 0 {
            return Ok(0);
        }
        drop(conn);
        let library = RuleLibrary::load_dir(dir).map_err(|e| rule_errors(&e))?;
        let mut published = 0;
        for set in library.sets() {
            let text = std::fs::read_to_string(set.origin()).map_err(|e| {
                ServiceError::Unexpected(anyhow::anyhow!("Failed to read {}: {e}", set.origin()))
            })?;
            let origin = std::path::Path::new(set.origin())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| set.origin().to_owned());
            if self.publish(&text, &origin, "system", &|_| {})?.published {
                published += 1;
            }
        }
        Ok(published)
    }
}

fn is_in_force(library: &RuleLibrary, set: &RuleSet, day: chrono::NaiveDate) -> bool {
    library
        .in_force(day)
        .is_some_and(|s| s.id() == set.id() && s.version() == set.version())
}
