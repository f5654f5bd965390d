//! Turning templates into responses, with the headers every staff page carries.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use askama::Template;

use super::WebError;

/// Adds what an HTML page needs beyond the headers `auth::security_headers` puts on every
/// response: the stricter policy (`auth::PAGE_CSP`: no inline style either) and no caching.
pub fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::auth::PAGE_CSP),
    );
    // Pages show data only to signed-in staff: keep them out of every cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Renders `page` with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Result<HttpResponse, WebError> {
    let html = page
        .render()
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("template: {e}")))?;
    let mut response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html);
    secure_headers(response.headers_mut());
    Ok(response)
}

/// Renders `page` with 200.
pub fn ok(page: &impl Template) -> Result<HttpResponse, WebError> {
    render(StatusCode::OK, page)
}

/// Post/Redirect/Get: 303 to `location`, with a flash key shown there.
pub fn see_other(location: &str, notice: &str) -> HttpResponse {
    let sep = if location.contains('?') { '&' } else { '?' };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{location}{sep}notice={notice}")))
        .finish()
}
