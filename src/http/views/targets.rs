//! Views of target progress.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ledger::TierEventResponse;
use super::links::link;
use crate::service::{NearMiss, TargetFirm, TargetProgress};

/// A firm close to entering a target's tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NearMissResponse {
    /// The firm.
    pub firm_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its district.
    pub region_code: String,
    /// The tier it is closest to.
    pub tier: String,
    /// Comparisons failing on its cheapest path to the tier.
    pub failing: usize,
    /// The largest relative gap among them (|threshold − actual| / |threshold|), if measurable.
    pub relative_gap: Option<f64>,
    /// The failing comparisons as the explanation states them.
    pub gaps: Vec<String>,
    /// The firm (`GET /firms/{id}`); its assessment explains every condition.
    pub firm_url: String,
}

impl From<&NearMiss> for NearMissResponse {
    fn from(n: &NearMiss) -> Self {
        Self {
            firm_id: n.firm_id,
            name: n.name.clone(),
            region_code: n.region_code.clone(),
            tier: n.tier.clone(),
            failing: n.failing,
            relative_gap: n.relative_gap,
            gaps: n.gaps.clone(),
            firm_url: format!("/api/v1/firms/{}", n.firm_id),
        }
    }
}

/// One target and how it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetProgressResponse {
    /// The target's id within its year: subject, kind and district (`gazelle-stock`).
    pub id: String,
    /// Calendar year.
    pub year: i32,
    /// The tier or tier group id.
    pub subject: String,
    /// `stock`, `net_increase`, `flow` or `recruited`.
    pub kind: String,
    /// `>` or `>=`.
    pub comparison: String,
    /// The target figure.
    pub value: i64,
    /// The district, if the target is for one.
    pub region: Option<String>,
    /// Where the figure comes from.
    pub source: String,
    /// The tiers counted (empty when not tracked).
    pub tiers: Vec<String>,
    /// The day measured: the year's last day, or today if earlier.
    pub as_of: NaiveDate,
    /// The measured figure; null when not tracked.
    pub actual: Option<i64>,
    /// actual / value; null when not tracked.
    pub progress: Option<f64>,
    /// The progress a linear pace through the year reaches on `as_of`.
    pub expected_progress: f64,
    /// `met`, `on_track`, `behind`, `missed` (the year is over and the figure of 31 December
    /// falls short), `incomplete_history` (the ledger begins inside the period: see
    /// `history_from`) or `not_tracked`.
    pub status: String,
    /// Whether the year is over, so `as_of` is 31 December and the status is final.
    pub closed: bool,
    /// The ledger's first day when it lies inside the period: nothing before it is recorded,
    /// and changes count only from the day after it (the initial load is not growth).
    pub history_from: Option<NaiveDate>,
    /// The first day whose changes the figure counts: 1 January, or the day after
    /// `history_from`.
    pub counted_from: NaiveDate,
    /// How the figure is measured, or why it is not tracked.
    pub note: Option<String>,
    /// Up to 10 firms closest to entering the tier (empty once met).
    pub near_misses: Vec<NearMissResponse>,
    /// The firms the figure counts (`GET /targets/{id}/firms?year=`).
    pub firms_url: String,
    /// The near-miss list (`GET /targets/{id}/near-misses?year=`).
    pub near_misses_url: String,
}

impl From<&TargetProgress> for TargetProgressResponse {
    fn from(p: &TargetProgress) -> Self {
        let id = p.target.id();
        let url = |what: &str| {
            link(
                &format!("/api/v1/targets/{id}/{what}"),
                &[("year", Some(p.target.year.to_string().as_str()))],
            )
        };
        Self {
            firms_url: url("firms"),
            near_misses_url: url("near-misses"),
            id: id.clone(),
            year: p.target.year,
            subject: p.target.subject.clone(),
            kind: p.target.kind.as_str().to_owned(),
            comparison: p.target.comparison.as_str().to_owned(),
            value: p.target.value,
            region: p.target.region.clone(),
            source: p.target.source.clone(),
            tiers: p.tiers.clone(),
            as_of: p.as_of,
            actual: p.actual,
            progress: p.progress,
            expected_progress: p.expected_progress,
            status: p.status.as_str().to_owned(),
            closed: p.closed,
            history_from: p.history_from,
            counted_from: p.counted_from,
            note: p.note.clone(),
            near_misses: p.near_misses.iter().map(Into::into).collect(),
        }
    }
}

/// `GET /targets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetsResponse {
    /// The year asked for.
    pub year: i32,
    /// Its targets, in file order.
    pub items: Vec<TargetProgressResponse>,
}

/// A firm a target counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetFirmResponse {
    /// The firm.
    pub firm_id: Uuid,
    /// Its name.
    pub name: String,
    /// The tier it holds, came into or left.
    pub tier: String,
    /// Its district when counted.
    pub region_code: String,
    /// What it adds to the figure: 1, or −1 for a departure from a net-increase target.
    pub counts: i64,
    /// The event that counts it (for a stock: its last event before `as_of`).
    pub event: TierEventResponse,
    /// The firm (`GET /firms/{id}`); its assessment and history are beside it.
    pub firm_url: String,
}

impl TryFrom<&TargetFirm> for TargetFirmResponse {
    type Error = anyhow::Error;

    fn try_from(f: &TargetFirm) -> Result<Self, Self::Error> {
        Ok(Self {
            firm_id: f.firm_id,
            name: f.name.clone(),
            tier: f.tier.clone(),
            region_code: f.region_code.clone(),
            counts: f.counts,
            event: TierEventResponse::try_from(&f.event)?,
            firm_url: format!("/api/v1/firms/{}", f.firm_id),
        })
    }
}

/// `GET /targets/{id}/firms`: a page of the firms behind a target's figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetFirmPage {
    /// The target and how it stands.
    pub target: TargetProgressResponse,
    /// Entries in all; their `counts` add up to the target's `actual` (a district's net
    /// increase also moves with firms changing district, which are not listed).
    pub total: usize,
    /// This page, in firm order (stock) or effective order (flows).
    pub items: Vec<TargetFirmResponse>,
    /// Pass as `offset` for the next page; null on the last page.
    pub next_offset: Option<usize>,
}

/// `GET /targets/{id}/near-misses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetNearMissesResponse {
    /// The target and how it stands.
    pub target: TargetProgressResponse,
    /// The firms closest to the tier, smallest gap first (at most 10; empty once met), each
    /// with the comparisons that decide it.
    pub items: Vec<NearMissResponse>,
}
