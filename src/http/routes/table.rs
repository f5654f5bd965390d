//! The route table of the JSON API and the operations endpoints: each route's method,
//! pattern, need and handler, declared once. The actix resources (with a 405 naming the
//! resource's methods for the others) and the gate's policy are both built from it; a test
//! checks it against the OpenAPI document the handlers' `#[utoipa::path]` describe.

use actix_web::web;

use super::{
    alerts, audit, certificates, counts, financings, firms, health, ledger, rulesets, targets,
    years,
};
use crate::auth::{self, Endpoint, Need, Route, Verb::*};
use crate::http::{ApiError, openapi};

const PUBLIC: Need = Need::Public;
const COUNTS: Need = Need::Counts;
const VIEWER: Need = Need::VIEWER;
const EDITOR: Need = Need::EDITOR;
const ADMIN: Need = Need::ADMIN;

/// The probes, the metrics and the root map; not part of the API description except the
/// probes.
pub const OPERATIONS: &[Endpoint] = &[
    Route::new(Get, "/healthz", PUBLIC).to(|r| r.to(health::healthz)),
    Route::new(Get, "/readyz", PUBLIC).to(|r| r.to(health::readyz)),
    Route::new(Get, "/metrics", VIEWER).to(|r| r.to(crate::http::metrics::render)),
    // The root map names the entry points; browsers are sent on to the dashboard.
    Route::new(Get, "/", PUBLIC).to(|r| r.to(health::index)),
];

/// The API's description and the Swagger UI that shows it; public: they hold no data.
const DESCRIPTION: &[Endpoint] = &[
    Route::new(Get, openapi::DESCRIPTION_PATH, PUBLIC).to(|r| r.to(openapi::openapi_json)),
    Route::new(Get, "/api/v1/docs/{_:.*}", PUBLIC).to(|r| r.to(openapi::swagger_ui)),
];

/// `/api/v1/…`, every route described in the OpenAPI document.
pub const API: &[Endpoint] = &[
    // Firms and their facts.
    Route::new(Get, "/api/v1/firms", VIEWER).to(|r| r.to(firms::list_firms)),
    Route::new(Post, "/api/v1/firms", EDITOR).to(|r| r.to(firms::create_firm)),
    Route::new(Get, "/api/v1/firms/{id}", VIEWER).to(|r| r.to(firms::get_firm)),
    Route::new(Patch, "/api/v1/firms/{id}", EDITOR).to(|r| r.to(firms::patch_firm)),
    Route::new(Get, "/api/v1/firms/{id}/years", VIEWER).to(|r| r.to(years::list_years)),
    Route::new(Get, "/api/v1/firms/{id}/years/{fiscal_year}", VIEWER).to(|r| r.to(years::get_year)),
    Route::new(Put, "/api/v1/firms/{id}/years/{fiscal_year}", EDITOR).to(|r| r.to(years::put_year)),
    Route::new(Get, "/api/v1/firms/{id}/financings", VIEWER)
        .to(|r| r.to(financings::list_financings)),
    Route::new(Post, "/api/v1/firms/{id}/financings", EDITOR)
        .to(|r| r.to(financings::create_financing)),
    Route::new(Get, "/api/v1/firms/{id}/financings/{financing_id}", VIEWER)
        .to(|r| r.to(financings::get_financing)),
    Route::new(
        Patch,
        "/api/v1/firms/{id}/financings/{financing_id}",
        EDITOR,
    )
    .to(|r| r.to(financings::patch_financing)),
    Route::new(
        Delete,
        "/api/v1/firms/{id}/financings/{financing_id}",
        EDITOR,
    )
    .to(|r| r.to(financings::withdraw_financing)),
    Route::new(Get, "/api/v1/firms/{id}/certificates", VIEWER)
        .to(|r| r.to(certificates::list_certificates)),
    Route::new(Post, "/api/v1/firms/{id}/certificates", EDITOR)
        .to(|r| r.to(certificates::create_certificate)),
    Route::new(
        Get,
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        VIEWER,
    )
    .to(|r| r.to(certificates::get_certificate)),
    Route::new(
        Patch,
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        EDITOR,
    )
    .to(|r| r.to(certificates::patch_certificate)),
    Route::new(
        Delete,
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        EDITOR,
    )
    .to(|r| r.to(certificates::withdraw_certificate)),
    Route::new(Get, "/api/v1/firms/{id}/assessment", VIEWER).to(|r| r.to(ledger::get_assessment)),
    Route::new(Get, "/api/v1/firms/{id}/history", VIEWER).to(|r| r.to(ledger::get_history)),
    // The ledger and what is counted from it.
    Route::new(Get, "/api/v1/tier-events", VIEWER).to(|r| r.to(ledger::list_tier_events)),
    Route::new(Get, "/api/v1/tier-counts", COUNTS).to(|r| r.to(counts::get_tier_counts)),
    Route::new(Get, "/api/v1/tier-counts/series", COUNTS).to(|r| r.to(counts::get_tier_series)),
    Route::new(Get, "/api/v1/tier-flows", COUNTS).to(|r| r.to(counts::get_tier_flows)),
    Route::new(Get, "/api/v1/targets", COUNTS).to(|r| r.to(targets::get_targets)),
    Route::new(Get, "/api/v1/targets/{target_id}/firms", VIEWER)
        .to(|r| r.to(targets::list_target_firms)),
    Route::new(Get, "/api/v1/targets/{target_id}/near-misses", VIEWER)
        .to(|r| r.to(targets::list_target_near_misses)),
    // Early warnings name firms: for staff and read tokens, like the firm list.
    Route::new(Get, "/api/v1/alerts", VIEWER).to(|r| r.to(alerts::list_alerts)),
    // Rules: reading and simulating is for everyone with access; publishing is admin work.
    Route::new(Get, "/api/v1/rulesets", VIEWER).to(|r| r.to(rulesets::list_rulesets)),
    Route::new(Post, "/api/v1/rulesets", ADMIN).to(|r| r.to(rulesets::publish_ruleset)),
    Route::new(Get, "/api/v1/rulesets/current", VIEWER).to(|r| r.to(rulesets::get_current_ruleset)),
    Route::new(Post, "/api/v1/rulesets/simulate", VIEWER).to(|r| r.to(rulesets::simulate_ruleset)),
    // Administration.
    Route::new(Get, "/api/v1/audit", ADMIN).to(|r| r.to(audit::list_audit)),
];

