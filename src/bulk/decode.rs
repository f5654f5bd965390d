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
}
