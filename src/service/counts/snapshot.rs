//! The counts snapshot: what this process knows of the data's version, the live count of
//! every bucket, and the answers computed from them.
//!
//! Every count answer is a function of the snapshot key (ledger position, rule-set
//! publications, Beijing date) and of the request, so the key alone tells a client whether
//! its copy is current (the ETag) and tells this process which stored answers still hold.
//!
//! Freshness. The key is read from the database (one small read of three heads) only when
//! this process has written since the last read or when the last read is older than the
//! configured interval (`database.head_check_ms`, 250 ms by default). So an instance never
//! answers from before its own last write, sees another instance's (or the CLI's) writes
//! within the interval, and answers a polling dashboard without touching the database in
//! between.
//!
//! Incremental upkeep. When the position moves, the live counts are brought up to date from
//! the count rows of the days the new events took effect on (days only move forward in the
//! count tables, so a bucket's row on its latest day is its live count), not reloaded; past
//! answers are dropped only if the new events touch their days.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::answers::{AnswerCache, CAPACITY};
use super::reports::{CountsAnswer, CountsQuery, FlowsQuery, TargetProgress, TierFlows};
use super::target_plan::TargetPlan;
use crate::service::error::ServiceError;
use crate::storage::{self, Bucket, BucketCount, DataHead, DbConnection};

/// What every count answer is a function of (besides the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SnapshotKey {
    /// The last ledger position.
    pub position: i64,
    /// Rule-set publications so far.
    pub rules: i64,
    /// Today in Beijing.
    pub today: NaiveDate,
}

impl SnapshotKey {
    /// The strong entity tag of one representation at this key: `variant` names the
    /// representation (path, query, format).
    pub fn tag(&self, variant: &str) -> String {
        let mut hasher = DefaultHasher::new();
        variant.hash(&mut hasher);
        format!(
            "\"{}.{}.{}.{:016x}\"",
            self.position,
            self.rules,
            self.today.format("%Y%m%d"),
            hasher.finish()
        )
    }
}

/// The key plus what else the targets' near-miss lists depend on: facts change without a
/// tier changing (a revenue edit moves a firm's gap), and every such write leaves an audit
/// entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataVersion {
    pub(crate) key: SnapshotKey,
    pub(crate) audit: Option<String>,
}

/// The targets answers of one data version: (year, with near misses, plan) → answer.
type TargetAnswers = Vec<(i32, bool, TargetPlan, Arc<Vec<TargetProgress>>)>;

impl DataVersion {
    /// The entity tag of one representation of an answer that depends on facts as well as
    /// counts (the targets' near misses).
    pub(crate) fn tag(&self, variant: &str) -> String {
        let audit = self.audit.as_deref().unwrap_or("");
        self.key.tag(&format!("{variant}#{audit}"))
    }
}

/// The live count of every bucket that ever held a firm.
#[derive(Default, Clone)]
pub(crate) struct Live {
    rows: Vec<BucketCount>,
    /// Per row, the latest day whose count row it reflects (none: from the full load).
    days: Vec<Option<NaiveDate>>,
    index: HashMap<Bucket, usize>,
}

impl Live {
    /// Every bucket's live count.
    pub(crate) fn rows(&self) -> &[BucketCount] {
        &self.rows
    }

    fn load(rows: Vec<BucketCount>) -> Self {
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (bucket_of(r), i))
            .collect();
        Self {
            days: vec![None; rows.len()],
            rows,
            index,
        }
    }

    fn apply(&mut self, rows: Vec<storage::DayRow>) {
        for row in rows {
            let bucket = Bucket {
                track: row.track,
                tier: row.tier,
                region_code: row.region_code,
                industry_code: row.industry_code,
            };
            match self.index.get(&bucket) {
                Some(&i) => {
                    if self.days[i].is_none_or(|seen| seen <= row.day) {
                        self.rows[i].firms = row.firms;
                        self.days[i] = Some(row.day);
                    }
                }
                None => {
                    self.index.insert(bucket.clone(), self.rows.len());
                    self.rows.push(BucketCount {
                        track: bucket.track,
                        tier: bucket.tier,
                        region_code: bucket.region_code,
                        industry_code: bucket.industry_code,
                        firms: row.firms,
                    });
                    self.days.push(Some(row.day));
                }
            }
        }
    }
}

fn bucket_of(row: &BucketCount) -> Bucket {
    Bucket {
        track: row.track.clone(),
        tier: row.tier.clone(),
        region_code: row.region_code.clone(),
        industry_code: row.industry_code.clone(),
    }
}

/// The head as last read, and when.
struct Seen {
    head: DataHead,
    at: Instant,
}

/// State only changed by a refresh (one at a time).
#[derive(Default)]
struct Upkeep {
    head: Option<DataHead>,
    live: Arc<Live>,
}

