//! CSV tables for spreadsheet users, safe against formula injection.

/// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell: a leading `'` is added when the text would start a formula. Tier labels come
/// from staff-edited rule files, so they are untrusted text.
pub fn text(value: &str) -> String {
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// A header and rows of cells already made safe (`text` for text, plain integers otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// An empty table with these column names.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// UTF-8 with a byte order mark, which spreadsheet programs need to read Chinese labels;
    /// quoting (commas, quotes, line breaks) is left to the `csv` crate.
    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = "\u{FEFF}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(&self.header)?;
            for row in &self.rows {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_start_a_formula_are_prefixed_with_a_quote() {
        for (raw, safe) in [
            ("=1+1", "'=1+1"),
            ("+86", "'+86"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("独角兽", "独角兽"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(text(raw), safe, "{raw:?}");
        }
    }

    #[test]
    fn commas_quotes_and_newlines_are_quoted() {
        let mut table = CsvTable::new(&["a", "b"]);
        table.push(vec![text("x,\"y\"\nz"), "1".into()]);
        let bytes = table.to_bytes().expect("writes");
        let body = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(body, "\u{FEFF}a,b\n\"x,\"\"y\"\"\nz\",1\n");
    }
}
