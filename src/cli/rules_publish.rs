//! `tier-registry rules publish` and `rules simulate`: a rule file against the database.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;

use super::setup::with_progress;
use crate::service::Registry;

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("Failed to read {}", path.display()))
}

/// Publishes the rule file at `path` and reclassifies every firm (all or nothing), then says
/// on `out` what changed, or that this exact file was already published.
pub fn rules_publish(registry: &Registry, path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let text = read(path)?;
    let origin = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let outcome = with_progress("reclassifying", "firms", |progress| {
        registry
            .rule_sets()
            .publish(&text, &origin, "cli", progress)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if outcome.published {
        writeln!(
            out,
            "published {} version {} ({}); in force today: {}; {} firms reclassified, {} tier events recorded",
            outcome.id,
            outcome.version,
            outcome.content_hash,
            outcome.in_force,
            outcome.summary.firms,
            outcome.summary.events
        )?;
    } else {
        writeln!(
            out,
            "{} version {} is already published with this content; nothing changed",
            outcome.id, outcome.version
        )?;
    }
    Ok(())
}

/// Writes to `out`, as pretty JSON, what the draft rule file at `path` would change as of
/// `as_of` (default today); writes nothing to the database.
pub fn rules_simulate(
    registry: &Registry,
    path: &Path,
    as_of: Option<NaiveDate>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let text = read(path)?;
    let report = registry
        .rule_sets()
        .simulate(&text, &path.display().to_string(), as_of)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(())
}
