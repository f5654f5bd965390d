//! An import file read a chunk of rows at a time, so a million-row file never sits in memory
//! whole: CSV is streamed from its reader; a workbook is read whole by calamine (Excel holds
//! at most a million rows) and handed out in the same chunks.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use super::columns::FileKind;
use super::decode::{CrlfAsLf, FileError, decode_utf8};
use super::records::{ReadRow, Record, RowError, read_row};
use super::table::{TableRow, read_xlsx};
use crate::domain::FieldError;

/// Rows per chunk: enough that per-chunk work (a channel message, a lookup query) costs
/// nothing per row, few enough that a chunk's records take a few megabytes.
pub const CHUNK_ROWS: usize = 2_048;

/// One data row: its number as a spreadsheet shows it (the header is row 1) and its record,
/// or every error found in it.
pub type ParsedRow = (usize, Result<Record, RowError>);

/// An import file being read: its kind, known from the header, and its rows in chunks, each
/// row checked against the rows before it for a repeated key.
pub struct ImportReader<'a> {
    kind: FileKind,
    mapping: Vec<usize>,
    rows: Rows<'a>,
    /// Each key read so far with the last row that named it; a key is bounded (a USCC and a
    /// year or a date and a label), so this is the only memory that grows with the file.
    keys: HashMap<Box<str>, usize>,
    /// The first chunk, read when the file was opened so an empty file is refused before
    /// anything is written.
    first: Option<Vec<ParsedRow>>,
}

/// Where the data rows come from.
enum Rows<'a> {
    Csv {
        reader: csv::Reader<Box<dyn Read + Send + 'a>>,
        /// One record buffer for the whole file: the crate's iterator allocates one per row.
        record: csv::StringRecord,
        /// The last record's row as a spreadsheet shows it (the header's is 1).
        row: usize,
        /// The reader's line after the last record.
        line: u64,
    },
    Table(std::vec::IntoIter<TableRow>),
}

/// A UTF-8 byte order mark, which Excel writes before "CSV UTF-8".
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl ImportReader<'static> {
    /// Reads an import file held in memory and owned by the reader (an upload, read on the
    /// blocking pool).
    pub fn from_bytes(bytes: Vec<u8>, kind: Option<FileKind>) -> Result<Self, FileError> {
        if is_workbook(&bytes) {
            return Self::from_workbook(&bytes, kind);
        }
        decode_utf8(&bytes)?;
        Self::from_csv(Box::new(std::io::Cursor::new(bytes)), kind)
    }
}

impl<'a> ImportReader<'a> {
    /// Opens an import file on disk: Excel if it starts with a workbook's signature, CSV
    /// otherwise. A CSV file is read twice, the first time only to refuse invalid UTF-8 before
    /// any row is reported (reading a file the page cache holds costs little beside
    /// importing it). `kind` overrides detection from the headers.
    pub fn from_file(mut file: File, kind: Option<FileKind>) -> Result<Self, FileError> {
        let mut head = [0u8; 4];
        let read = read_up_to(&mut file, &mut head)?;
        rewind(&mut file)?;
        if is_workbook(&head[..read]) {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(unreadable)?;
            return Self::from_workbook(&bytes, kind);
        }
        check_utf8(BufReader::new(&mut file))?;
        rewind(&mut file)?;
        Self::from_csv(Box::new(file), kind)
    }

    /// Reads an import file held in memory (an upload, a test).
    pub fn from_slice(bytes: &'a [u8], kind: Option<FileKind>) -> Result<Self, FileError> {
        if is_workbook(bytes) {
            return Self::from_workbook(bytes, kind);
        }
        let text = decode_utf8(bytes)?;
        Self::from_csv(Box::new(text.as_bytes()), kind)
    }

