//! Route table of the JSON API. Each resource lists its methods and answers 405 with `Allow`
//! for the others.

pub mod audit;
pub mod certificates;
pub mod counts;
pub mod financings;
pub mod firms;
pub mod health;
pub mod ledger;
pub mod rulesets;
pub mod targets;
pub mod years;

use actix_web::{Route, web};

use super::ApiError;

/// Answers 405 naming the methods a resource has.
fn only(allow: &'static str) -> Route {
    web::route().to(move || async move {
        Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed(allow))
    })
}

/// Registers `/api/v1/…`.
pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/firms")
            .route(web::get().to(firms::list_firms))
            .route(web::post().to(firms::create_firm))
            .default_service(only("GET, POST")),
    )
    .service(
        web::resource("/firms/{id}")
            .route(web::get().to(firms::get_firm))
            .route(web::patch().to(firms::patch_firm))
            .default_service(only("GET, PATCH")),
    )
    .service(
        web::resource("/firms/{id}/years")
            .route(web::get().to(years::list_years))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/firms/{id}/years/{fiscal_year}")
            .route(web::get().to(years::get_year))
            .route(web::put().to(years::put_year))
            .default_service(only("GET, PUT")),
    )
    .service(
        web::resource("/firms/{id}/financings")
            .route(web::get().to(financings::list_financings))
            .route(web::post().to(financings::create_financing))
            .default_service(only("GET, POST")),
    )
    .service(
        web::resource("/firms/{id}/financings/{financing_id}")
            .route(web::get().to(financings::get_financing))
            .route(web::patch().to(financings::patch_financing))
            .route(web::delete().to(financings::withdraw_financing))
            .default_service(only("GET, PATCH, DELETE")),
    )
    .service(
        web::resource("/firms/{id}/certificates")
            .route(web::get().to(certificates::list_certificates))
            .route(web::post().to(certificates::create_certificate))
            .default_service(only("GET, POST")),
    )
    .service(
        web::resource("/firms/{id}/certificates/{certificate_id}")
            .route(web::get().to(certificates::get_certificate))
            .route(web::patch().to(certificates::patch_certificate))
            .route(web::delete().to(certificates::withdraw_certificate))
            .default_service(only("GET, PATCH, DELETE")),
    )
    .service(
        web::resource("/firms/{id}/assessment")
            .route(web::get().to(ledger::get_assessment))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/firms/{id}/history")
            .route(web::get().to(ledger::get_history))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/tier-events")
            .route(web::get().to(ledger::list_tier_events))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/tier-counts")
            .route(web::get().to(counts::get_tier_counts))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/tier-flows")
            .route(web::get().to(counts::get_tier_flows))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/targets")
            .route(web::get().to(targets::get_targets))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/rulesets")
            .route(web::get().to(rulesets::list_rulesets))
            .route(web::post().to(rulesets::publish_ruleset))
            .default_service(only("GET, POST")),
    )
    .service(
        web::resource("/rulesets/current")
            .route(web::get().to(rulesets::get_current_ruleset))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/rulesets/simulate")
            .route(web::post().to(rulesets::simulate_ruleset))
            .default_service(only("POST")),
    )
    .service(
        web::resource("/audit")
            .route(web::get().to(audit::list_audit))
            .default_service(only("GET")),
    );
}

/// Registers the probes and the root map.
pub fn operations(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .route(web::get().to(health::healthz))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/readyz")
            .route(web::get().to(health::readyz))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/metrics")
            .route(web::get().to(crate::http::metrics::render))
            .default_service(only("GET")),
    )
    .service(
        web::resource("/")
            .route(web::get().to(health::index))
            .default_service(only("GET")),
    );
}
