//! `tier-registry import`, `export` and `demo-data`: file handling and reports around the
//! service's import, export and demo load.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::DatabaseArgs;
use super::setup::{command_settings, registry, registry_with_rules, with_progress};
use crate::bulk::{CsvSink, FileKind, ImportReader, XlsxSink};
use crate::service::{DemoSummary, ImportReport, Registry, RowAction, RowOutcome};

/// `tier-registry import`: imports `file` into the configured database (its rules published
/// first, as the server would) with a spinner, the report on standard output. Returns whether
/// the file was free of errors.
pub fn import_command(
    config_dir: &Path,
    database: &DatabaseArgs,
    file: &Path,
    kind: Option<FileKind>,
    commit: bool,
) -> anyhow::Result<bool> {
    let registry = registry_with_rules(&command_settings(config_dir, database)?)?;
    with_progress("importing", "rows, then firms classified", |progress| {
        import(
            &registry,
            file,
            kind,
            commit,
            &mut std::io::stdout().lock(),
            progress,
        )
    })
}

/// `tier-registry export`: every firm to `out_path` (or CSV on standard output), with a spinner.
pub fn export_command(
    config_dir: &Path,
    database: &DatabaseArgs,
    format: ExportFormat,
    out_path: Option<&Path>,
) -> anyhow::Result<()> {
    let registry = registry(config_dir, database)?;
    let n = with_progress("exporting", "firms", |progress| {
        export(
            &registry,
            format,
            out_path,
            &mut std::io::stdout().lock(),
            progress,
        )
    })?;
    if let Some(path) = out_path {
        eprintln!("{n} firms written to {}", path.display());
    }
    Ok(())
}

/// `tier-registry demo-data`: a generated population written to the configured database (its
/// rules published first), with a spinner and a summary on standard output.
pub fn demo_data_command(
    config_dir: &Path,
    database: &DatabaseArgs,
    firms: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let registry = registry_with_rules(&command_settings(config_dir, database)?)?;
    with_progress("classifying", "firms", |progress| {
        demo_data(
            &registry,
            firms,
            seed,
            &mut std::io::stdout().lock(),
            progress,
        )
    })?;
    Ok(())
}

