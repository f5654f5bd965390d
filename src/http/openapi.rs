//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

use super::problem::{Problem, ProblemField};
use super::routes::{
    certificates, counts, financings, firms, health, ledger, rulesets, targets, years,
};
use crate::api_types::{
    CertificateInput, CertificateResponse, CurrentRuleSetResponse, FinancingInput,
    FinancingResponse, FirmInput, FirmPatch, FirmResponse, FlowFigures, GroupCount, GroupFlow,
    GroupLabel, MoneyInput, NearMissResponse, PublicationResponse, RuleSetRefResponse,
    RuleSetSummary, RuleSetVersion, RulesInput, TargetProgressResponse, TargetsResponse,
    TierCountResponse, TierCountsResponse, TierDescription, TierEventPage, TierEventResponse,
    TierFlowResponse, TierFlowsResponse, TierGroupCountResponse, TrackDescription, YearInput,
    YearResponse,
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
        years::put_year,
        years::list_years,
        financings::create_financing,
        financings::list_financings,
        certificates::create_certificate,
        certificates::list_certificates,
        ledger::get_assessment,
        ledger::get_history,
        ledger::list_tier_events,
        counts::get_tier_counts,
        counts::get_tier_flows,
        targets::get_targets,
        rulesets::list_rulesets,
        rulesets::get_current_ruleset,
        rulesets::simulate_ruleset,
        rulesets::publish_ruleset,
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
        FinancingResponse,
        MoneyInput,
        financings::FinancingList,
        CertificateInput,
        CertificateResponse,
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
        TierFlowResponse,
        TierFlowsResponse,
        NearMissResponse,
        TargetProgressResponse,
        TargetsResponse,
        RuleSetSummary,
        rulesets::RuleSetList,
        CurrentRuleSetResponse,
        TrackDescription,
        TierDescription,
        RulesInput,
        PublicationResponse,
        Problem,
        ProblemField,
    ))
)]
pub struct ApiDoc;
