//! The scan behind the early warnings (`alerts`): what each active firm is warned of.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use super::alert_kinds::{Alert, AlertKind, LeaveCause, MAX_ALERT_DAYS, MAX_ALERT_MARGIN_PERCENT};
use super::near_miss::{failing_conditions, relative_gap};
use crate::domain::{CertificateKind, Dossier, FirmStatus, RegionCatalog};
use crate::rules::{self, EvalContext, Explanation, Outcome, RuleSet};
use crate::storage::FirmForClassification;

/// Conditions on the founding date: predictable, reported as leaving at the new year.
const AGE_METRICS: [&str; 3] = [
    "years_since_founding",
    "days_since_founding",
    "founded_year",
];

/// Listing order: by kind, then the most urgent first, then by name.
pub(super) fn order(a: &Alert, b: &Alert) -> Ordering {
    let urgency = |x: &Alert| match x.kind {
        AlertKind::CertificateExpiring => x.days_left.unwrap_or(i64::MAX) as f64,
        AlertKind::NearLoss => x.margin.unwrap_or(f64::MAX),
        // Firms holding a tier first: their tiers are what the missing figures put at risk.
        AlertKind::MissingFigures => f64::from(u8::from(x.held.is_empty())),
        AlertKind::LeavesAtNewYear => 0.0,
    };
    a.kind
        .cmp(&b.kind)
        .then(urgency(a).total_cmp(&urgency(b)))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.tier.cmp(&b.tier))
}

pub(super) fn data_year(set: &RuleSet, day: NaiveDate) -> i32 {
    day.year() - set.data_year_offset()
}

fn has_year(dossier: &Dossier, year: i32) -> bool {
    dossier.years.iter().any(|y| y.fiscal_year == year)
}

/// The rule sets and days one scan compares.
pub(super) struct Sets<'a> {
    pub(super) today: NaiveDate,
    pub(super) now: &'a RuleSet,
    pub(super) new_year: NaiveDate,
    pub(super) next: Option<&'a RuleSet>,
    /// The set in force on 31 December.
    pub(super) eve: Option<&'a RuleSet>,
    pub(super) catalog: &'a RegionCatalog,
}

