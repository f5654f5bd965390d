//! Request extractors that answer in the problem format: a strict JSON body, `If-Match`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::ApiError;
use crate::domain::FieldError;
use crate::service::Precondition;

/// Largest accepted JSON body.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON request body parsed strictly: `application/json` (or `+json`) only, no content
/// encoding, at most 64 KiB, UTF-8 without a BOM, no trailing data; errors name the field.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

fn check_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    if let Some(encoding) = req.headers().get(header::CONTENT_ENCODING) {
        let encoding = encoding.to_str().unwrap_or("?").trim().to_ascii_lowercase();
        if encoding != "identity" {
            return Err(ApiError::UnsupportedMediaType(format!(
                "Content-Encoding {encoding} is not accepted; send the JSON uncompressed"
            )));
        }
    }
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Err(ApiError::UnsupportedMediaType(
            "send the body as Content-Type: application/json".into(),
        ));
    };
    let value = value.to_str().unwrap_or("").to_ascii_lowercase();
    let mut parts = value.split(';').map(str::trim);
    let essence = parts.next().unwrap_or("");
    let json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if !json {
        return Err(ApiError::UnsupportedMediaType(format!(
            "Content-Type {essence:?} is not accepted; send application/json"
        )));
    }
    for param in parts {
        if let Some(charset) = param.strip_prefix("charset=")
            && !matches!(charset.trim_matches('"'), "utf-8" | "utf8")
        {
            return Err(ApiError::UnsupportedMediaType(format!(
                "charset {charset} is not accepted; send UTF-8"
            )));
        }
    }
    Ok(())
}

/// Parses JSON text, naming the offending field in data errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ApiError::BadRequest(
            "the body starts with a UTF-8 byte order mark; send JSON without it".into(),
        ));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(ApiError::BadRequest(
            "the body is not UTF-8 (UTF-16 and legacy encodings are not accepted)".into(),
        ));
    }
    // Syntax first, over the whole body, so that trailing garbage is a 400 even when the
    // object before it also lacks fields.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::BadRequest(format!(
            "malformed JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )));
    }
    // serde lets a struct be written as an array of its fields; the API takes objects only.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::BadField(FieldError::new(
            "body",
            "invalid_type",
            "must be a JSON object",
        )));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            Category::Data => ApiError::BadField(data_error(&path, &inner)),
            Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest(format!(
                "malformed JSON at line {} column {}: {}",
                inner.line(),
                inner.column(),
                strip_position(&inner.to_string())
            )),
        }
    })?;
    de.end().map_err(|e| {
        ApiError::BadRequest(format!(
            "unexpected data after the JSON value at line {} column {}",
            e.line(),
            e.column()
        ))
    })?;
    Ok(value)
}

fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

/// Turns a serde data error into a field error. serde reports unknown and missing fields
/// against the enclosing object, so the field's own name is taken from the message.
fn data_error(path: &str, error: &serde_json::Error) -> FieldError {
    let message = strip_position(&error.to_string());
    let parent = if path == "." { "" } else { path };
    let join = |name: &str| {
        if parent.is_empty() {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    let quoted = message.split('`').nth(1).unwrap_or("");
    if message.starts_with("unknown field") {
        // For unknown fields the path already ends with the field's own name.
        let name = if parent == quoted || parent.ends_with(&format!(".{quoted}")) {
            parent.to_owned()
        } else {
            join(quoted)
        };
        FieldError::new(
            name,
            "unknown_field",
            "is not a field of this resource; it may not be set by clients",
        )
    } else if message.starts_with("missing field") {
        FieldError::new(join(quoted), "required", "is required")
    } else if message.starts_with("duplicate field") {
        FieldError::new(join(quoted), "duplicate_field", "appears more than once")
    } else {
        let name = if parent.is_empty() { "body" } else { parent };
        FieldError::new(name, "invalid_type", message)
    }
}

/// How long a JSON body may take to arrive after the request head: a body that stops
/// arriving would otherwise hold a connection and a worker's attention for good. 64 KiB in
/// this time is 16 KB/s, far below any real link.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(4);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = check_content_type(req);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            checked?;
            let bytes = actix_web::rt::time::timeout(BODY_TIMEOUT, bytes)
                .await
                .map_err(|_| ApiError::BodyTimeout(BODY_TIMEOUT))?
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => ApiError::PayloadTooLarge(JSON_LIMIT),
                    _ => ApiError::BadRequest(format!("the body could not be read: {e}")),
                })?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Reads `If-Match`: `*`, or a list of ETags of the form `"N"` (weak tags do not match, as
/// RFC 9110 requires strong comparison here).
pub fn if_match(req: &HttpRequest) -> Result<Precondition, ApiError> {
    let values: Vec<&str> = req
        .headers()
        .get_all(header::IF_MATCH)
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return Ok(Precondition::Missing);
    }
    let mut versions = Vec::new();
    for tag in values.iter().flat_map(|v| v.split(',')).map(str::trim) {
        if tag == "*" {
            return Ok(Precondition::Any);
        }
        match tag
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.parse::<i64>().ok())
        {
            Some(v) => versions.push(v),
            None if tag.starts_with("W/") => {}
            None => {
                return Err(ApiError::BadRequest(format!(
                    "If-Match {tag:?} is not an ETag of this API (expected \"N\")"
                )));
            }
        }
    }
    Ok(Precondition::Versions(versions))
}

