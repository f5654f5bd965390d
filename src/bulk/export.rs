//! Writing firms to CSV or Excel, with spreadsheet formula injection neutralised.

use std::io::Write;

use rust_xlsxwriter::Workbook;

/// One exported cell: text (escaped on output) or a whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportCell {
    /// Text, written with a leading `'` if a spreadsheet could read it as a formula.
    Text(String),
    /// A whole number (money in yuan, heads, years).
    Int(i64),
    /// Not known.
    Empty,
}

/// One exported row, cells in `export_headers` order.
pub type ExportRow = Vec<ExportCell>;

/// The export's columns: the firm, one tier column per track, then the latest year's figures.
pub fn export_headers(tracks: &[String]) -> Vec<String> {
    let mut headers: Vec<String> = [
        "uscc",
        "name",
        "name_en",
        "region_code",
        "industry_code",
        "founded_on",
        "listed_on",
        "status",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    headers.extend(tracks.iter().map(|t| format!("tier_{t}")));
    headers.extend(
        [
            "fiscal_year",
            "revenue",
            "rd_expense",
            "high_tech_revenue",
            "employees",
            "tech_staff",
            "ip_class1",
            "ip_class2",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    headers
}

/// A cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`
/// so it is shown as text (OWASP "CSV injection").
pub fn escape_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Where exported rows go: a header first, then rows.
pub trait RowSink {
    /// Writes the header row.
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()>;
    /// Writes one data row.
    fn row(&mut self, row: &ExportRow) -> anyhow::Result<()>;
}

/// UTF-8 CSV with a byte order mark, so Excel on Chinese Windows opens it without mangling
/// names.
pub struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out`; the BOM is written at once.
    pub fn new(mut out: W) -> anyhow::Result<Self> {
        out.write_all(b"\xEF\xBB\xBF")?;
        Ok(Self {
            writer: csv::Writer::from_writer(out),
        })
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> anyhow::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("Failed to flush the CSV: {}", e.error()))
    }
}

impl<W: Write> RowSink for CsvSink<W> {
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()> {
        Ok(self.writer.write_record(headers)?)
    }

    fn row(&mut self, row: &ExportRow) -> anyhow::Result<()> {
        Ok(self.writer.write_record(row.iter().map(|cell| match cell {
            ExportCell::Text(t) => escape_cell(t).into_owned(),
            ExportCell::Int(i) => i.to_string(),
            ExportCell::Empty => String::new(),
        }))?)
    }
}

/// One worksheet of an .xlsx workbook, built in memory.
pub struct XlsxSink {
    book: Workbook,
    next_row: u32,
}

impl XlsxSink {
    /// An empty workbook with a `firms` sheet.
    pub fn new() -> anyhow::Result<Self> {
        let mut book = Workbook::new();
        book.add_worksheet().set_name("firms")?;
        Ok(Self { book, next_row: 0 })
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        Ok(self.book.save_to_buffer()?)
    }

    fn write(&mut self, cells: &[ExportCell]) -> anyhow::Result<()> {
        let r = self.next_row;
        let sheet = self.book.worksheet_from_index(0)?;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                // write_string never makes a formula, but the escape keeps a value copied out
                // of the sheet into another tool just as harmless.
                ExportCell::Text(t) => sheet.write_string(r, c, escape_cell(t))?,
                ExportCell::Int(i) => sheet.write_number(r, c, *i as f64)?,
                ExportCell::Empty => sheet,
            };
        }
        self.next_row += 1;
        Ok(())
    }
}

impl RowSink for XlsxSink {
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()> {
        let cells: Vec<ExportCell> = headers
            .iter()
            .map(|h| ExportCell::Text(h.clone()))
            .collect();
        self.write(&cells)
    }

    fn row(&mut self, row: &ExportRow) -> anyhow::Result<()> {
        self.write(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_evaluate_get_a_leading_quote() {
        for (raw, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("常州星河", "常州星河"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(escape_cell(raw), shown, "{raw:?}");
        }
    }
}
