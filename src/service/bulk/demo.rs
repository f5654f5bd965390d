//! Loading a generated demonstration population: multi-row inserts and one classification
//! pass, all in one transaction.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::Bulk;
use crate::bulk::{DemoOptions, generate_population};
use crate::domain::Cause;
use crate::domain::Firm;
use crate::service::classify_many::tiers_entered;
use crate::service::error::ServiceError;
use crate::service::time_passing::write_facts;
use crate::storage::{self, LedgerLock, Population};

/// What a demo load wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Firms inserted.
    pub firms: u64,
    /// Annual figure rows inserted.
    pub years: u64,
    /// Financing rounds inserted.
    pub financings: u64,
    /// Certificates inserted.
    pub certificates: u64,
    /// Tier events recorded.
    pub events: u64,
    /// Firms per tier, as `track/tier`.
    pub tiers: BTreeMap<String, u64>,
}

impl Bulk<'_> {
    /// Generates `firms` firms from `seed` (as of today), inserts them with their figures,
    /// rounds and certificates, and classifies them with cause `import`, all or nothing.
    /// `progress` is told how many firms are classified.
    #[tracing::instrument(skip_all, fields(firms, seed))]
    pub fn load_demo(
        &self,
        firms: usize,
        seed: u64,
        actor: &str,
        progress: &dyn Fn(u64),
    ) -> Result<DemoSummary, ServiceError> {
        let today = self.registry.clock().today();
        let now = self.registry.clock().now();
        let generated = generate_population(DemoOptions { firms, seed, today })
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("demo generator: {e}")))?;
        let stored: Vec<Firm> = generated
            .iter()
            .map(|g| Firm {
                id: Uuid::now_v7(),
                version: 1,
                created_at: now,
                updated_at: now,
                profile: g.profile.clone(),
            })
            .collect();
        let mut population = Population::default();
        for (firm, g) in stored.iter().zip(&generated) {
            population.firms.push(firm);
            population
                .years
                .extend(g.years.iter().map(|y| (firm.id, y)));
            population
                .financings
                .extend(g.financings.iter().map(|r| (firm.id, Uuid::now_v7(), r)));
            population
                .certificates
                .extend(g.certificates.iter().map(|c| (firm.id, Uuid::now_v7(), c)));
        }
        let ids: Vec<Uuid> = stored.iter().map(|f| f.id).collect();
        let events = write_facts(self.registry, |conn| {
            storage::lock_ledger(conn, LedgerLock::Exclusive)?;
            let started = std::time::Instant::now();
            storage::prepare_for_bulk(conn, storage::DEMO_CACHE_KIB)?;
            storage::insert_population(conn, &population, now)?;
            storage::analyze_after_bulk(conn)?;
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "demo rows inserted"
            );
            // Every firm was inserted just above: none has events yet.
            let events = self.registry.classify_firms_in(
                conn,
                &ids,
                &|_| true,
                Cause::Import,
                actor,
                progress,
            )?;
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "demo firms classified"
            );
            Ok(events)
        })?;
        Ok(DemoSummary {
            firms: population.firms.len() as u64,
            years: population.years.len() as u64,
            financings: population.financings.len() as u64,
            certificates: population.certificates.len() as u64,
            events: events.len() as u64,
            tiers: tiers_entered(&events).into_iter().collect(),
        })
    }
}