/// Reads `Idempotency-Key`, fingerprinting the parsed body so that the same key with another
/// body can be told apart.
pub fn idempotency(
    req: &HttpRequest,
    body: &impl serde::Serialize,
) -> Result<Option<crate::service::Idempotency>, ApiError> {
    match req.headers().get("Idempotency-Key") {
        None => Ok(None),
        Some(value) => {
            let key = value.to_str().map_err(|_| {
                ApiError::BadRequest("Idempotency-Key must be visible ASCII".into())
            })?;
            // A key is unique on the route it was sent to, as requested (`POST /api/v1/firms`).
            let scope = crate::service::IdempotencyScope::new(req.method().as_str(), req.path());
            crate::service::Idempotency::new(scope, key, body)
                .map(Some)
                .map_err(|e| ApiError::BadRequest(format!("{}: {}", e.field, e.message)))
        }
    }
}

/// Longest accepted free-text query parameter.
const MAX_QUERY_TEXT: usize = 200;

/// A free-text query parameter, trimmed; empty means absent. Control and invisible characters
/// are refused (PostgreSQL rejects NUL outright), as is text over 200 characters.
pub fn query_text(field: &str, raw: Option<String>) -> Result<Option<String>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => crate::domain::clean_text(field, text, MAX_QUERY_TEXT)
            .map(Some)
            .map_err(ApiError::BadField),
    }
}

/// A page size: `default` when absent; outside `1..=max` it is refused (422 on `limit`)
/// rather than clamped, so a client never mistakes a short page for the end of the list.
pub fn page_limit(raw: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadField(crate::domain::FieldError::new(
            "limit",
            "out_of_range",
            format!("must be between 1 and {max}, got {n}"),
        ))),
    }
}

/// The ETag of a versioned resource.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Whether `If-None-Match` names the current version (answer 304).
pub fn none_match_hits(req: &HttpRequest, version: i64) -> bool {
    let tag = etag(version);
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == tag)
}

/// A `region` parameter: any six-digit district code (events and warnings keep the code the
/// firm had, so a withdrawn district may be asked), else 422 on `region`.
pub fn district_code(raw: String) -> Result<String, ApiError> {
    if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw)
    } else {
        Err(ApiError::BadField(FieldError::new(
            "region",
            "invalid_region",
            format!("must be a six-digit district code, got {raw:?}"),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields are only parsed")]
    struct Sample {
        name: String,
        amount: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields are only parsed")]
    struct Inner {
        value: i64,
    }

    fn error_of(body: &str) -> (u16, String) {
        use actix_web::ResponseError;
        let err = parse_json::<Sample>(body.as_bytes()).expect_err(body);
        let field = match &err {
            ApiError::BadField(f) => f.field.clone(),
            _ => String::new(),
        };
        (err.status_code().as_u16(), field)
    }

    #[test]
    fn field_errors_name_the_field_including_nested_and_unknown_ones() {
        assert_eq!(
            error_of(r#"{"name":"a","tier":"unicorn"}"#),
            (422, "tier".into())
        );
        assert_eq!(error_of(r#"{}"#), (422, "name".into()));
        assert_eq!(error_of(r#"{"name":1}"#), (422, "name".into()));
        assert_eq!(
            error_of(r#"{"name":"a","amount":{"value":"1"}}"#),
            (422, "amount.value".into())
        );
        assert_eq!(
            error_of(r#"{"name":"a","amount":{"value":1.0}}"#),
            (422, "amount.value".into())
        );
        assert_eq!(error_of(r#"{"name":"a","name":"b"}"#), (422, "name".into()));
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        for body in [
            r#"{"name":"a",}"#,
            r#"{"name":"a"} x"#,
            "\u{FEFF}{}",
            r#"{"name":"a","amount":{"value":1e400}}"#,
        ] {
            let status = error_of(body).0;
            assert!(status == 400 || status == 422, "{body}: {status}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            error_of(&deep),
            (422, "body".into()),
            "a deeply nested array is not an object"
        );
        let deep_object = format!(
            "{{\"name\":\"a\",\"amount\":{}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(error_of(&deep_object).0, 422);
        assert_eq!(
            error_of(r#"["a", null]"#),
            (422, "body".into()),
            "an array is not an object"
        );
        assert_eq!(error_of(r#"{"name":"a",}"#).0, 400);
        assert_eq!(error_of("\u{FEFF}{}").0, 400);
    }
}