impl Sets<'_> {
    pub(super) fn scan_firm(&self, item: &FirmForClassification, out: &mut Vec<Alert>) {
        let profile = &item.firm.profile;
        if profile.status != FirmStatus::Active {
            return;
        }
        let alert = |kind| Alert {
            kind,
            firm_id: item.firm.id,
            name: profile.name.clone(),
            region_code: profile.region_code.as_str().to_owned(),
            held: item.current.iter().map(|c| c.tier.clone()).collect(),
            track: None,
            tier: None,
            to_tier: None,
            date: None,
            days_left: None,
            certificate: None,
            data_year: None,
            cause: None,
            margin: None,
            conditions: Vec::new(),
        };
        if let Some((end, number)) = certificate_cover_end(&item.dossier, self.today) {
            let days = (end - self.today).num_days();
            if days <= MAX_ALERT_DAYS {
                out.push(Alert {
                    date: Some(end),
                    days_left: Some(days),
                    certificate: Some(number),
                    ..alert(AlertKind::CertificateExpiring)
                });
            }
        }
        let year = data_year(self.now, self.today);
        if !has_year(&item.dossier, year) {
            out.push(Alert {
                data_year: Some(year),
                ..alert(AlertKind::MissingFigures)
            });
        }
        if item.current.is_empty() {
            return;
        }
        self.leaving(item, &alert, out);
        self.near_loss(item, &alert, out);
    }

    /// Tiers held today and not on 1 January, with today's facts and that day's rules.
    fn leaving(
        &self,
        item: &FirmForClassification,
        alert: &dyn Fn(AlertKind) -> Alert,
        out: &mut Vec<Alert>,
    ) {
        let Some(next) = self.next else { return };
        let ctx = EvalContext::new(self.new_year, self.catalog);
        let tiers = rules::classify(next, &item.dossier, &ctx);
        // A tier lost before the new year (a certificate ending in the autumn) is not lost
        // *at* it: only tiers still held on 31 December are reported.
        let eve = self.new_year.pred_opt().unwrap_or(self.today);
        let before = self.eve.map(|set| {
            (
                set,
                rules::classify(set, &item.dossier, &EvalContext::new(eve, self.catalog)),
            )
        });
        let mut explained = None;
        for held in &item.current {
            let rank_in = |set: &RuleSet, tiers: &rules::Tiers| {
                let track = set.track_index(&held.track)?;
                let own = set.tracks()[track]
                    .tiers
                    .iter()
                    .position(|x| x.id == held.tier)?;
                Some((own, tiers.get(track)))
            };
            if let Some((set, eve_tiers)) = &before
                && !matches!(rank_in(set, eve_tiers), Some((own, Some(k))) if k >= own)
            {
                continue;
            }
            let track = next.track_index(&held.track);
            if matches!(rank_in(next, &tiers), Some((own, Some(k))) if k >= own) {
                continue;
            }
            let then = track.and_then(|t| tiers.get(t));
            let assessment =
                explained.get_or_insert_with(|| rules::evaluate(next, &item.dossier, &ctx));
            let conditions = assessment
                .tracks
                .iter()
                .filter(|t| t.track == held.track)
                .flat_map(|t| t.tiers.iter())
                .find(|t| t.tier == held.tier)
                .map(|t| failing_conditions(&t.rule))
                .unwrap_or_default();
            let new_data_year = data_year(next, self.new_year);
            let missing = conditions.iter().any(|c| c.outcome() == Outcome::Missing);
            let cause = if conditions.iter().any(is_age) {
                LeaveCause::Age
            } else if missing && !has_year(&item.dossier, new_data_year) {
                LeaveCause::DataYearRollover
            } else {
                LeaveCause::Conditions
            };
            out.push(Alert {
                track: Some(held.track.clone()),
                tier: Some(held.tier.clone()),
                to_tier: track
                    .zip(then)
                    .map(|(t, k)| next.tracks()[t].tiers[k].id.clone()),
                date: Some(self.new_year),
                days_left: Some((self.new_year - self.today).num_days()),
                data_year: (cause == LeaveCause::DataYearRollover).then_some(new_data_year),
                cause: Some(cause),
                conditions,
                ..alert(AlertKind::LeavesAtNewYear)
            });
        }
    }

    /// Tiers held today whose rule passes by a small margin.
    fn near_loss(
        &self,
        item: &FirmForClassification,
        alert: &dyn Fn(AlertKind) -> Alert,
        out: &mut Vec<Alert>,
    ) {
        let ctx = EvalContext::new(self.today, self.catalog);
        let assessment = rules::evaluate(self.now, &item.dossier, &ctx);
        for held in &item.current {
            let Some(tier) = assessment
                .tracks
                .iter()
                .filter(|t| t.track == held.track)
                .flat_map(|t| t.tiers.iter())
                .find(|t| t.tier == held.tier)
            else {
                continue;
            };
            let Some((m, node)) = margin(&tier.rule) else {
                continue;
            };
            if m * 100.0 < f64::from(MAX_ALERT_MARGIN_PERCENT) {
                out.push(Alert {
                    track: Some(held.track.clone()),
                    tier: Some(held.tier.clone()),
                    margin: Some((m * 10_000.0).round() / 10_000.0),
                    conditions: vec![node],
                    ..alert(AlertKind::NearLoss)
                });
            }
        }
    }
}

/// The last day of the firm's unbroken high-tech certificate cover from `today` (a renewal
/// starting by the day after an expiry continues it) and the number of the certificate that
/// ends it; none without a certificate valid today.
fn certificate_cover_end(dossier: &Dossier, today: NaiveDate) -> Option<(NaiveDate, String)> {
    let held: Vec<_> = dossier
        .certificates
        .iter()
        .filter(|c| c.kind == CertificateKind::HighTech)
        .collect();
    let mut last = *held
        .iter()
        .filter(|c| c.is_valid_on(today))
        .max_by_key(|c| c.expires_on)?;
    while let Some(next) = held
        .iter()
        .filter(|c| c.expires_on > last.expires_on)
        .filter(|c| last.expires_on.succ_opt().is_some_and(|d| c.issued_on <= d))
        .max_by_key(|c| c.expires_on)
    {
        last = next;
    }
    Some((last.expires_on, last.number.clone()))
}

