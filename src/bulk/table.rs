//! A file as a header row and data rows of text cells, whatever its format.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::decode::{FileError, decode_utf8};

/// One data row: its number as a spreadsheet shows it (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Row number in the file, the header being row 1.
    pub number: usize,
    /// Cell texts, trimmed; an empty string is an empty cell.
    pub cells: Vec<String>,
}

/// A header row and the data rows under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells, trimmed.
    pub headers: Vec<String>,
    /// Data rows; wholly empty rows are skipped.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// Builds a table from numbered rows, the first being the header.
    fn from_rows(rows: impl Iterator<Item = (usize, Vec<String>)>) -> Result<Self, FileError> {
        let mut rows = rows;
        let Some((_, headers)) = rows.next() else {
            return Err(FileError::Empty);
        };
        let rows: Vec<TableRow> = rows
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .map(|(number, cells)| TableRow { number, cells })
            .collect();
        if rows.is_empty() {
            return Err(FileError::Empty);
        }
        Ok(Self { headers, rows })
    }
}

/// Reads CSV bytes (UTF-8, optional BOM; quoted cells may contain commas and newlines).
pub fn read_csv(bytes: &[u8]) -> Result<Table, FileError> {
    let text = decode_utf8(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // One record buffer for the whole file: the crate's iterator allocates one per row.
    let mut record = csv::StringRecord::new();
    let mut index = 0;
    // The csv crate skips blank lines, which a spreadsheet shows as rows; its line count
    // includes them but not newlines inside quoted cells, so it is the spreadsheet's row.
    while reader
        .read_record(&mut record)
        .map_err(|e| FileError::Unreadable(e.to_string()))?
    {
        index += 1;
        let row = record.position().map_or(index, |p| p.line() as usize);
        rows.push((row, record.iter().map(|c| c.trim().to_owned()).collect()));
    }
    Table::from_rows(rows.into_iter())
}

/// Reads the first worksheet of an Excel workbook (.xlsx, .xls, .ods). Dates become
/// `YYYY-MM-DD`, whole numbers lose their `.0`.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    let unreadable = |e: &dyn std::fmt::Display| FileError::Unreadable(e.to_string());
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(FileError::Empty)?
        .map_err(|e| unreadable(&e))?;
    // Rows above the used range are blank in the sheet; keep numbering as Excel shows it.
    let offset = range.start().map_or(0, |(row, _)| row as usize);
    let rows = range.rows().enumerate().map(|(index, row)| {
        (
            offset + index + 1,
            row.iter().map(cell_text).collect::<Vec<String>>(),
        )
    });
    Table::from_rows(rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.date().to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#ERROR {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_newlines_stay_inside_one_cell_and_rows_are_numbered_as_in_a_spreadsheet() {
        let table = read_csv("a,b\n\"x\ny\",2\n\n3,4\n".as_bytes()).expect("reads");
        assert_eq!(table.headers, vec!["a", "b"]);
        assert_eq!(table.rows[0].cells, vec!["x\ny", "2"]);
        assert_eq!(table.rows[0].number, 2);
        assert_eq!(table.rows[1].number, 4);
    }

    #[test]
    fn a_header_without_rows_is_an_empty_file() {
        assert_eq!(read_csv(b"uscc,name\n"), Err(FileError::Empty));
    }
}
