//! Which ledger events a reclassification records: a pure comparison of the tiers a firm holds
//! with the ones it reaches now. No database, no rule evaluation.

use crate::domain::EventKind;
use crate::storage::CurrentTierRow;

/// A track of the rule set in force, and the tier the firm reaches in it now.
#[derive(Debug, Clone)]
pub struct TrackNow<'a> {
    /// The track's id.
    pub id: &'a str,
    /// The track's tier ids, lowest first: they rank a change as a promotion or a demotion.
    pub tiers: Vec<&'a str>,
    /// The tier reached now (an index into `tiers`), if any.
    pub reached: Option<usize>,
}

/// Where the firm is now: a tier held in another district or industry is a `moved` event.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The firm's district.
    pub region_code: &'a str,
    /// The firm's industry.
    pub industry_code: &'a str,
}

/// A track whose tier (or place) differs from the one held: one event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackChange {
    /// The track's index in the tracks classified now; `None` for a track the rule set in
    /// force no longer has.
    pub index: Option<usize>,
    /// Track id.
    pub track: String,
    /// The tier held, if any.
    pub from: Option<String>,
    /// The tier reached now, if any.
    pub to: Option<String>,
    /// What happened.
    pub kind: EventKind,
}

/// The events that take a firm from the tiers it `held` to the tiers it reaches `now` in the
/// rule set's tracks (in track order), then an exit from each held track the rule set no
/// longer has. A tier kept in the same place records nothing.
pub fn diff_tiers(
    held: &[CurrentTierRow],
    now: &[TrackNow<'_>],
    place: Place<'_>,
) -> Vec<TrackChange> {
    let held_in = |track: &str| held.iter().find(|c| c.track == track);
    let mut changes = Vec::new();
    for (index, track) in now.iter().enumerate() {
        let to = track.reached.and_then(|t| track.tiers.get(t).copied());
        let old = held_in(track.id);
        let unchanged = match (old, to) {
            (Some(old), Some(to)) => {
                old.tier == to
                    && old.region_code == place.region_code
                    && old.industry_code == place.industry_code
            }
            (None, None) => true,
            _ => false,
        };
        if unchanged {
            continue;
        }
        let from = old.map(|o| o.tier.as_str());
        let rank = |tier: &str| track.tiers.iter().position(|t| *t == tier);
        changes.push(TrackChange {
            index: Some(index),
            track: track.id.to_owned(),
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            kind: EventKind::between(from, to, rank),
        });
    }
    for old in held {
        if !now.iter().any(|track| track.id == old.track) {
            changes.push(TrackChange {
                index: None,
                track: old.track.clone(),
                from: Some(old.tier.clone()),
                to: None,
                kind: EventKind::Exited,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const HERE: Place<'static> = Place {
        region_code: "320505",
        industry_code: "C39",
    };

    const GROWTH: [&str; 3] = ["seed", "gazelle", "unicorn"];
    const TECH: [&str; 1] = ["high_tech"];

    fn held(track: &str, tier: &str, region_code: &str) -> CurrentTierRow {
        CurrentTierRow {
            firm_id: "0193a0b0-0000-7000-8000-000000000001".into(),
            track: track.into(),
            tier: tier.into(),
            since: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            region_code: region_code.into(),
            industry_code: HERE.industry_code.into(),
        }
    }

    fn growth(reached: Option<usize>) -> TrackNow<'static> {
        TrackNow {
            id: "growth",
            tiers: GROWTH.to_vec(),
            reached,
        }
    }

    fn tech(reached: Option<usize>) -> TrackNow<'static> {
        TrackNow {
            id: "tech",
            tiers: TECH.to_vec(),
            reached,
        }
    }

    fn kinds(changes: &[TrackChange]) -> Vec<(&str, EventKind)> {
        changes.iter().map(|c| (c.track.as_str(), c.kind)).collect()
    }

    #[test]
    fn a_first_tier_is_entered_and_a_lost_one_exited() {
        let entered = diff_tiers(&[], &[growth(Some(0))], HERE);
        assert_eq!(
            entered,
            [TrackChange {
                index: Some(0),
                track: "growth".into(),
                from: None,
                to: Some("seed".into()),
                kind: EventKind::Entered,
            }]
        );
        let exited = diff_tiers(
            &[held("growth", "seed", HERE.region_code)],
            &[growth(None)],
            HERE,
        );
        assert_eq!(kinds(&exited), [("growth", EventKind::Exited)]);
        assert_eq!(exited[0].from.as_deref(), Some("seed"));
        assert_eq!(exited[0].to, None);
    }

    #[test]
    fn a_higher_tier_is_a_promotion_and_a_lower_one_a_demotion() {
        let up = diff_tiers(
            &[held("growth", "seed", HERE.region_code)],
            &[growth(Some(2))],
            HERE,
        );
        assert_eq!(kinds(&up), [("growth", EventKind::Promoted)]);
        let down = diff_tiers(
            &[held("growth", "unicorn", HERE.region_code)],
            &[growth(Some(1))],
            HERE,
        );
        assert_eq!(kinds(&down), [("growth", EventKind::Demoted)]);
        assert_eq!(down[0].from.as_deref(), Some("unicorn"));
        assert_eq!(down[0].to.as_deref(), Some("gazelle"));
    }

    #[test]
    fn the_same_tier_in_another_district_is_moved() {
        let moved = diff_tiers(
            &[held("growth", "gazelle", "320506")],
            &[growth(Some(1))],
            HERE,
        );
        assert_eq!(kinds(&moved), [("growth", EventKind::Moved)]);
        assert_eq!(moved[0].from, moved[0].to);
    }

    #[test]
    fn unchanged_tiers_record_nothing() {
        let current = [
            held("growth", "gazelle", HERE.region_code),
            held("tech", "high_tech", HERE.region_code),
        ];
        assert!(diff_tiers(&current, &[growth(Some(1)), tech(Some(0))], HERE).is_empty());
        assert!(diff_tiers(&[], &[growth(None), tech(None)], HERE).is_empty());
    }

    #[test]
    fn several_tracks_change_at_once_in_track_order_then_retired_tracks() {
        let current = [
            held("retired", "old_tier", HERE.region_code),
            held("tech", "high_tech", HERE.region_code),
        ];
        let changes = diff_tiers(&current, &[growth(Some(1)), tech(None)], HERE);
        assert_eq!(
            kinds(&changes),
            [
                ("growth", EventKind::Entered),
                ("tech", EventKind::Exited),
                ("retired", EventKind::Exited),
            ]
        );
        let indexes: Vec<Option<usize>> = changes.iter().map(|c| c.index).collect();
        assert_eq!(indexes, [Some(0), Some(1), None]);
    }
}
