//! The published rule sets, cached per instance and refreshed when another publication
//! appears in the database (so several instances agree on the rules in force).

use std::sync::{Arc, RwLock};

use crate::domain::FieldError;
use crate::rules::{RuleErrors, RuleLibrary, RuleSet};
use crate::service::error::ServiceError;
use crate::storage::{self, DbConnection};

/// The cached library and the publication count it was built from.
#[derive(Default)]
pub struct RulesCache {
    state: RwLock<Option<(i64, Arc<RuleLibrary>)>>,
}

impl RulesCache {
    /// The library matching the database's publications, rebuilt if another publication has
    /// appeared. Reading inside the caller's transaction makes the version used by a write
    /// the version that write records.
    pub fn current(&self, conn: &mut DbConnection) -> Result<Arc<RuleLibrary>, ServiceError> {
        let generation = storage::rule_set_generation(conn)?;
        if let Ok(guard) = self.state.read()
            && let Some((cached, library)) = guard.as_ref()
            && *cached == generation
        {
            return Ok(library.clone());
        }
        let mut sets = Vec::new();
        for row in storage::list_rule_sets(conn)? {
            // Stored sets passed every check when published; one that no longer parses means
            // the program changed under it, which must not silently drop rules.
            let set = RuleSet::parse(&row.content, &row.origin).map_err(|e| {
                ServiceError::Unexpected(anyhow::anyhow!(
                    "published rule set {} v{} no longer loads: {}",
                    row.id,
                    row.version,
                    e.0.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            })?;
            sets.push(set);
        }
        let library = Arc::new(RuleLibrary::from_sets(sets));
        if let Ok(mut guard) = self.state.write() {
            *guard = Some((generation, library.clone()));
        }
        Ok(library)
    }
}

/// Rule-file diagnostics as field errors: the field is `rules`, the message carries
/// file:line:column.
pub fn rule_errors(errors: &RuleErrors) -> ServiceError {
    ServiceError::Validation(crate::domain::ValidationErrors(
        errors
            .0
            .iter()
            .map(|d| FieldError::new("rules", "invalid_rules", d.to_string()))
            .collect(),
    ))
}
