//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

use super::problem::{Problem, ProblemField};
use super::routes::{
    alerts, audit, certificates, counts, financings, firms, health, ledger, rulesets, targets,
    years,
};
use crate::http::views::{
    AlertResponse, AlertsResponse, AuditEntryResponse, AuditPage, CertificateResponse,
    CurrentRuleSetResponse, FinancingResponse, FirmResponse, FlowFigures, FlowLinks, GroupCount,
    GroupFlow, GroupLabel, NearMissResponse, PublicationResponse, RuleSetRefResponse,
    RuleSetSummary, RuleSetVersion, SeriesGroupValue, SeriesPointResponse, SeriesValue,
    TargetFirmPage, TargetFirmResponse, TargetNearMissesResponse, TargetProgressResponse,
    TargetsResponse, TierCountResponse, TierCountsResponse, TierDescription, TierEventPage,
    TierEventResponse, TierFlowResponse, TierFlowsResponse, TierGroupCountResponse,
    TierSeriesResponse, TrackDescription, WithdrawalResponse, YearResponse,
};
use crate::inputs::{
    CertificateInput, CertificatePatch, FinancingInput, FinancingPatch, FinancingRequest,
    FirmInput, FirmPatch, MoneyInput, RulesInput, WithdrawalInput, YearInput,
};

/// The API description served at `/api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Enterprise tiering registry",
        description = "Firms, their yearly figures, financing rounds and certificates; tiers of the gradient cultivation system. Errors are RFC 9457 application/problem+json.",
    ),
    paths(
        firms::create_firm,
        firms::list_firms,
        firms::get_firm,
        firms::patch_firm,
        years::get_year,
        years::put_year,
        years::list_years,
        financings::create_financing,
        financings::list_financings,
        financings::get_financing,
        financings::patch_financing,
        financings::withdraw_financing,
        certificates::create_certificate,
        certificates::list_certificates,
        certificates::get_certificate,
        certificates::patch_certificate,
        certificates::withdraw_certificate,
        ledger::get_assessment,
        ledger::get_history,
        ledger::list_tier_events,
        counts::get_tier_counts,
        counts::get_tier_flows,
        counts::get_tier_series,
        targets::get_targets,
        targets::list_target_firms,
        targets::list_target_near_misses,
        alerts::list_alerts,
        rulesets::list_rulesets,
        rulesets::get_current_ruleset,
        rulesets::simulate_ruleset,
        rulesets::publish_ruleset,
        audit::list_audit,
        health::healthz,
        health::readyz,
    ),
    components(schemas(
        FirmInput,
        FirmPatch,
        FirmResponse,
        firms::FirmPageResponse,
        YearInput,
        YearResponse,
        years::YearList,
        FinancingInput,
        FinancingRequest,
        FinancingPatch,
        FinancingResponse,
        MoneyInput,
        financings::FinancingList,
        CertificateInput,
        CertificatePatch,
        CertificateResponse,
        WithdrawalInput,
        WithdrawalResponse,
        certificates::CertificateList,
        TierEventResponse,
        TierEventPage,
        RuleSetRefResponse,
        ledger::HistoryResponse,
        RuleSetVersion,
        GroupLabel,
        GroupCount,
        TierCountResponse,
        TierGroupCountResponse,
        TierCountsResponse,
        FlowFigures,
        GroupFlow,
        FlowLinks,
        TierFlowResponse,
        TierFlowsResponse,
        SeriesGroupValue,
        SeriesValue,
        SeriesPointResponse,
        TierSeriesResponse,
        NearMissResponse,
        TargetProgressResponse,
        TargetsResponse,
        TargetFirmResponse,
        TargetFirmPage,
        TargetNearMissesResponse,
        AlertResponse,
        AlertsResponse,
        RuleSetSummary,
        rulesets::RuleSetList,
        CurrentRuleSetResponse,
        TrackDescription,
        TierDescription,
        RulesInput,
        PublicationResponse,
        AuditEntryResponse,
        AuditPage,
        Problem,
        ProblemField,
    ))
)]
pub struct ApiDoc;