    /// What the rows hold.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The next rows in file order (at most `CHUNK_ROWS`), or `None` after the last.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<ParsedRow>>, FileError> {
        match self.first.take() {
            Some(first) => Ok(Some(first)),
            None => self.read_chunk(),
        }
    }

    fn from_workbook(bytes: &[u8], kind: Option<FileKind>) -> Result<Self, FileError> {
        let table = read_xlsx(bytes)?;
        Self::start(table.headers, Rows::Table(table.rows.into_iter()), kind)
    }

    fn from_csv(
        reader: Box<dyn Read + Send + 'a>,
        kind: Option<FileKind>,
    ) -> Result<Self, FileError> {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let bom = reader.fill_buf().map_err(unreadable)?.starts_with(BOM);
        if bom {
            reader.consume(BOM.len());
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Box::new(CrlfAsLf::new(reader)) as Box<dyn Read + Send + 'a>);
        let mut record = csv::StringRecord::new();
        if !reader.read_record(&mut record).map_err(unreadable)? {
            return Err(FileError::Empty);
        }
        let headers = record.iter().map(|c| c.trim().to_owned()).collect();
        let line = reader.position().line();
        let rows = Rows::Csv {
            reader,
            record,
            row: 1,
            line,
        };
        Self::start(headers, rows, kind)
    }

    /// Maps the header and reads the first chunk: a file without data rows is refused here.
    fn start(
        headers: Vec<String>,
        rows: Rows<'a>,
        kind: Option<FileKind>,
    ) -> Result<Self, FileError> {
        let kind = match kind {
            Some(k) => k,
            None => FileKind::detect(&headers)?,
        };
        let mapping = kind.map_headers(&headers)?;
        let mut reader = Self {
            kind,
            mapping,
            rows,
            keys: HashMap::new(),
            first: None,
        };
        reader.first = Some(reader.read_chunk()?.ok_or(FileError::Empty)?);
        Ok(reader)
    }

    fn read_chunk(&mut self) -> Result<Option<Vec<ParsedRow>>, FileError> {
        let mut chunk = Vec::with_capacity(CHUNK_ROWS);
        while chunk.len() < CHUNK_ROWS {
            let Some(row) = self.next_row()? else { break };
            chunk.push(self.check_key(row));
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }

    /// The next row that is not wholly empty, read on its own.
    fn next_row(&mut self) -> Result<Option<ReadRow>, FileError> {
        let (kind, mapping) = (self.kind, self.mapping.as_slice());
        match &mut self.rows {
            Rows::Csv {
                reader,
                record,
                row,
                line,
            } => loop {
                if !reader.read_record(record).map_err(unreadable)? {
                    return Ok(None);
                }
                // A spreadsheet shows a blank line as a row and a quoted cell's line breaks
                // inside one row. The crate skips blank lines silently and its line count
                // includes both, so: the lines this read consumed (blank lines before the
                // record, then the record's own line and one per line break in its cells;
                // every record ends with a line break, see `CrlfAsLf`) less the breaks in
                // its cells is the number of rows it moves down.
                let now = reader.position().line();
                let consumed = usize::try_from(now.saturating_sub(*line)).unwrap_or(usize::MAX);
                *line = now;
                let breaks: usize = record.iter().map(|c| c.matches('\n').count()).sum();
                *row += consumed.saturating_sub(breaks).max(1);
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let number = *row;
                let cell = |i: usize| record.get(i).map(str::trim);
                return Ok(Some(read_row(kind, mapping, number, record.len(), cell)));
            },
            Rows::Table(rows) => Ok(rows.next().map(|row| {
                let cell = |i: usize| row.cells.get(i).map(String::as_str);
                read_row(kind, mapping, row.number, row.cells.len(), cell)
            })),
        }
    }

    /// Refuses a row whose key an earlier row already named, naming that row.
    fn check_key(&mut self, row: ReadRow) -> ParsedRow {
        let ReadRow {
            number,
            record,
            mut errors,
            key,
        } = row;
        if let Some(key) = key {
            match self.keys.entry(key.into_boxed_str()) {
                Entry::Occupied(mut seen) => {
                    errors.push(FieldError::new(
                        "uscc",
                        "duplicate_in_file",
                        format!(
                            "{} is also on row {}; a file may name it once",
                            seen.key(),
                            seen.get()
                        ),
                    ));
                    seen.insert(number);
                }
                Entry::Vacant(slot) => {
                    slot.insert(number);
                }
            }
        }
        let result = match record {
            Some(record) if errors.is_empty() => Ok(record),
            _ => Err(RowError {
                row: number,
                errors,
            }),
        };
        (number, result)
    }
}

/// Whether `bytes` start as an Excel workbook does (zip or OLE signature).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

fn unreadable(e: impl std::fmt::Display) -> FileError {
    FileError::Unreadable(e.to_string())
}

fn rewind(file: &mut File) -> Result<(), FileError> {
    file.seek(SeekFrom::Start(0)).map(drop).map_err(unreadable)
}

/// Fills as much of `buf` as the reader has; returns how much that is.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, FileError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(unreadable(e)),
        }
    }
    Ok(filled)
}

