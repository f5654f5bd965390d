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

/// Writes the rows as UTF-8 CSV with a byte order mark, so Excel on Chinese Windows opens
/// it without mangling names.
pub fn write_csv(
    out: impl Write,
    headers: &[String],
    rows: impl Iterator<Item = ExportRow>,
) -> anyhow::Result<u64> {
    let mut out = out;
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(headers)?;
    let mut count = 0;
    for row in rows {
        writer.write_record(row.iter().map(|cell| match cell {
            ExportCell::Text(t) => escape_cell(t).into_owned(),
            ExportCell::Int(i) => i.to_string(),
            ExportCell::Empty => String::new(),
        }))?;
        count += 1;
    }
    writer.flush()?;
    Ok(count)
}

/// Writes the rows as one worksheet of an .xlsx workbook and returns the file's bytes.
pub fn write_xlsx(
    headers: &[String],
    rows: impl Iterator<Item = ExportRow>,
) -> anyhow::Result<(Vec<u8>, u64)> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("firms")?;
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, header)?;
    }
    let mut count = 0u64;
    for (index, row) in rows.enumerate() {
        let r = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                // write_string never makes a formula, but the escape keeps a value that is
                // copied out of the sheet into another tool just as harmless.
                ExportCell::Text(t) => sheet.write_string(r, c, escape_cell(t))?,
                ExportCell::Int(i) => sheet.write_number(r, c, *i as f64)?,
                ExportCell::Empty => sheet,
            };
        }
        count += 1;
    }
    Ok((book.save_to_buffer()?, count))
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
