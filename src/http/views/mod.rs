//! Response views of the JSON API: what the service returns, shaped for the wire (JSON with
//! their OpenAPI schemas, CSV tables). Above the service; only the API uses them.

mod alerts;
mod audit;
mod certificate;
mod counts;
mod csv;
mod figures;
mod financing;
mod firm;
mod flows;
mod ledger;
mod links;
mod series;
mod targets;
mod withdrawal;

pub use alerts::{AlertResponse, AlertsResponse};
pub use audit::{AuditEntryResponse, AuditPage};
pub use certificate::CertificateResponse;
pub use counts::{
    GroupCount, GroupLabel, RuleSetVersion, TierCountResponse, TierCountsResponse,
    TierGroupCountResponse,
};
pub use csv::{CsvTable, text as csv_text};
pub use figures::YearResponse;
pub use financing::FinancingResponse;
pub use firm::FirmResponse;
pub use flows::{FlowFigures, FlowLinks, GroupFlow, TierFlowResponse, TierFlowsResponse};
pub use ledger::{
    CurrentRuleSetResponse, PublicationResponse, RuleSetRefResponse, RuleSetSummary,
    TierDescription, TierEventPage, TierEventResponse, TrackDescription,
};
pub use links::{firms_link, link};
pub use series::{SeriesGroupValue, SeriesPointResponse, SeriesValue, TierSeriesResponse};
pub use targets::{
    NearMissResponse, TargetFirmPage, TargetFirmResponse, TargetNearMissesResponse,
    TargetProgressResponse, TargetsResponse,
};
pub use withdrawal::WithdrawalResponse;
