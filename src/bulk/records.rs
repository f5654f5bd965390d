//! Rows of an import file as the API's wire inputs, with the file's row numbers.

use super::columns::FileKind;
use super::decode::FileError;
use super::row_inputs::{Cells, MAX_COLUMNS, financing, firm, year};
use super::source::ImportReader;
use crate::domain::{FieldError, Uscc};
use crate::inputs::{FinancingInput, FirmInput, YearInput};

/// One row's content, as the JSON API would receive it.
#[derive(Debug, Clone)]
pub enum Record {
    /// A firm to create or update.
    Firm(FirmInput),
    /// A firm's figures for one year.
    Year {
        /// The firm's USCC as written.
        uscc: String,
        /// The figures, `fiscal_year` set.
        input: YearInput,
    },
    /// A financing round of a firm.
    Financing {
        /// The firm's USCC as written.
        uscc: String,
        /// The round.
        input: FinancingInput,
    },
}

impl Record {
    /// The USCC the row is about, as written.
    pub fn uscc(&self) -> &str {
        match self {
            Self::Firm(f) => &f.uscc,
            Self::Year { uscc, .. } | Self::Financing { uscc, .. } => uscc,
        }
    }
}

/// A row refused before it reached the database: its number and every field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number in the file, the header being row 1.
    pub row: usize,
    /// What is wrong, field by field.
    pub errors: Vec<FieldError>,
}

/// A whole file read: its kind and each row, parsed or refused.
#[derive(Debug, Clone)]
pub struct ImportFile {
    /// What the rows hold.
    pub kind: FileKind,
    /// Row number and content (or the row's errors), in file order.
    pub rows: Vec<(usize, Result<Record, RowError>)>,
}

/// Reads a whole import file held in memory: Excel if the bytes are a workbook (zip or OLE
/// signature), CSV otherwise. `kind` overrides detection from the headers. An import streams
/// its file through [`ImportReader`] instead; this collects the same rows.
pub fn parse_file(bytes: &[u8], kind: Option<FileKind>) -> Result<ImportFile, FileError> {
    let mut reader = ImportReader::from_slice(bytes, kind)?;
    let mut rows = Vec::new();
    while let Some(chunk) = reader.next_chunk()? {
        rows.extend(chunk);
    }
    Ok(ImportFile {
        kind: reader.kind(),
        rows,
    })
}

/// One row read on its own, before the file-wide duplicate check.
pub(super) struct ReadRow {
    pub(super) number: usize,
    pub(super) record: Option<Record>,
    pub(super) errors: Vec<FieldError>,
    pub(super) key: Option<String>,
}

/// Reads row `number` of `len` cells, `cell(i)` being the trimmed text of its `i`th cell.
pub(super) fn read_row<'c>(
    kind: FileKind,
    mapping: &[usize],
    number: usize,
    len: usize,
    cell: impl Fn(usize) -> Option<&'c str>,
) -> ReadRow {
    let columns = kind.columns();
    let mut errors = Vec::new();
    if len > mapping.len() {
        errors.push(FieldError::new(
            "row",
            "too_many_cells",
            format!(
                "the row has {len} cells but the header has {} columns",
                mapping.len()
            ),
        ));
    }
    let mut cells = Cells {
        columns,
        values: [""; MAX_COLUMNS],
    };
    for (position, &index) in mapping.iter().enumerate() {
        if let Some(slot) = cells.values.get_mut(index) {
            *slot = cell(position).unwrap_or("");
        }
    }
    let record = match kind {
        FileKind::Firms => firm(&cells, &mut errors).map(Record::Firm),
        FileKind::Years => year(&cells, &mut errors).map(|input| Record::Year {
            uscc: cells.get("uscc").to_owned(),
            input,
        }),
        FileKind::Financings => financing(&cells, &mut errors).map(|input| Record::Financing {
            uscc: cells.get("uscc").to_owned(),
            input,
        }),
    };
    let key = record.as_ref().and_then(key_of);
    ReadRow {
        number,
        record,
        errors,
        key,
    }
}

