//! A small `multipart/form-data` reader for the one upload form (bulk import): the parts'
//! names, file names and bytes. Bodies are already size-limited by the route.

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file inputs.
    pub filename: Option<String>,
    /// The content.
    pub data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn attribute(header: &str, key: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|p| {
        p.strip_prefix(key)
            .and_then(|v| v.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_owned())
    })
}

/// The parts of `body`, or `None` when it is not well-formed multipart for `content_type`.
pub fn parse(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    if !content_type.trim_start().starts_with("multipart/form-data") {
        return None;
    }
    let boundary = attribute(content_type, "boundary")?;
    if boundary.is_empty() {
        return None;
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let separator = [b"\r\n".as_slice(), &delimiter].concat();
    let mut pos = find(body, &delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = body.get(pos..)?;
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        pos += rest.starts_with(b"\r\n").then_some(2)?;
        let header_end = find(body, b"\r\n\r\n", pos)?;
        let headers = std::str::from_utf8(&body[pos..header_end]).ok()?;
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let start = header_end + 4;
        let end = find(body, &separator, start)?;
        parts.push(Part {
            name: attribute(disposition, "name")?,
            filename: attribute(disposition, "filename"),
            data: body[start..end].to_vec(),
        });
        pos = end + separator.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files_are_read_with_their_names() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body).expect("parses");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf_token");
        assert_eq!(parts[0].data, b"abc");
        assert_eq!(parts[1].filename.as_deref(), Some("a.csv"));
        assert_eq!(
            parts[1].data, b"x,y\r\n1,2",
            "line breaks inside a file are kept"
        );
    }

    #[test]
    fn truncated_or_foreign_bodies_are_refused() {
        assert_eq!(parse("text/plain", b"--a\r\n"), None);
        assert_eq!(
            parse("multipart/form-data", b"--a\r\n"),
            None,
            "no boundary"
        );
        let cut = b"--a\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end";
        assert_eq!(parse("multipart/form-data; boundary=a", cut), None);
    }
}
