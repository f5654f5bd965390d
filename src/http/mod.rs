//! The JSON API (`/api/v1`): actix lives only here and in `web`.

mod extract;
mod face;
pub mod metrics;
mod openapi;
mod problem;
mod represent;
pub mod routes;
pub mod views;

pub use extract::{
    JSON_LIMIT, JsonBody, etag, idempotency, if_match, none_match_hits, page_limit, parse_json,
    query_text,
};
pub use face::Api;
pub use openapi::{ApiDoc, document as openapi_document};
pub use problem::{ApiError, Problem, ProblemField};
pub use represent::{
    Format, Rendered, negotiate, not_modified, respond, respond_rendered, respond_tagged, variant,
};
pub use routes::{access_routes, configure};

use actix_web::web;

/// Turns actix's own extractor errors into problems: a bad query string is a 400; a path
/// segment that does not parse (a malformed id) names no resource, so 404.
pub fn extractor_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(JSON_LIMIT))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _req| {
                ApiError::BadRequest(format!("query string: {err}")).into()
            }),
        )
        .app_data(web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound.into()));
}
