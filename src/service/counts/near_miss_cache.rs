//! Near-miss lists are the costly part of the targets (every firm outside a tier evaluated with
//! its full explanation: seconds at 100,000 firms). They change only when data, the ledger, the
//! rules or the date change, so they are computed once per version of those (the snapshot's
//! `DataVersion`) and kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::near_miss::{NearMiss, NearMissRequest, near_misses};
use super::snapshot::DataVersion;
use crate::domain::RegionCatalog;
use crate::rules::RuleSet;
use crate::service::error::ServiceError;
use crate::storage::DbConnection;

type Lists = HashMap<NearMissRequest, Arc<Vec<NearMiss>>>;

/// The lists of the latest data version this process has computed.
#[derive(Debug, Default)]
pub(crate) struct NearMissCache {
    /// Held while lists are computed, so concurrent requests wait for one scan.
    state: Mutex<Option<(DataVersion, Lists)>>,
}

impl NearMissCache {
    /// The near-miss list of each request as of `today`, from the cache when the data has not
    /// changed since it was computed; otherwise every request is computed in one scan.
    pub(crate) fn lists(
        &self,
        conn: &mut DbConnection,
        set: &RuleSet,
        catalog: &RegionCatalog,
        version: &DataVersion,
        requests: &[NearMissRequest],
    ) -> Result<Vec<Arc<Vec<NearMiss>>>, ServiceError> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cached, lists)) = state.as_ref()
            && cached == version
            && let Some(found) = requests
                .iter()
                .map(|r| lists.get(r).cloned())
                .collect::<Option<Vec<_>>>()
        {
            metrics::counter!("near_miss_cache_total", "outcome" => "hit").increment(1);
            return Ok(found);
        }
        metrics::counter!("near_miss_cache_total", "outcome" => "miss").increment(1);
        let computed = near_misses(conn, set, catalog, version.key.today, requests)?;
        let lists: Lists = requests
            .iter()
            .cloned()
            .zip(computed.into_iter().map(Arc::new))
            .collect();
        let found = requests.iter().map(|r| lists[r].clone()).collect();
        *state = Some((version.clone(), lists));
        Ok(found)
    }
}
