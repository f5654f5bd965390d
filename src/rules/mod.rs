//! Tier rules: rule files (TOML) loaded and checked, and pure evaluation of a dossier as of a
//! date. No actix, no diesel; the only I/O is the loader reading files.

mod assessment;
mod check;
mod compare;
mod compile;
mod conditions;
mod describe;
mod diagnostic;
mod evaluate;
mod exact;
mod explain;
mod facts;
mod file;
mod library;
mod load;
mod metric;
mod model;
mod score;
#[cfg(test)]
pub(crate) mod tests;

pub use assessment::{
    Assessment, Explanation, Gap, GapUnit, RuleSetRef, TierAssessment, TierOutcome, TrackAssessment,
};
pub use conditions::Condition;
pub use diagnostic::{Diagnostic, RuleErrors, Severity, line_column};
pub use evaluate::{EvalContext, Outcome, Tiers, classify};
pub use explain::evaluate;
pub use library::RuleLibrary;
pub use load::{MAX_FILE_BYTES, load_file};
pub use metric::{Kind, Metric};
pub use model::{MAX_TIERS, MAX_TRACKS, Op, RuleSet, Tier, Track};
