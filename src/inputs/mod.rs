//! Wire types of the JSON API: requests that parse into domain types, and response views.
//! No business logic and no framework code; shared by the HTTP layer and the CLI.

mod audit;
mod certificate;
mod context;
mod corrections;
mod counts;
mod csv;
mod dossier;
mod figures;
mod financing;
mod firm;
mod flows;
mod ledger;
mod targets;

pub use audit::{AuditEntryResponse, AuditPage};
pub use certificate::{CertificateInput, CertificateResponse};
pub use context::{ParseContext, from_validator};
pub use corrections::{
    CertificatePatch, FinancingPatch, MAX_REASON_CHARS, WithdrawalInput, WithdrawalResponse,
};
pub use counts::{
    GroupCount, GroupLabel, RuleSetVersion, TierCountResponse, TierCountsResponse,
    TierGroupCountResponse,
};
pub use csv::{CsvTable, text as csv_text};
pub use dossier::DossierInput;
pub use figures::{YearInput, YearResponse};
pub use financing::{FinancingInput, FinancingRequest, FinancingResponse, MoneyInput};
pub use firm::{FirmInput, FirmPatch, FirmResponse, MAX_NAME_CHARS, parse_optional_date};
pub use flows::{FlowFigures, GroupFlow, TierFlowResponse, TierFlowsResponse};
pub use ledger::{
    CurrentRuleSetResponse, PublicationResponse, RuleSetRefResponse, RuleSetSummary, RulesInput,
    TierDescription, TierEventPage, TierEventResponse, TrackDescription,
};
pub use targets::{NearMissResponse, TargetProgressResponse, TargetsResponse};
