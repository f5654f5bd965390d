//! Rule sets: publishing, reading and simulating them: the `RuleSets` capability.

pub(crate) mod cache;
pub(crate) mod publish;
pub(crate) mod simulate;

use crate::domain::PublishedRuleSet;
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::service::registry::Registry;
use crate::storage;

/// Publishing rule sets, reading the published ones and simulating a draft; reached by
/// [`Registry::rule_sets`].
#[derive(Clone, Copy)]
pub struct RuleSets<'a> {
    registry: &'a Registry,
}

impl<'a> RuleSets<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}

impl RuleSets<'_> {
    /// Every published rule set, marking the one in force today.
    pub fn list(&self) -> Result<Vec<PublishedRuleSet>, ServiceError> {
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let today = self.registry.clock().today();
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
    pub fn current(&self) -> Result<(RuleSet, PublishedRuleSet), ServiceError> {
        let mut conn = self.registry.conn()?;
        let library = self.registry.rules_cache().current(&mut conn)?;
        let today = self.registry.clock().today();
        let set = library
            .in_force(today)
            .ok_or(ServiceError::NotFound("rule set in force"))?
            .clone();
        let row = storage::find_rule_set(&mut conn, set.id(), set.version() as i32)?
            .ok_or(ServiceError::NotFound("rule set in force"))?;
        Ok((set, row.into_domain(true)))
    }
}
