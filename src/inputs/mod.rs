//! Request inputs: what clients send (JSON bodies, import rows, dossiers) as plain strings and
//! numbers, each with a `parse` into domain types that reports every field error at once.
//! Below the service, which takes these inputs; above the domain only. No views, no
//! framework code: the faces, the CLI and `bulk` all build them.

mod certificate;
mod context;
mod corrections;
mod dossier;
mod figures;
mod financing;
mod firm;
mod rules;

pub use certificate::CertificateInput;
pub use context::{ParseContext, from_validator};
pub use corrections::{CertificatePatch, FinancingPatch, MAX_REASON_CHARS, WithdrawalInput};
pub use dossier::DossierInput;
pub use figures::YearInput;
pub use financing::{FinancingInput, FinancingRequest, MoneyInput};
pub use firm::{FirmInput, FirmPatch, MAX_NAME_CHARS, parse_optional_date};
pub use rules::RulesInput;
