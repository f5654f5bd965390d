//! Recording tier changes: every write that can change a firm's facts reclassifies the firm in
//! the same transaction and appends an event per track whose tier changed.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::ledger_batch::LedgerBatch;
use super::{Registry, ServiceError};
use crate::domain::{Dossier, Firm};
use crate::rules::{self, Assessment, EvalContext, RuleSet};
use crate::storage::{self, Bucket, CurrentTierRow, DbConnection, EventRow, LedgerLock};

/// Why a firm was reclassified; recorded on each event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The firm's own record changed (including status and listing).
    FirmChanged,
    /// Annual figures were written.
    FiguresChanged,
    /// A financing round was recorded.
    FinancingAdded,
    /// A certificate was recorded.
    CertificateChanged,
    /// A rule set was published.
    RulesPublished,
    /// Days passed: a cohort, a certificate or the data year moved on.
    TimePassed,
    /// A bulk import.
    Import,
    /// A financing round or certificate was corrected or withdrawn.
    Correction,
}

impl Cause {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirmChanged => "firm_changed",
            Self::FiguresChanged => "figures_changed",
            Self::FinancingAdded => "financing_added",
            Self::CertificateChanged => "certificate_changed",
            Self::RulesPublished => "rules_published",
            Self::TimePassed => "time_passed",
            Self::Import => "import",
            Self::Correction => "correction",
        }
    }
}

/// The kind of a tier change in a track; `moved` when the tier stays and the firm's district
/// or industry changed.
pub fn event_kind(track: &rules::Track, from: Option<&str>, to: Option<&str>) -> &'static str {
    let rank = |tier: &str| track.tiers.iter().position(|t| t.id == tier);
    match (from, to) {
        (None, _) => "entered",
        (_, None) => "exited",
        (Some(a), Some(b)) if a == b => "moved",
        (Some(a), Some(b)) => {
            if rank(b) > rank(a) {
                "promoted"
            } else {
                "demoted"
            }
        }
    }
}

/// Who did it and why, for the events of one write.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    /// Why.
    pub cause: Cause,
    /// Who: a user name, `api`, `cli`, `system`.
    pub actor: &'a str,
    /// The day the change takes effect.
    pub day: NaiveDate,
    /// When it is recorded.
    pub at: DateTime<Utc>,
}

/// Compares a firm's freshly computed tiers with the ones it holds, and queues the
/// differences in `batch`: events, the firm's new current tiers and count deltas. `fresh`
/// says the firm was inserted in this transaction (no events or tiers yet). Returns how many
/// events were queued; they are written by `LedgerBatch::flush`.
#[allow(clippy::too_many_arguments)] // each is a distinct input of the comparison
pub fn apply_classification(
    batch: &mut LedgerBatch,
    set: &RuleSet,
    ctx: &EvalContext<'_>,
    firm: &Firm,
    dossier: &Dossier,
    current: &[CurrentTierRow],
    fresh: bool,
    provenance: Provenance<'_>,
) -> Result<usize, ServiceError> {
    let tiers = rules::classify(set, dossier, ctx);
    let region = firm.profile.region_code.as_str();
    let industry = firm.profile.industry_code.as_str();
    let held = |track: &str| current.iter().find(|c| c.track == track);

    let mut changes: Vec<Change> = Vec::new();
    for (index, track) in set.tracks().iter().enumerate() {
        let new = tiers.get(index).map(|t| track.tiers[t].id.clone());
        let old = held(&track.id);
        match (old, &new) {
            (Some(old), Some(new)) if &old.tier == new => {
                if old.region_code != region || old.industry_code != industry {
                    // Same tier, another district or industry: a `moved` event, so the
                    // ledger alone accounts for every count per district and industry.
                    changes.push(Change {
                        index: Some(index),
                        track: track.id.clone(),
                        from: Some(old.tier.clone()),
                        to: Some(new.clone()),
                    });
                }
            }
            (None, None) => {}
            _ => changes.push(Change {
                index: Some(index),
                track: track.id.clone(),
                from: old.map(|o| o.tier.clone()),
                to: new,
            }),
        }
    }
    for old in current {
        if set.track_index(&old.track).is_none() {
            changes.push(Change {
                index: None,
                track: old.track.clone(),
                from: Some(old.tier.clone()),
                to: None,
            });
        }
    }
    if changes.is_empty() {
        return Ok(0);
    }

    let day = provenance.day;
    let firm_id = firm.id.to_string();
    // The firm's complete new set of current tiers replaces the stored one.
    let mut next: Vec<CurrentTierRow> = Vec::with_capacity(current.len() + changes.len());
    for old in current {
        if changes.iter().any(|c| c.track == old.track) {
            continue;
        }
        next.push(old.clone());
    }

    let queued = changes.len();
    if !changes.is_empty() {
        // The explanation is worth its cost only when something is recorded.
        let assessment: Assessment = rules::evaluate(set, dossier, ctx);
        let recorded_at = EventRow::stored_time(provenance.at);
        for change in changes {
            let Change {
                index,
                track: track_id,
                from,
                to,
            } = change;
            let (kind, explanation) = match index {
                Some(i) => (
                    event_kind(&set.tracks()[i], from.as_deref(), to.as_deref()),
                    assessment
                        .tracks
                        .iter()
                        .find(|t| t.track == track_id)
                        .map(serde_json::to_string)
                        .transpose()
                        .map_err(|e| ServiceError::Unexpected(e.into()))?
                        .unwrap_or_else(|| "{}".into()),
                ),
                None => (
                    "exited",
                    serde_json::json!({"track": track_id, "note": "the rule set in force no longer has this track"})
                        .to_string(),
                ),
            };
            metrics::counter!("tier_events_recorded_total", "cause" => provenance.cause.as_str(), "kind" => kind)
                .increment(1);
            let old = held(&track_id);
            if let Some(old) = old {
                batch.add_count(bucket_of(old), day, -1);
            }
            if let Some(tier) = &to {
                let row = CurrentTierRow {
                    firm_id: firm_id.clone(),
                    track: track_id.clone(),
                    tier: tier.clone(),
                    // A move keeps the day the tier was reached.
                    since: old.filter(|o| &o.tier == tier).map_or(day, |o| o.since),
                    region_code: region.to_owned(),
                    industry_code: industry.to_owned(),
                };
                batch.add_count(bucket_of(&row), day, 1);
                next.push(row);
            }
            batch.push_event(
                EventRow {
                    // Assigned when the batch is flushed.
                    position: 0,
                    seq: 0,
                    firm_id: firm_id.clone(),
                    track: track_id,
                    from_tier: from,
                    to_tier: to,
                    kind: kind.to_owned(),
                    effective_on: day,
                    recorded_at,
                    cause: provenance.cause.as_str().to_owned(),
                    actor: provenance.actor.to_owned(),
                    ruleset_id: set.id().to_owned(),
                    ruleset_version: set.version() as i32,
                    ruleset_hash: set.content_hash().to_owned(),
                    region_code: region.to_owned(),
                    industry_code: industry.to_owned(),
                    explanation,
                },
                fresh,
            );
        }
    }
    batch.replace_current(&firm_id, !current.is_empty(), next);
    Ok(queued)
}

