//! Domain types: each parses its input and cannot hold an invalid value. No actix, no diesel.

mod account;
mod certificate;
mod dates;
mod dossier;
mod error;
mod figures;
mod financing;
mod firm;
mod industry;
mod money;
mod record;
mod region;
mod role;
mod text;
mod tier_event;
mod uscc;

pub use account::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NewPassword, Username};
pub use certificate::{Certificate, CertificateKind};
pub use dates::{
    check_fiscal_year, date_in_shanghai, earliest_date, parse_date, parse_past_date,
    shanghai_offset, three_years_less_a_day,
};
pub use dossier::Dossier;
pub use error::{FieldError, ValidationErrors};
pub use figures::{AnnualFigures, MAX_HEADS, MAX_YUAN};
pub use financing::{FinancingRound, InvestorKind};
pub use firm::{Firm, FirmProfile, FirmStatus};
pub use industry::IndustryCode;
pub use money::{Currency, Money, non_negative};
pub use record::{Recorded, Withdrawal};
pub use region::{District, RegionCatalog, RegionCode};
pub use role::{Role, TokenScope, UnknownRole, UnknownScope};
pub use text::clean_text;
pub use tier_event::{Cause, EventKind, NewTierEvent, PublishedRuleSet, TierEvent};
pub use uscc::Uscc;
