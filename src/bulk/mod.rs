//! Spreadsheet files in and out: reading CSV and Excel imports into wire inputs, writing
//! exports safely, and generating demonstration populations. No actix, no diesel.

mod cells;
mod columns;
mod decode;
mod demo;
mod export;
mod records;
mod rng;
mod row_inputs;
mod source;
mod table;

pub use columns::{Column, FileKind};
pub use decode::{FileError, decode_utf8};
pub use demo::{DemoFirm, DemoOptions, generate_population};
pub use export::{CsvSink, ExportCell, ExportRow, RowSink, XlsxSink, escape_cell, export_headers};
pub use records::{ImportFile, Record, RowError, parse_file};
pub use rng::SplitMix64;
pub use source::{CHUNK_ROWS, ImportReader, ParsedRow};
pub use table::{Table, TableRow, read_csv, read_xlsx};