/// The key a file may hold once: the USCC for firms, USCC and year for figures, USCC,
/// closing date and label for rounds (the import matches a round to a stored one by date and
/// label, so two rows with the same would both claim one stored round).
fn key_of(record: &Record) -> Option<String> {
    let uscc = Uscc::parse(record.uscc()).ok()?.to_string();
    match record {
        Record::Firm(_) => Some(uscc),
        Record::Year { input, .. } => Some(format!("{uscc} {}", input.fiscal_year?)),
        Record::Financing { input, .. } => {
            Some(format!("{uscc} {} {}", input.closed_on, input.round))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "统一社会信用代码,企业名称,所属区域,所属行业,成立日期,信用良好\n";

    #[test]
    fn rows_become_api_inputs_with_their_row_numbers() {
        let csv = format!(
            "{HEADER}91320481703625269H,江苏上上电缆集团有限公司,320481,C38,1994-03-01,是\n"
        );
        let file = parse_file(csv.as_bytes(), None).expect("reads");
        assert_eq!(file.kind, FileKind::Firms);
        let (row, Ok(Record::Firm(input))) = &file.rows[0] else {
            panic!("a firm row: {:?}", file.rows[0]);
        };
        assert_eq!(*row, 2);
        assert_eq!(input.credit_ok, Some(true));
        assert_eq!(input.name_en, None);
    }

    #[test]
    fn the_quote_an_export_puts_before_a_formula_is_removed_and_no_other() {
        let csv = format!(
            "{HEADER}91320481703625269H,'=SUM(1),320481,C38,1994-03-01,\n91320481MA1N00001X,'甲',320481,C38,1994-03-01,\n"
        );
        let file = parse_file(csv.as_bytes(), None).expect("reads");
        let (_, Ok(Record::Firm(first))) = &file.rows[0] else {
            panic!("a firm row: {:?}", file.rows[0]);
        };
        assert_eq!(first.name, "=SUM(1)");
        let (_, Ok(Record::Firm(second))) = &file.rows[1] else {
            panic!("a firm row: {:?}", file.rows[1]);
        };
        assert_eq!(
            second.name, "'甲'",
            "a quote before ordinary text is the name's own"
        );
    }

    #[test]
    fn a_big_file_read_in_chunks_keeps_file_order_and_finds_duplicates_across_chunks() {
        // Enough rows for three chunks; the duplicate sits in the last chunk and names a row
        // of the first.
        let rows = super::super::source::CHUNK_ROWS * 2 + 7;
        let mut csv = String::from(HEADER);
        let mut codes = Vec::new();
        for i in 0..rows {
            let code = uscc_for(i);
            csv.push_str(&format!("{code},甲{i},320481,C38,1994-03-01,\n"));
            codes.push(code);
        }
        csv.push_str(&format!("{},乙,320481,C38,1994-03-01,\n", codes[3]));
        let file = parse_file(csv.as_bytes(), None).expect("reads");
        assert_eq!(file.rows.len(), rows + 1);
        for (i, (row, parsed)) in file.rows.iter().take(rows).enumerate() {
            assert_eq!(*row, i + 2);
            let Ok(Record::Firm(input)) = parsed else {
                panic!("row {row}: {parsed:?}");
            };
            assert_eq!(input.uscc, codes[i], "row {row}");
        }
        let Err(err) = &file.rows[rows].1 else {
            panic!("duplicate accepted")
        };
        assert_eq!(err.errors[0].code, "duplicate_in_file");
        assert!(err.errors[0].message.contains("row 5"), "{:?}", err.errors);
    }

    /// A valid enterprise USCC numbered `i`.
    fn uscc_for(i: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        const WEIGHTS: [usize; 17] = [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
        ];
        let body = format!("91320481MA{i:07}");
        let sum: usize = body
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| ALPHABET.iter().position(|&a| a == b).unwrap_or(0) * w)
            .sum();
        format!("{body}{}", ALPHABET[(31 - sum % 31) % 31] as char)
    }

    #[test]
    fn a_second_row_with_the_same_uscc_is_refused_naming_the_first() {
        let line = "91320481703625269H,甲,320481,C38,1994-03-01,\n";
        let csv = format!(
            "{HEADER}{line}{}",
            line.replace("91320481703625269H", "91320481703625269h")
        );
        let file = parse_file(csv.as_bytes(), None).expect("reads");
        assert!(file.rows[0].1.is_ok());
        let Err(err) = &file.rows[1].1 else {
            panic!("duplicate accepted")
        };
        assert_eq!(err.row, 3);
        assert_eq!(err.errors[0].code, "duplicate_in_file");
        assert!(err.errors[0].message.contains("row 2"));
    }
}