/// This process's snapshot of the counts (see the module comment).
pub(crate) struct Snapshot {
    interval: Duration,
    seen: Mutex<Option<Seen>>,
    /// Set by this process's writes: the next answer reads the head first.
    stale: AtomicBool,
    upkeep: Mutex<Upkeep>,
    pub(crate) counts: AnswerCache<CountsQuery, Arc<CountsAnswer>>,
    pub(crate) flows: AnswerCache<FlowsQuery, Arc<TierFlows>>,
    targets: Mutex<Option<(DataVersion, TargetAnswers)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Snapshot {
    /// A snapshot that trusts a head read for `interval`.
    pub(crate) fn new(interval: Duration) -> Self {
        Self {
            interval,
            seen: Mutex::new(None),
            stale: AtomicBool::new(true),
            upkeep: Mutex::new(Upkeep::default()),
            counts: AnswerCache::new(CAPACITY),
            flows: AnswerCache::new(CAPACITY),
            targets: Mutex::new(None),
        }
    }

    /// Called after every write of this process: the next answer reads the head.
    pub(crate) fn mark_stale(&self) {
        self.stale.store(true, Ordering::Release);
    }

    /// The current version without touching the database, if the last head read is recent
    /// and this process has not written since.
    pub(crate) fn fresh(&self, today: NaiveDate) -> Option<DataVersion> {
        if self.stale.load(Ordering::Acquire) {
            return None;
        }
        let seen = lock(&self.seen);
        let seen = seen.as_ref().filter(|s| s.at.elapsed() < self.interval)?;
        Some(version_of(&seen.head, today))
    }

    /// The current version, reading the head (and bringing the live counts up to date) when
    /// it is not fresh. `conn` is only opened when needed.
    pub(crate) fn current(
        &self,
        today: NaiveDate,
        conn: impl FnOnce() -> Result<storage::Conn, ServiceError>,
    ) -> Result<DataVersion, ServiceError> {
        if let Some(version) = self.fresh(today) {
            return Ok(version);
        }
        let mut upkeep = lock(&self.upkeep);
        // Another thread may have refreshed while this one waited.
        if let Some(version) = self.fresh(today) {
            return Ok(version);
        }
        // Cleared before the read: a write committing after it sets it again.
        self.stale.store(false, Ordering::Release);
        let mut conn = conn()?;
        let head = storage::read_transaction(&mut conn, |c| self.bring_up_to_date(c, &mut upkeep))
            .inspect_err(|_| self.mark_stale())?;
        let version = version_of(&head, today);
        *lock(&self.seen) = Some(Seen {
            head,
            at: Instant::now(),
        });
        Ok(version)
    }

    /// Reads the head and moves the live counts and the stored answers to it.
    fn bring_up_to_date(
        &self,
        conn: &mut DbConnection,
        upkeep: &mut Upkeep,
    ) -> Result<DataHead, ServiceError> {
        let head = storage::data_head(conn)?;
        let previous = upkeep.head.as_ref();
        if previous.is_some_and(|p| p.rules != head.rules) {
            // Labels, tier lists and the rule set named in answers change with a publication.
            self.counts.clear();
            self.flows.clear();
        }
        match previous.map(|p| p.position) {
            Some(before) if before == head.position => {}
            Some(before) if before < head.position => {
                let days = storage::effective_days_between(conn, before, head.position)?;
                let rows = storage::count_rows_on(conn, &days)?;
                Arc::make_mut(&mut upkeep.live).apply(rows);
                if let Some(first) = days.iter().min() {
                    self.counts.invalidate_from(*first);
                    self.flows.invalidate_from(*first);
                }
                metrics::counter!("counts_snapshot_updates_total", "kind" => "incremental")
                    .increment(1);
            }
            // First read, or a ledger that went backwards (a restored database): start over.
            _ => {
                upkeep.live = Arc::new(Live::load(storage::live_counts(conn)?));
                self.counts.clear();
                self.flows.clear();
                metrics::counter!("counts_snapshot_updates_total", "kind" => "full").increment(1);
            }
        }
        upkeep.head = Some(head.clone());
        Ok(head)
    }

    /// The live bucket counts as of the last refresh.
    pub(crate) fn live(&self) -> Arc<Live> {
        lock(&self.upkeep).live.clone()
    }

    /// The stored targets answer for this version, year, near-miss choice and plan.
    pub(crate) fn targets(
        &self,
        version: &DataVersion,
        year: i32,
        near: bool,
        plan: &TargetPlan,
    ) -> Option<Arc<Vec<TargetProgress>>> {
        let state = lock(&self.targets);
        let (at, answers) = state.as_ref()?;
        if at != version {
            return None;
        }
        answers
            .iter()
            .find(|(y, n, p, _)| *y == year && *n == near && p == plan)
            .map(|(.., answer)| answer.clone())
    }

    /// Keeps a targets answer computed at `version` (answers of older versions are dropped).
    pub(crate) fn keep_targets(
        &self,
        version: &DataVersion,
        year: i32,
        near: bool,
        plan: &TargetPlan,
        answer: Arc<Vec<TargetProgress>>,
    ) {
        let mut state = lock(&self.targets);
        match state.as_mut() {
            Some((at, answers)) if at == version => {
                if answers.len() >= TARGET_ANSWERS {
                    answers.remove(0);
                }
                answers.push((year, near, plan.clone(), answer));
            }
            _ => *state = Some((version.clone(), vec![(year, near, plan.clone(), answer)])),
        }
    }
}

/// Targets answers kept per version (years × with/without near misses).
const TARGET_ANSWERS: usize = 16;

fn version_of(head: &DataHead, today: NaiveDate) -> DataVersion {
    DataVersion {
        key: SnapshotKey {
            position: head.position,
            rules: head.rules,
            today,
        },
        audit: head.audit.clone(),
    }
}