/// Error answers any operation can give, described once rather than on every handler.
const COMMON_ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "The request could not be read (malformed query string, header or JSON)",
    ),
    (
        "422",
        "A parameter or field was refused; nothing was written",
    ),
    (
        "503",
        "The database is busy or unreachable; retry after Retry-After seconds",
    ),
];
/// Error answers of operations that need credentials.
const AUTH_ERRORS: &[(&str, &str)] = &[
    (
        "401",
        "No credentials, or an unknown or revoked token: send Authorization: Bearer <token>",
    ),
    (
        "403",
        "The token's scope or the account's role does not reach this operation",
    ),
    (
        "429",
        "Over the token's request budget; see Retry-After and the X-RateLimit-* headers",
    ),
];
/// Further error answers of operations with a request body.
const BODY_ERRORS: &[(&str, &str)] = &[
    ("413", "The body is larger than 64 KiB"),
    ("415", "The body is not application/json, or is compressed"),
];

/// The document served at `/api/v1/openapi.json`: the generated one plus the problem answers
/// every operation can give, so that clients and contract tests know every status code.
pub fn document() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    use utoipa::openapi::security::{
        HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };

    let mut doc = ApiDoc::openapi();
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `tier-registry token create`"))
                    .build(),
            ),
        );
    }
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            let mut add = |code: &str, description: &str| {
                responses
                    .entry(code.to_owned())
                    .or_insert_with(|| problem(description));
            };
            for (code, description) in COMMON_ERRORS {
                add(code, description);
            }
            let public = path.ends_with("/healthz") || path.ends_with("/readyz");
            if !public {
                for (code, description) in AUTH_ERRORS {
                    add(code, description);
                }
                operation.security = Some(vec![SecurityRequirement::new(
                    "bearer",
                    Vec::<String>::new(),
                )]);
            }
            if operation.request_body.is_some() {
                for (code, description) in BODY_ERRORS {
                    add(code, description);
                }
            }
            if path.contains('{') {
                add("404", "No such resource (a malformed id names none either)");
            }
        }
    }
    doc
}

/// Where the description is served.
pub const DESCRIPTION_PATH: &str = "/api/v1/openapi.json";

/// `GET` (and `HEAD`) `/api/v1/openapi.json`: the description, serialised once. Served from
/// the route table like every route (the Swagger UI crate's own routes answer GET alone).
pub async fn openapi_json() -> actix_web::HttpResponse {
    static JSON: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| serde_json::to_string(&document()).unwrap_or_default());
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(JSON.as_str())
}

/// `GET` (and `HEAD`) `/api/v1/docs/{file}`: the Swagger UI's files (vendored in the binary),
/// pointed at [`DESCRIPTION_PATH`].
pub async fn swagger_ui(file: actix_web::web::Path<String>) -> actix_web::HttpResponse {
    use actix_web::HttpResponse;
    use actix_web::http::header::{CONTENT_ENCODING, ContentEncoding};

    static CONFIG: std::sync::LazyLock<std::sync::Arc<utoipa_swagger_ui::Config<'static>>> =
        std::sync::LazyLock::new(|| {
            std::sync::Arc::new(utoipa_swagger_ui::Config::new([DESCRIPTION_PATH]))
        });
    match utoipa_swagger_ui::serve(&file.into_inner(), CONFIG.clone()) {
        Ok(Some(file)) => {
            let mut response = HttpResponse::Ok();
            if file.gzpipped {
                response.insert_header((CONTENT_ENCODING, ContentEncoding::Gzip));
            }
            response
                .content_type(file.content_type)
                .body(file.bytes.to_vec())
        }
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(error) => {
            tracing::error!(%error, "the Swagger UI could not be served");
            HttpResponse::InternalServerError().finish()
        }
    }
}
