//! `tier-registry reclassify`: record the tier changes time has brought.

use std::io::Write;

use chrono::NaiveDate;

use super::setup::with_progress;
use crate::service::Registry;

/// Re-evaluates every firm for each day not yet covered, up to `as_of` (default today), and
/// writes a line per day to `out`.
pub fn reclassify(
    registry: &Registry,
    as_of: Option<NaiveDate>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let until = as_of.unwrap_or_else(|| registry.clock().today());
    let days = with_progress("re-evaluating", "firms", |progress| {
        registry.time().pass(until, "cli", progress)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if days.is_empty() {
        writeln!(
            out,
            "nothing to do: time-passing changes are recorded up to {until}"
        )?;
    }
    for (day, summary) in days {
        writeln!(
            out,
            "{day}: {} firms re-evaluated, {} tier events recorded",
            summary.firms, summary.events
        )?;
    }
    Ok(())
}
