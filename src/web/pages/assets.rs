//! The stylesheet, embedded: pages carry no inline style, so a strict CSP holds.

use actix_web::HttpResponse;
use actix_web::http::header;

const APP_CSS: &str = include_str!("../static/app.css");

/// `GET /static/app.css`.
pub async fn app_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(APP_CSS)
}
