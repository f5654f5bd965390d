//! Recording tier changes: every write that can change a firm's facts reclassifies the firm in
//! the same transaction and appends an event per track whose tier changed.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::error::ServiceError;
use super::ledger_batch::LedgerBatch;
use super::registry::Registry;
use super::tier_diff::{Place, TrackChange, TrackNow, diff_tiers};
use crate::domain::{Dossier, EventKind, Firm, NewTierEvent, TierEvent};
use crate::rules::{self, Assessment, EvalContext, RuleSet};
use crate::storage::{self, Bucket, CurrentTierRow, DbConnection, LedgerLock};

/// Why a firm was reclassified: a domain value, named here too for the ledger's callers.
pub use crate::domain::Cause;

/// The kind of a tier change in a track; `moved` when the tier stays and the firm's district
/// or industry changed.
pub fn event_kind(track: &rules::Track, from: Option<&str>, to: Option<&str>) -> EventKind {
    EventKind::between(from, to, |tier| {
        track.tiers.iter().position(|t| t.id == tier)
    })
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

/// One firm to reclassify: the rule set and day, the firm and its facts, the tiers it holds.
#[derive(Debug, Clone, Copy)]
pub struct Reclassification<'a> {
    /// The rule set in force.
    pub set: &'a RuleSet,
    /// The day and city the rules are evaluated for.
    pub ctx: &'a EvalContext<'a>,
    /// The firm as it is now.
    pub firm: &'a Firm,
    /// Its facts.
    pub dossier: &'a Dossier,
    /// The tiers it holds.
    pub current: &'a [CurrentTierRow],
    /// The firm was inserted in this transaction (no events or tiers yet).
    pub fresh: bool,
    /// Who and why.
    pub provenance: Provenance<'a>,
}

/// Compares a firm's freshly computed tiers with the ones it holds, and queues the
/// differences in `batch`: events, the firm's new current tiers and count deltas. Returns how
/// many events were queued; they are written by `LedgerBatch::flush`.
pub fn apply_classification(
    batch: &mut LedgerBatch,
    input: &Reclassification<'_>,
) -> Result<usize, ServiceError> {
    let changes = changes_of(input);
    if changes.is_empty() {
        return Ok(0);
    }
    // The explanation is worth its cost only when something is recorded.
    let assessment = rules::evaluate(input.set, input.dossier, input.ctx);
    let firm_id = input.firm.id.to_string();
    // The firm's complete new set of current tiers replaces the stored one.
    let mut next: Vec<CurrentTierRow> = input
        .current
        .iter()
        .filter(|old| !changes.iter().any(|c| c.track == old.track))
        .cloned()
        .collect();
    let queued = changes.len();
    for change in changes {
        let explanation = explanation_of(&assessment, &change)?;
        metrics::counter!("tier_events_recorded_total", "cause" => input.provenance.cause.as_str(), "kind" => change.kind.as_str())
            .increment(1);
        if let Some(row) = move_counts(batch, input, &firm_id, &change) {
            next.push(row);
        }
        batch.push_event(new_event(input, change, explanation), input.fresh);
    }
    batch.replace_current(&firm_id, !input.current.is_empty(), next);
    Ok(queued)
}

/// Classifies the firm and compares the result with the tiers it holds.
fn changes_of(input: &Reclassification<'_>) -> Vec<TrackChange> {
    let tiers = rules::classify(input.set, input.dossier, input.ctx);
    let now: Vec<TrackNow<'_>> = input
        .set
        .tracks()
        .iter()
        .enumerate()
        .map(|(index, track)| TrackNow {
            id: &track.id,
            tiers: track.tiers.iter().map(|t| t.id.as_str()).collect(),
            reached: tiers.get(index),
        })
        .collect();
    diff_tiers(input.current, &now, place_of(input.firm))
}