/// Every route of this face, as the gate's policy lists them.
pub fn access_routes() -> Vec<Route> {
    let mut routes = auth::routes(OPERATIONS);
    routes.extend(auth::routes(DESCRIPTION));
    routes.extend(auth::routes(API));
    routes
}

/// Registers the operations endpoints and `/api/v1/…` whose patterns are of the kind
/// `patterns` names (see [`auth::Patterns`] for why there are two passes). Each resource
/// answers 405 naming its methods for the others (the gate answers so first; this is the
/// same answer should a request get past it).
pub fn configure(cfg: &mut web::ServiceConfig, patterns: auth::Patterns) {
    for resource in auth::resources(OPERATIONS)
        .into_iter()
        .chain(auth::resources(DESCRIPTION))
        .chain(auth::resources(API))
        .filter(|r| patterns.includes(r.path))
    {
        let allow = resource.allow();
        cfg.service(
            resource
                .resource()
                .default_service(
                    web::route().to(move || {
                        let allow = allow.clone();
                        async move {
                            Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed(allow))
                        }
                    }),
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::OpenApi;

    use super::*;

    #[test]
    fn every_route_is_described_by_its_handler_and_every_description_is_routed() {
        let doc = crate::http::ApiDoc::openapi();
        let mut described = BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (verb, operation) in operations {
                if operation.is_some() {
                    described.insert((verb, path.as_str()));
                }
            }
        }
        let routed: BTreeSet<(&str, &str)> = API
            .iter()
            .chain(OPERATIONS)
            .map(|e| (e.route.verb.as_str(), e.route.path))
            .collect();
        let unrouted: Vec<_> = described.difference(&routed).collect();
        assert!(
            unrouted.is_empty(),
            "described but not routed: {unrouted:?}"
        );
        // The metrics and the root map are operations, not part of the API.
        let undescribed: Vec<_> = routed.difference(&described).copied().collect();
        assert_eq!(undescribed, [("GET", "/"), ("GET", "/metrics")]);
    }
}
