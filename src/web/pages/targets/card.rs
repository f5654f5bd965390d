//! A target as a card: the same on the dashboard and on the targets page.

use crate::domain::RegionCatalog;
use crate::service::{TargetPlan, TargetProgress};
use crate::web::PageContext;
use crate::web::names::Names;

use super::view::heading;

/// A target as a card (the targets page and the dashboard): what it asks, the figure on its
/// day, the status and its links.
pub(crate) struct TargetCard {
    pub(crate) year: i32,
    /// The subject (and district), without the year.
    pub(crate) subject: String,
    pub(crate) goal: String,
    pub(crate) actual: String,
    /// The day the figure is taken (and whether the year is over).
    pub(crate) measured: String,
    /// From which day the figure counts, when the ledger begins inside the year.
    pub(crate) history: Option<String>,
    /// Progress in percent, 0–100 for the bar (the text shows the true figure).
    pub(crate) bar: u32,
    pub(crate) percent: String,
    pub(crate) status: &'static str,
    pub(crate) status_text: String,
    pub(crate) source: String,
    /// The firms the figure counts.
    pub(crate) firms_href: String,
    /// The firms closest to the tier.
    pub(crate) near_href: String,
}

/// The card of `p`.
pub(crate) fn card(
    ctx: &PageContext,
    names: &Names,
    catalog: &RegionCatalog,
    plan: &TargetPlan,
    p: &TargetProgress,
) -> TargetCard {
    let h = heading(ctx, names, catalog, plan, p);
    let progress = p.progress.unwrap_or(0.0);
    TargetCard {
        year: p.target.year,
        subject: h.subject,
        goal: h.goal,
        actual: h.actual,
        measured: h.measured,
        history: h.history,
        // Clamped to 0–100 first, so the cast cannot truncate.
        bar: (progress * 100.0).clamp(0.0, 100.0).round() as u32,
        percent: p
            .progress
            .map_or_else(|| "—".to_owned(), |x| format!("{:.0}%", x * 100.0)),
        status: h.status,
        status_text: h.status_text,
        source: p.target.source.clone(),
        firms_href: h.firms_href,
        near_href: h.near_href,
    }
}