/// Refuses a stream that is not UTF-8 as [`decode_utf8`] refuses bytes (the same offset,
/// counted after a byte order mark), reading it in bounded pieces.
fn check_utf8(mut reader: impl BufRead) -> Result<(), FileError> {
    if reader.fill_buf().map_err(unreadable)?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    let mut buf = vec![0u8; 1 << 16];
    // Bytes of a sequence cut by the end of the last piece, moved to the front of `buf`.
    let mut kept = 0;
    // The offset in the text of `buf[0]`.
    let mut base = 0;
    loop {
        let read = read_up_to(&mut reader, &mut buf[kept..])?;
        let filled = kept + read;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => {
                base += filled;
                kept = 0;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                if e.error_len().is_some() || read == 0 {
                    return Err(FileError::NotUtf8 {
                        offset: base + valid,
                    });
                }
                buf.copy_within(valid..filled, 0);
                kept = filled - valid;
                base += valid;
            }
        }
        if read == 0 {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_refused_at_the_offset_its_bytes_are() {
        // "甲" cut by every piece size, then a GBK byte.
        for len in [0usize, 1, 100, (1 << 16) - 1, 1 << 16] {
            let mut text = "a".repeat(len).into_bytes();
            text.extend_from_slice("甲乙".as_bytes());
            let good = text.clone();
            assert_eq!(check_utf8(&good[..]), Ok(()), "{len}");
            text.push(0xC6);
            text.push(b'a');
            let expected = decode_utf8(&text).expect_err("GBK byte");
            assert_eq!(check_utf8(&text[..]), Err(expected), "{len}");
            let mut cut = good.clone();
            cut.pop();
            let expected = decode_utf8(&cut).expect_err("a cut sequence");
            assert_eq!(check_utf8(&cut[..]), Err(expected), "{len}");
        }
        let mut with_bom = BOM.to_vec();
        with_bom.extend_from_slice(b"ab\xC6");
        assert_eq!(
            check_utf8(&with_bom[..]),
            Err(FileError::NotUtf8 { offset: 2 })
        );
    }

    fn from_disk(text: &[u8]) -> Result<ImportReader<'static>, FileError> {
        let mut file = tempfile::tempfile().expect("a temp file");
        std::io::Write::write_all(&mut file, text).expect("write");
        ImportReader::from_file(file, None)
    }

    fn all_rows(mut reader: ImportReader<'_>) -> Vec<String> {
        let mut rows = Vec::new();
        while let Some(chunk) = reader.next_chunk().expect("reads") {
            assert!(chunk.len() <= CHUNK_ROWS);
            rows.extend(chunk.into_iter().map(|row| format!("{row:?}")));
        }
        rows
    }

    #[test]
    fn a_file_streamed_from_disk_reads_as_the_same_bytes_in_memory() {
        let mut text = BOM.to_vec();
        text.extend_from_slice("统一社会信用代码,企业名称,所属区域,所属行业,成立日期\n".as_bytes());
        for i in 0..CHUNK_ROWS + 10 {
            let line = format!("91320481MA{i:07}X,\"甲,{i}\",320481,C38,1994-03-01\n\n");
            text.extend_from_slice(line.as_bytes());
        }
        let streamed = all_rows(from_disk(&text).expect("opens"));
        let in_memory = all_rows(ImportReader::from_slice(&text, None).expect("opens"));
        assert_eq!(streamed.len(), CHUNK_ROWS + 10);
        assert_eq!(streamed, in_memory);
    }

    #[test]
    fn rows_of_a_crlf_file_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "uscc,name,region_code,industry_code,founded_on\r\n\
                    x,甲,320481,C38,1994-03-01\r\n\r\n\
                    y,\"乙\r\n丙\",320481,C38,1994-03-01\r\n\
                    z,丁,320481,C38,1994-03-01\r\n";
        let mut reader = from_disk(text.as_bytes()).expect("opens");
        let numbers: Vec<usize> = reader
            .next_chunk()
            .expect("reads")
            .expect("rows")
            .iter()
            .map(|(number, _)| *number)
            .collect();
        assert_eq!(numbers, vec![2, 4, 5]);
    }

    #[test]
    fn a_gbk_byte_late_in_a_file_refuses_it_before_any_row_is_read() {
        let mut text = b"uscc,name,region_code,industry_code,founded_on\n".to_vec();
        text.extend_from_slice(&b"x,y,320481,C38,1994-03-01\n".repeat(100_000));
        text.extend_from_slice(b"\xC6\xF3,y,320481,C38,1994-03-01\n");
        let expected = decode_utf8(&text).expect_err("GBK");
        assert_eq!(from_disk(&text).err(), Some(expected));
        let header = b"uscc,name,region_code,industry_code,founded_on\n\n";
        assert_eq!(from_disk(header).err(), Some(FileError::Empty));
    }
}
