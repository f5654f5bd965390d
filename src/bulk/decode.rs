//! Turning an uploaded file's bytes into text: UTF-8 only, never decoded lossily.

/// Why a whole file was refused before any row was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The bytes are not UTF-8 (typically GBK/GB18030 saved by Excel on Chinese Windows).
    #[error(
        "the file is not UTF-8 (byte {offset} starts an invalid sequence; GBK or GB18030 from Excel is likely): please save it as \"CSV UTF-8\" (Excel: 另存为 → CSV UTF-8(逗号分隔)) and import again"
    )]
    NotUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The file could not be read as CSV or Excel.
    #[error("the file could not be read: {0}")]
    Unreadable(String),
    /// The header row is wrong: a missing, duplicate or unknown column.
    #[error("row 1 (header): {0}")]
    Header(String),
    /// The file has a header but no data rows.
    #[error("the file has no data rows")]
    Empty,
}

/// The text of `bytes`, with a leading UTF-8 byte order mark removed. Invalid UTF-8 is
/// refused rather than replaced with U+FFFD, which would silently corrupt Chinese names.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| FileError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// Reads `inner` with every line ending as LF and a final LF: a CR that ends a line (`\r\n`)
/// is removed, and a file whose last line has no line break gets one. Excel's "CSV UTF-8"
/// and Python's `csv` end lines with CRLF, and the csv crate then counts each record's line
/// break only as the next record starts (rust-csv issue 395), so rows were numbered one too
/// low; the reader numbers rows from the lines each record consumed, which also needs the
/// last record terminated. Cells are trimmed anyway; a CRLF inside a quoted cell becomes LF.
pub struct CrlfAsLf<R> {
    inner: R,
    /// A CR ended the last piece read: whether it is kept depends on the next byte.
    pending_cr: bool,
    /// The last byte handed out, to end the file with a line break.
    last: Option<u8>,
}

impl<R: std::io::BufRead> CrlfAsLf<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            pending_cr: false,
            last: None,
        }
    }
}

impl<R: std::io::BufRead> std::io::Read for CrlfAsLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let piece = self.inner.fill_buf()?;
            let mut written = 0;
            if piece.is_empty() {
                // A CR at the very end of the file stays; then the final line break.
                if std::mem::take(&mut self.pending_cr) {
                    out[0] = b'\r';
                } else if self.last.is_some_and(|b| b != b'\n') {
                    out[0] = b'\n';
                } else {
                    return Ok(0);
                }
                self.last = Some(out[0]);
                return Ok(1);
            }
            if std::mem::take(&mut self.pending_cr) && piece[0] != b'\n' {
                out[0] = b'\r';
                written = 1;
            }
            let mut used = 0;
            while used < piece.len() && written < out.len() {
                // Copy the run up to the next CR at once (a file is tens of megabytes).
                let run = (piece.len() - used).min(out.len() - written);
                let to_cr = piece[used..used + run]
                    .iter()
                    .position(|&b| b == b'\r')
                    .unwrap_or(run);
                out[written..written + to_cr].copy_from_slice(&piece[used..used + to_cr]);
                written += to_cr;
                used += to_cr;
                if to_cr == run {
                    continue;
                }
                // At a CR, with room for it.
                used += 1;
                match piece.get(used) {
                    Some(b'\n') => {}
                    Some(_) => {
                        out[written] = b'\r';
                        written += 1;
                    }
                    None => {
                        self.pending_cr = true;
                        break;
                    }
                }
            }
            self.inner.consume(used);
            if written > 0 {
                self.last = Some(out[written - 1]);
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_removed() {
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFuscc,name"), Ok("uscc,name"));
    }

    #[test]
    fn gbk_bytes_are_refused_with_a_save_as_utf8_message() {
        // "企业名称" in GBK.
        let gbk = b"\xC6\xF3\xD2\xB5\xC3\xFB\xB3\xC6";
        let err = decode_utf8(gbk).expect_err("GBK is not UTF-8");
        assert_eq!(err, FileError::NotUtf8 { offset: 0 });
        assert!(err.to_string().contains("save it as \"CSV UTF-8\""));
    }

    fn through_crlf_as_lf(bytes: &[u8], capacity: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let inner = std::io::BufReader::with_capacity(capacity, bytes);
        std::io::Read::read_to_end(&mut CrlfAsLf::new(inner), &mut out).expect("reads");
        out
    }

    #[test]
    fn crlf_becomes_lf_wherever_the_pieces_are_cut_lone_crs_stay_and_the_last_line_is_ended() {
        let text = b"a,b\r\n\"x\r\ny\",2\r\n\r\n3\r4,5\r\n\r";
        let expected = b"a,b\n\"x\ny\",2\n\n3\r4,5\n\r\n".to_vec();
        for capacity in 1..=text.len() + 1 {
            assert_eq!(
                through_crlf_as_lf(text, capacity),
                expected,
                "pieces of {capacity}"
            );
        }
        assert_eq!(through_crlf_as_lf(b"a,b\r\n1,2", 3), b"a,b\n1,2\n");
        assert_eq!(through_crlf_as_lf(b"a,b\n", 3), b"a,b\n");
        assert_eq!(through_crlf_as_lf(b"", 3), b"");
    }
}
