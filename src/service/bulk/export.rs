//! Exporting every firm with its current tiers and latest figures, from one consistent
//! snapshot.

use super::Bulk;
use crate::bulk::{ExportCell, ExportRow, RowSink, export_headers};
use crate::service::error::ServiceError;
use crate::storage::{self, FirmForClassification};

/// Firms read per query batch.
const BATCH: i64 = 2_000;

impl Bulk<'_> {
    /// Writes a header and one row per firm (registration order within id order) to `sink`;
    /// tier columns follow the tracks of the rule set in force today. Returns rows written.
    #[tracing::instrument(skip_all)]
    pub fn export(
        &self,
        sink: &mut dyn RowSink,
        progress: &dyn Fn(u64),
    ) -> Result<u64, ServiceError> {
        let mut conn = self.registry.conn()?;
        // One read transaction: on SQLite (WAL) and PostgreSQL alike, every batch sees the
        // same snapshot, so a firm written mid-export cannot appear half-updated.
        storage::read_transaction(&mut conn, |conn| {
            let library = self.registry.rules_cache().current(conn)?;
            let tracks: Vec<String> = library
                .in_force(self.registry.clock().today())
                .map(|set| set.tracks().iter().map(|t| t.id.clone()).collect())
                .unwrap_or_default();
            sink.header(&export_headers(&tracks))?;
            let mut after = None;
            let mut written = 0u64;
            loop {
                let batch = storage::load_batch(conn, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = Some(last.firm.id);
                for item in &batch {
                    sink.row(&export_row(item, &tracks))?;
                }
                written += batch.len() as u64;
                progress(written);
            }
            Ok(written)
        })
    }
}

fn export_row(item: &FirmForClassification, tracks: &[String]) -> ExportRow {
    let p = &item.firm.profile;
    let text = |s: &str| ExportCell::Text(s.to_owned());
    let opt = |s: Option<String>| s.map_or(ExportCell::Empty, ExportCell::Text);
    let mut row = vec![
        text(p.uscc.as_str()),
        text(&p.name),
        opt(p.name_en.clone()),
        text(p.region_code.as_str()),
        text(p.industry_code.as_str()),
        text(&p.founded_on.to_string()),
        opt(p.listed_on.map(|d| d.to_string())),
        text(p.status.as_str()),
    ];
    for track in tracks {
        row.push(opt(item
            .current
            .iter()
            .find(|c| &c.track == track)
            .map(|c| c.tier.clone())));
    }
    let int = |v: Option<i64>| v.map_or(ExportCell::Empty, ExportCell::Int);
    match item.dossier.years.iter().max_by_key(|y| y.fiscal_year) {
        Some(y) => row.extend([
            ExportCell::Int(i64::from(y.fiscal_year)),
            int(y.revenue),
            int(y.rd_expense),
            int(y.high_tech_revenue),
            int(y.employees),
            int(y.tech_staff),
            int(y.ip_class1),
            int(y.ip_class2),
        ]),
        None => row.extend(std::iter::repeat_n(ExportCell::Empty, 8)),
    }
    row
}