fn place_of(firm: &Firm) -> Place<'_> {
    Place {
        region_code: firm.profile.region_code.as_str(),
        industry_code: firm.profile.industry_code.as_str(),
    }
}

/// The track's explanation as JSON text, recorded with the event.
fn explanation_of(assessment: &Assessment, change: &TrackChange) -> Result<String, ServiceError> {
    if change.index.is_none() {
        return Ok(serde_json::json!({
            "track": change.track,
            "note": "the rule set in force no longer has this track"
        })
        .to_string());
    }
    Ok(assessment
        .tracks
        .iter()
        .find(|t| t.track == change.track)
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ServiceError::Unexpected(e.into()))?
        .unwrap_or_else(|| "{}".into()))
}

/// Moves the firm out of the count bucket it held in the change's track and into the new
/// one; returns its new current tier there, if it holds one.
fn move_counts(
    batch: &mut LedgerBatch,
    input: &Reclassification<'_>,
    firm_id: &str,
    change: &TrackChange,
) -> Option<CurrentTierRow> {
    let day = input.provenance.day;
    let old = input.current.iter().find(|c| c.track == change.track);
    if let Some(old) = old {
        batch.add_count(bucket_of(old), day, -1);
    }
    let tier = change.to.as_ref()?;
    let place = place_of(input.firm);
    let row = CurrentTierRow {
        firm_id: firm_id.to_owned(),
        track: change.track.clone(),
        tier: tier.clone(),
        // A move keeps the day the tier was reached.
        since: old.filter(|o| &o.tier == tier).map_or(day, |o| o.since),
        region_code: place.region_code.to_owned(),
        industry_code: place.industry_code.to_owned(),
    };
    batch.add_count(bucket_of(&row), day, 1);
    Some(row)
}

/// The event recording `change`, without its ledger position and sequence number yet.
fn new_event(
    input: &Reclassification<'_>,
    change: TrackChange,
    explanation: String,
) -> NewTierEvent {
    let Reclassification {
        set,
        firm,
        provenance,
        ..
    } = *input;
    let place = place_of(firm);
    NewTierEvent {
        firm_id: firm.id,
        track: change.track,
        from_tier: change.from,
        to_tier: change.to,
        kind: change.kind,
        effective_on: provenance.day,
        recorded_at: provenance.at,
        cause: provenance.cause,
        actor: provenance.actor.to_owned(),
        rule_set_id: set.id().to_owned(),
        rule_set_version: set.version() as i32,
        rule_set_hash: set.content_hash().to_owned(),
        region_code: place.region_code.to_owned(),
        industry_code: place.industry_code.to_owned(),
        explanation,
    }
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
    ) -> Result<Vec<TierEvent>, ServiceError> {
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
    ) -> Result<Vec<TierEvent>, ServiceError> {
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
    ) -> Result<Vec<TierEvent>, ServiceError> {
        storage::lock_ledger(conn, LedgerLock::Shared)?;
        let library = self.rules_cache().current(conn)?;
        let day = self.clock().today();
        self.time().check_day_order(conn, day)?;
        let Some(set) = library.in_force(day) else {
            tracing::warn!(%day, "no rule set in force: firms are not classified");
            return Ok(Vec::new());
        };
        let (firm, dossier, current, fresh) = load(conn)?;
        let ctx = EvalContext::new(day, self.catalog());
        let mut batch = LedgerBatch::default();
        apply_classification(
            &mut batch,
            &Reclassification {
                set,
                ctx: &ctx,
                firm: &firm,
                dossier: &dossier,
                current: &current,
                fresh,
                provenance: Provenance {
                    cause,
                    actor,
                    day,
                    at: self.clock().now(),
                },
            },
        )?;
        let events = batch.finish(conn)?;
        for e in &events {
            tracing::info!(firm.id = %firm.id, tier.track = %e.track, tier.from = ?e.from_tier, tier.to = ?e.to_tier, kind = e.kind.as_str(), "tier changed");
        }
        Ok(events)
    }
}