fn is_age(node: &Explanation) -> bool {
    matches!(node, Explanation::Comparison { metric, .. } if AGE_METRICS.contains(&metric.as_str()))
}

/// How far a passing rule is from failing: the smallest relative margin of the comparisons
/// it needs (an `all` is as safe as its weakest item, an `any` as its safest passing item),
/// with the comparison that decides it. None when nothing measurable decides it.
fn margin(node: &Explanation) -> Option<(f64, Explanation)> {
    if node.outcome() != Outcome::Pass {
        return None;
    }
    match node {
        Explanation::Comparison {
            threshold, actual, ..
        } if !is_age(node) => relative_gap(threshold, actual.as_deref()).map(|g| (g, node.clone())),
        Explanation::All { items, .. } => items
            .iter()
            .filter_map(margin)
            .min_by(|a, b| a.0.total_cmp(&b.0)),
        Explanation::Any { items, .. } => {
            let passing: Vec<_> = items
                .iter()
                .filter(|i| i.outcome() == Outcome::Pass)
                .collect();
            // A passing item with nothing measurable (a yes/no fact) keeps the tier safe.
            let margins: Option<Vec<_>> = passing.iter().map(|i| margin(i)).collect();
            margins?.into_iter().max_by(|a, b| a.0.total_cmp(&b.0))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Certificate;
    use crate::rules::Op;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn comparison(metric: &str, threshold: &str, actual: &str, outcome: Outcome) -> Explanation {
        Explanation::Comparison {
            metric: metric.into(),
            op: Op::Ge,
            threshold: threshold.into(),
            actual: Some(actual.into()),
            outcome,
            text: format!("{metric} {actual} vs {threshold}"),
            gap: None,
        }
    }

    #[test]
    fn an_all_is_as_safe_as_its_weakest_comparison_and_an_any_as_its_safest_branch() {
        let weak = comparison("revenue", "¥100,000,000", "¥105,000,000", Outcome::Pass);
        let strong = comparison("rd_ratio", "3%", "6%", Outcome::Pass);
        let all = Explanation::All {
            label: None,
            outcome: Outcome::Pass,
            items: vec![weak.clone(), strong.clone()],
        };
        let (m, node) = margin(&all).expect("measurable");
        assert!((m - 0.05).abs() < 1e-9);
        assert_eq!(node, weak);
        let failing = comparison("revenue", "¥100,000,000", "¥50,000,000", Outcome::Fail);
        let any = Explanation::Any {
            label: None,
            outcome: Outcome::Pass,
            items: vec![all.clone(), strong.clone(), failing],
        };
        // The firm keeps the tier through the safer branch (rd_ratio 100% above its bound).
        assert_eq!(margin(&any).map(|(m, _)| m), Some(1.0));
        // An age condition is never a margin: it is the new year's warning.
        let age = comparison("years_since_founding", "9", "9", Outcome::Pass);
        assert_eq!(margin(&age), None);
    }

    fn certificate(number: &str, from: &str, to: &str) -> Certificate {
        Certificate {
            id: None,
            kind: CertificateKind::HighTech,
            number: number.into(),
            issued_on: day(from),
            expires_on: day(to),
        }
    }

    #[test]
    fn a_renewal_starting_the_day_after_an_expiry_continues_the_cover() {
        let mut dossier = crate::rules::tests::support::firm("2015-03-01");
        dossier.certificates = vec![certificate("GR1", "2024-01-10", "2027-01-09")];
        let today = day("2026-12-01");
        assert_eq!(
            certificate_cover_end(&dossier, today),
            Some((day("2027-01-09"), "GR1".into()))
        );
        dossier
            .certificates
            .push(certificate("GR2", "2027-01-10", "2030-01-09"));
        assert_eq!(
            certificate_cover_end(&dossier, today),
            Some((day("2030-01-09"), "GR2".into()))
        );
        // A gap of a day breaks the cover.
        dossier.certificates[1] = certificate("GR2", "2027-01-11", "2030-01-10");
        assert_eq!(
            certificate_cover_end(&dossier, today).map(|c| c.0),
            Some(day("2027-01-09"))
        );
        assert_eq!(
            certificate_cover_end(&dossier, day("2027-01-10")).map(|c| c.0),
            None
        );
    }
}
