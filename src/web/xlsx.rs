//! Spreadsheet downloads of the pages' tables: one worksheet per table, the same rows and
//! figures the page shows (the view model is the single source of both).

use actix_web::HttpResponse;
use actix_web::http::header;
use rust_xlsxwriter::{Format, Workbook};

use super::WebError;
use super::render::secure_headers;
use crate::bulk::escape_cell;

/// One cell: text or a whole number (counts stay numbers, so a spreadsheet can sum them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Int(i64),
}

/// One worksheet: a name, a header row and the rows below it.
pub struct Sheet {
    /// The tab's name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, cells in header order.
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook of `sheets`, as bytes.
pub fn workbook(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for s in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(&s.name)?;
        for (col, h) in (0u16..).zip(&s.header) {
            sheet.write_string_with_format(0, col, escape_cell(h), &bold)?;
            // Chinese names are wide: give each column room for about 14 characters.
            sheet.set_column_width(col, if col == 0 { 28 } else { 14 })?;
        }
        for (row, cells) in (1u32..).zip(&s.rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    // write_string never makes a formula; the escape keeps a value copied out
                    // of the sheet into another tool just as harmless.
                    Cell::Text(t) => sheet.write_string(row, col, escape_cell(t))?,
                    // Counts are far below 2^53: exact as a spreadsheet number.
                    Cell::Int(n) => sheet.write_number(row, col, *n as f64)?,
                };
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// The download response of a workbook named `filename` (ASCII).
pub fn download(bytes: Vec<u8>, filename: &str) -> Result<HttpResponse, WebError> {
    let mut response = HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes);
    secure_headers(response.headers_mut());
    Ok(response)
}
