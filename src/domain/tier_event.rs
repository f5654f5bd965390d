//! A tier change (recorded or about to be), its kind and cause, and a published rule set.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// What happened to a firm's tier in a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The firm reached a tier in a track where it held none.
    Entered,
    /// A higher tier than the one held.
    Promoted,
    /// A lower tier than the one held.
    Demoted,
    /// The firm holds no tier in the track any more.
    Exited,
    /// Same tier, another district or industry: recorded so the ledger alone accounts for
    /// every count per district and industry.
    Moved,
}

impl EventKind {
    /// Every kind, in the order above.
    pub const ALL: [Self; 5] = [
        Self::Entered,
        Self::Promoted,
        Self::Demoted,
        Self::Exited,
        Self::Moved,
    ];

    /// The stored name, also the one the API and the pages show.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entered => "entered",
            Self::Promoted => "promoted",
            Self::Demoted => "demoted",
            Self::Exited => "exited",
            Self::Moved => "moved",
        }
    }

    /// The kind with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The kind of a change from `from` to `to` in one track; `rank` orders the track's tiers
    /// (higher is better; a tier the track no longer has ranks below all).
    pub fn between(
        from: Option<&str>,
        to: Option<&str>,
        rank: impl Fn(&str) -> Option<usize>,
    ) -> Self {
        match (from, to) {
            (None, _) => Self::Entered,
            (_, None) => Self::Exited,
            (Some(a), Some(b)) if a == b => Self::Moved,
            (Some(a), Some(b)) => {
                if rank(b) > rank(a) {
                    Self::Promoted
                } else {
                    Self::Demoted
                }
            }
        }
    }
}

/// Why a firm was reclassified; recorded on each event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The firm's own record changed (including status and listing).
    FirmChanged,
    /// Annual figures were written.
    FiguresChanged,
    /// A financing round was recorded.
    FinancingAdded,
    /// A certificate was recorded.
    CertificateChanged,
    /// A rule set was published.
    RulesPublished,
    /// Days passed: a cohort, a certificate or the data year moved on.
    TimePassed,
    /// A bulk import.
    Import,
    /// A financing round or certificate was corrected or withdrawn.
    Correction,
}

impl Cause {
    /// Every cause, in the order above.
    pub const ALL: [Self; 8] = [
        Self::FirmChanged,
        Self::FiguresChanged,
        Self::FinancingAdded,
        Self::CertificateChanged,
        Self::RulesPublished,
        Self::TimePassed,
        Self::Import,
        Self::Correction,
    ];

    /// The stored name, also the one the API and the pages show.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirmChanged => "firm_changed",
            Self::FiguresChanged => "figures_changed",
            Self::FinancingAdded => "financing_added",
            Self::CertificateChanged => "certificate_changed",
            Self::RulesPublished => "rules_published",
            Self::TimePassed => "time_passed",
            Self::Import => "import",
            Self::Correction => "correction",
        }
    }

    /// The cause with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|cause| cause.as_str() == name)
    }
}

/// A tier change the service hands to storage: a ledger row before it has a position and the
/// firm's sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTierEvent {
    /// The firm.
    pub firm_id: Uuid,
    /// Track id.
    pub track: String,
    /// Tier before (none: entered).
    pub from_tier: Option<String>,
    /// Tier after (none: exited).
    pub to_tier: Option<String>,
    /// What happened.
    pub kind: EventKind,
    /// The day it takes effect.
    pub effective_on: NaiveDate,
    /// When it is recorded.
    pub recorded_at: DateTime<Utc>,
    /// Why.
    pub cause: Cause,
    /// Who.
    pub actor: String,
    /// Rule set id.
    pub rule_set_id: String,
    /// Rule set version.
    pub rule_set_version: i32,
    /// SHA-256 of the rule file.
    pub rule_set_hash: String,
    /// The firm's district now.
    pub region_code: String,
    /// The firm's industry now.
    pub industry_code: String,
    /// The track's explanation, as JSON text.
    pub explanation: String,
}

impl NewTierEvent {
    /// The event at ledger `position`, the firm's `seq`-th.
    pub fn at(self, position: i64, seq: i32) -> TierEvent {
        TierEvent {
            position,
            firm_id: self.firm_id,
            seq,
            track: self.track,
            from_tier: self.from_tier,
            to_tier: self.to_tier,
            kind: self.kind,
            effective_on: self.effective_on,
            recorded_at: self.recorded_at,
            cause: self.cause,
            actor: self.actor,
            rule_set_id: self.rule_set_id,
            rule_set_version: self.rule_set_version,
            rule_set_hash: self.rule_set_hash,
            region_code: self.region_code,
            industry_code: self.industry_code,
            explanation: self.explanation,
        }
    }
}

/// One ledger row: a firm's tier in a track changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierEvent {
    /// Position in the ledger.
    pub position: i64,
    /// The firm.
    pub firm_id: Uuid,
    /// The firm's own event counter.
    pub seq: i32,
    /// Track id.
    pub track: String,
    /// Tier before (none: entered).
    pub from_tier: Option<String>,
    /// Tier after (none: exited).
    pub to_tier: Option<String>,
    /// What happened.
    pub kind: EventKind,
    /// The day it took effect.
    pub effective_on: NaiveDate,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Why.
    pub cause: Cause,
    /// Who.
    pub actor: String,
    /// Rule set id.
    pub rule_set_id: String,
    /// Rule set version.
    pub rule_set_version: i32,
    /// SHA-256 of the rule file.
    pub rule_set_hash: String,
    /// The firm's district then.
    pub region_code: String,
    /// The firm's industry then.
    pub industry_code: String,
    /// The track's explanation, as JSON text.
    pub explanation: String,
}

/// A published rule set version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRuleSet {
    /// Rule set id.
    pub id: String,
    /// Version.
    pub version: i32,
    /// First day it applies.
    pub effective_from: NaiveDate,
    /// SHA-256 of the file.
    pub content_hash: String,
    /// The file name it was published from.
    pub origin: String,
    /// The file's text.
    pub content: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
    /// Whether it is the set in force today.
    pub in_force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_causes_keep_their_stored_names() {
        let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["entered", "promoted", "demoted", "exited", "moved"]);
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        let causes: Vec<&str> = Cause::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            causes,
            [
                "firm_changed",
                "figures_changed",
                "financing_added",
                "certificate_changed",
                "rules_published",
                "time_passed",
                "import",
                "correction"
            ]
        );
        for cause in Cause::ALL {
            assert_eq!(Cause::parse(cause.as_str()), Some(cause));
        }
        assert_eq!(EventKind::parse("Promoted"), None);
        assert_eq!(Cause::parse("imported"), None);
    }

    #[test]
    fn a_change_is_ranked_by_the_tracks_order() {
        let order = ["seed", "gazelle", "unicorn"];
        let rank = |tier: &str| order.iter().position(|t| *t == tier);
        let kind = |from, to| EventKind::between(from, to, rank);
        assert_eq!(kind(None, Some("seed")), EventKind::Entered);
        assert_eq!(kind(Some("seed"), None), EventKind::Exited);
        assert_eq!(kind(Some("seed"), Some("unicorn")), EventKind::Promoted);
        assert_eq!(kind(Some("unicorn"), Some("gazelle")), EventKind::Demoted);
        assert_eq!(kind(Some("gazelle"), Some("gazelle")), EventKind::Moved);
        // A tier the track no longer has ranks below all.
        assert_eq!(kind(Some("retired"), Some("seed")), EventKind::Promoted);
    }
}
