//! Representations of read-only reports: JSON or CSV by `Accept` or `format=`, with a strong
//! `ETag` and `304 Not Modified` on a matching `If-None-Match`.
//!
//! Count reports (counts, flows, targets) take their tag from the counts snapshot key (ledger
//! position, rule publications, Beijing date) and the representation's variant (path, query,
//! format): every change of a count appends an event (a district move too), so the key names
//! the data, and a conditional request is answered before any work (`not_modified`). Other
//! reports hash their bytes (`respond`).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::domain::FieldError;
use crate::http::views::CsvTable;
use crate::service::ServiceError;

/// The two formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`.
    Json,
    /// `text/csv`.
    Csv,
}

/// `format=csv|json` wins; otherwise `Accept: text/csv` asks for CSV.
pub fn negotiate(req: &HttpRequest, format: Option<&str>) -> Result<Format, ApiError> {
    match format {
        Some("csv") => return Ok(Format::Csv),
        Some("json") => return Ok(Format::Json),
        Some(other) => {
            return Err(ApiError::BadField(FieldError::new(
                "format",
                "invalid_format",
                format!("must be json or csv, got {other:?}"),
            )));
        }
        None => {}
    }
    let csv = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|m| {
            m.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("text/csv")
        });
    Ok(if csv { Format::Csv } else { Format::Json })
}

fn strong_tag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn matches(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        // If-None-Match uses weak comparison (RFC 9110 §13.1.2).
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == tag)
}

/// Answers with the report in the negotiated format, or 304 when the client's copy is current;
/// the tag hashes the bytes.
pub fn respond<T: Serialize>(
    req: &HttpRequest,
    format: Format,
    json: &T,
    csv: impl FnOnce() -> CsvTable,
    filename: &str,
) -> Result<HttpResponse, ApiError> {
    let (bytes, content_type) = render(format, json, csv)?;
    let tag = strong_tag(&bytes);
    answer(req, format, tag, Bytes::from(bytes), content_type, filename)
}

/// What names one representation of a report at a snapshot key: the path, the query as
/// sent and the negotiated format.
pub fn variant(req: &HttpRequest, format: Format) -> String {
    let format = match format {
        Format::Json => "json",
        Format::Csv => "csv",
    };
    format!("{}?{}#{format}", req.path(), req.query_string())
}

/// 304 when the client's copy carries `tag`: answered before any work.
pub fn not_modified(req: &HttpRequest, tag: &str) -> Option<HttpResponse> {
    let etag = HeaderValue::from_str(tag).ok()?;
    matches(req, tag).then(|| {
        HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::VARY, "Accept"))
            .finish()
    })
}

/// `respond` for a report whose tag is known before its bytes (from the counts snapshot key);
/// the bytes are kept in `rendered` under the tag.
pub fn respond_tagged<T: Serialize>(
    req: &HttpRequest,
    format: Format,
    tag: String,
    (json, csv): (&T, impl FnOnce() -> CsvTable),
    filename: &str,
    rendered: &Rendered,
) -> Result<HttpResponse, ApiError> {
    if let Some(response) = not_modified(req, &tag) {
        return Ok(response);
    }
    let (bytes, content_type) = render(format, json, csv)?;
    let bytes = Bytes::from(bytes);
    rendered.keep(&tag, bytes.clone(), content_type);
    answer(req, format, tag, bytes, content_type, filename)
}

/// The report kept under `tag`, answered without computing or serialising anything.
pub fn respond_rendered(
    req: &HttpRequest,
    format: Format,
    tag: String,
    filename: &str,
    rendered: &Rendered,
) -> Option<HttpResponse> {
    let (bytes, content_type) = rendered.get(&tag)?;
    answer(req, format, tag, bytes, content_type, filename).ok()
}

/// Count reports already serialised, by tag (the snapshot key and the variant: the same tag
/// always names the same bytes). One per server, shared by its workers; a polling dashboard
/// asks for the same few reports, so when full the whole map is dropped rather than tracking
/// use: the next requests fill it again.
#[derive(Default)]
pub struct Rendered {
    reports: Mutex<HashMap<String, (Bytes, &'static str)>>,
}

/// Reports kept (each a few kilobytes: at most a few megabytes in all).
const RENDERED: usize = 1024;

impl Rendered {
    fn get(&self, tag: &str) -> Option<(Bytes, &'static str)> {
        self.reports
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tag)
            .cloned()
    }

    fn keep(&self, tag: &str, bytes: Bytes, content_type: &'static str) {
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        if reports.len() >= RENDERED {
            reports.clear();
        }
        reports.insert(tag.to_owned(), (bytes, content_type));
    }
}

fn unexpected(e: anyhow::Error) -> ApiError {
    ApiError::Service(ServiceError::Unexpected(e))
}

fn render<T: Serialize>(
    format: Format,
    json: &T,
    csv: impl FnOnce() -> CsvTable,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    Ok(match format {
        Format::Json => (
            serde_json::to_vec(json).map_err(|e| unexpected(e.into()))?,
            "application/json",
        ),
        Format::Csv => (
            csv().to_bytes().map_err(unexpected)?,
            "text/csv; charset=utf-8",
        ),
    })
}

fn answer(
    req: &HttpRequest,
    format: Format,
    tag: String,
    bytes: Bytes,
    content_type: &'static str,
    filename: &str,
) -> Result<HttpResponse, ApiError> {
    if let Some(response) = not_modified(req, &tag) {
        return Ok(response);
    }
    let etag = HeaderValue::from_str(&tag).map_err(|e| unexpected(e.into()))?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::CONTENT_TYPE, content_type));
    if format == Format::Csv {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}.csv\""),
        ));
    }
    Ok(response.body(bytes))
}