/// A track whose tier differs from the one held.
struct Change {
    /// The track's index in the set; `None` for a track the set no longer has.
    index: Option<usize>,
    track: String,
    from: Option<String>,
    to: Option<String>,
}

fn bucket_of(row: &CurrentTierRow) -> Bucket {
    Bucket {
        track: row.track.clone(),
        tier: row.tier.clone(),
        region_code: row.region_code.clone(),
        industry_code: row.industry_code.clone(),
    }
}

impl Registry {
    /// Reclassifies one firm as of today inside the caller's write transaction (which must
    /// already hold the firm: see `storage::lock_firm`).
    pub(crate) fn reclassify_in(
        &self,
        conn: &mut DbConnection,
        firm_id: Uuid,
        cause: Cause,
        actor: &str,
    ) -> Result<Vec<EventRow>, ServiceError> {
        self.classify_one_in(conn, cause, actor, |conn| {
            let (firm, dossier) =
                storage::load_dossier(conn, firm_id)?.ok_or(ServiceError::NotFound("firm"))?;
            let current = storage::current_tiers_of(conn, firm_id)?;
            Ok((firm, dossier, current, false))
        })
    }

    /// Classifies a firm the caller's transaction has just inserted. Its dossier is the
    /// profile alone and it holds no tiers and has no events, so nothing is read back: a
    /// registration saves the five queries of `reclassify_in` (firm, years, rounds,
    /// certificates, current tiers) and the sequence lookup.
    pub(crate) fn classify_new_in(
        &self,
        conn: &mut DbConnection,
        firm: &Firm,
        cause: Cause,
        actor: &str,
    ) -> Result<Vec<EventRow>, ServiceError> {
        self.classify_one_in(conn, cause, actor, |_| {
            let dossier = Dossier {
                firm: firm.profile.clone(),
                years: Vec::new(),
                financings: Vec::new(),
                certificates: Vec::new(),
            };
            Ok((firm.clone(), dossier, Vec::new(), true))
        })
    }

    /// Takes the ledger in shared mode, loads what `load` returns (the firm, its dossier, its
    /// current tiers, whether it is fresh) and records its changes.
    fn classify_one_in(
        &self,
        conn: &mut DbConnection,
        cause: Cause,
        actor: &str,
        load: impl FnOnce(
            &mut DbConnection,
        ) -> Result<(Firm, Dossier, Vec<CurrentTierRow>, bool), ServiceError>,
    ) -> Result<Vec<EventRow>, ServiceError> {
        storage::lock_ledger(conn, LedgerLock::Shared)?;
        let library = self.rules_cache().current(conn)?;
        let day = self.clock().today();
        self.check_day_order(conn, day)?;
        let Some(set) = library.in_force(day) else {
            tracing::warn!(%day, "no rule set in force: firms are not classified");
            return Ok(Vec::new());
        };
        let (firm, dossier, current, fresh) = load(conn)?;
        let ctx = EvalContext::new(day, self.catalog());
        let mut batch = LedgerBatch::default();
        apply_classification(
            &mut batch,
            set,
            &ctx,
            &firm,
            &dossier,
            &current,
            fresh,
            Provenance {
                cause,
                actor,
                day,
                at: self.clock().now(),
            },
        )?;
        let events = batch.finish(conn)?;
        for e in &events {
            tracing::info!(firm.id = %firm.id, tier.track = %e.track, tier.from = ?e.from_tier, tier.to = ?e.to_tier, kind = %e.kind, "tier changed");
        }
        Ok(events)
    }
}