/// Reads `path`, imports it (a dry run unless `commit`) and writes the report to `out`: one
/// line per row, printed as the row is decided, then the tier changes, then a summary.
/// Returns whether the file was free of errors (the process exits 1 otherwise).
pub fn import(
    registry: &Registry,
    path: &Path,
    kind: Option<FileKind>,
    commit: bool,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> anyhow::Result<bool> {
    let opened =
        std::fs::File::open(path).with_context(|| format!("Failed to read {}", path.display()))?;
    // The file is read a chunk at a time while it is imported, never held whole.
    let mut file = match ImportReader::from_file(opened, kind) {
        Ok(file) => file,
        Err(e) => {
            writeln!(out, "{}: {e}; nothing was imported", path.display())?;
            return Ok(false);
        }
    };
    let kind = file.kind();
    // One line per row: a locked stdout is line-buffered, which cost a write(2) per row.
    let mut buffered = std::io::BufWriter::new(out);
    let mut failed = None;
    let report = registry
        .bulk()
        .import(
            &mut file,
            commit,
            "cli",
            progress,
            &mut |row: &RowOutcome| {
                if failed.is_none() {
                    failed = write_row(row, &mut buffered).err();
                }
            },
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    write_summary(&report, kind, commit, &mut buffered)?;
    buffered.flush()?;
    Ok(report.count(RowAction::Error) == 0)
}

/// One row's line of the report.
fn write_row(row: &RowOutcome, out: &mut dyn Write) -> std::io::Result<()> {
    let action = match row.action {
        RowAction::Create => "create",
        RowAction::Update => "update",
        RowAction::Unchanged => "unchanged",
        RowAction::Error => "error",
    };
    write!(out, "row {}: {action} {}", row.row, row.uscc)?;
    for (i, c) in row.changes.iter().enumerate() {
        let sep = if i == 0 { ":" } else { ";" };
        write!(
            out,
            "{sep} {} {} → {}",
            c.field,
            shown(&c.old),
            shown(&c.new)
        )?;
    }
    for e in &row.errors {
        write!(out, " [{}: {} ({})]", e.field, e.message, e.code)?;
    }
    writeln!(out)
}

/// The tier changes and the verdict, after the rows.
fn write_summary(
    report: &ImportReport,
    kind: FileKind,
    commit: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for c in &report.tier_changes {
        writeln!(
            out,
            "tier {} {}: {} → {} ({})",
            c.uscc,
            c.track,
            c.from.as_deref().unwrap_or("none"),
            c.to.as_deref().unwrap_or("none"),
            c.kind
        )?;
    }
    let errors = report.count(RowAction::Error);
    let verdict = if report.committed {
        "committed".to_owned()
    } else if errors > 0 {
        format!("{errors} row(s) refused: nothing was imported")
    } else if commit {
        "not committed".to_owned()
    } else {
        "dry run: nothing was written (add --commit to apply)".to_owned()
    };
    writeln!(
        out,
        "{} file: {} create, {} update, {} unchanged, {} error; {} tier change(s); {verdict}",
        kind.as_str(),
        report.count(RowAction::Create),
        report.count(RowAction::Update),
        report.count(RowAction::Unchanged),
        errors,
        report.tier_changes.len(),
    )?;
    Ok(())
}

/// A value of a changed field as the report prints it: text bare, "(empty)" when not known.
fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(empty)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// UTF-8 CSV with a BOM.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// Exports every firm to `out_path` (or, for CSV, `stdout` when no path is given). Returns
/// the number of firms written.
pub fn export(
    registry: &Registry,
    format: ExportFormat,
    out_path: Option<&Path>,
    stdout: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> anyhow::Result<u64> {
    let service = |e: crate::service::ServiceError| anyhow::anyhow!("{e}");
    match format {
        ExportFormat::Csv => match out_path {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .with_context(|| format!("Failed to create {}", path.display()))?;
                let mut sink = CsvSink::new(std::io::BufWriter::new(file))?;
                let n = registry
                    .bulk()
                    .export(&mut sink, progress)
                    .map_err(service)?;
                sink.finish()?.flush()?;
                Ok(n)
            }
            None => {
                let mut sink = CsvSink::new(stdout)?;
                let n = registry
                    .bulk()
                    .export(&mut sink, progress)
                    .map_err(service)?;
                sink.finish()?.flush()?;
                Ok(n)
            }
        },
        ExportFormat::Xlsx => {
            let path = out_path.context("an .xlsx export needs --out FILE")?;
            let mut sink = XlsxSink::new()?;
            let n = registry
                .bulk()
                .export(&mut sink, progress)
                .map_err(service)?;
            std::fs::write(path, sink.finish()?)
                .with_context(|| format!("Failed to write {}", path.display()))?;
            Ok(n)
        }
    }
}

/// Loads a demo population and writes a summary with the tier counts to `out`.
pub fn demo_data(
    registry: &Registry,
    firms: usize,
    seed: u64,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> anyhow::Result<DemoSummary> {
    let started = std::time::Instant::now();
    let summary = registry
        .bulk()
        .load_demo(firms, seed, "demo-data", progress)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "{} firms, {} years, {} rounds, {} certificates, {} tier events in {seconds:.1} s ({:.0} firms/s)",
        summary.firms,
        summary.years,
        summary.financings,
        summary.certificates,
        summary.events,
        summary.firms as f64 / seconds.max(1e-9)
    )?;
    for (tier, count) in &summary.tiers {
        writeln!(out, "  {tier}: {count}")?;
    }
    Ok(summary)
}
