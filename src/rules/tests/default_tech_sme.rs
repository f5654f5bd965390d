//! The default rule set's 科技型中小企业 track: the computed evaluation score at its band
//! edges, the pass mark of 60, the non-zero tech-staff condition, the size limits and the
//! direct confirmation by a valid high-tech certificate (evaluation 2024-06-30, data year 2023).

use super::support::*;
use crate::domain::{AnnualFigures, Dossier};
use crate::rules::RuleSet;

/// A rule set whose one tier is the given comparison on the score.
fn score_is(score: i64) -> RuleSet {
    let text = format!(
        "id = \"m\"\nversion = 1\neffective_from = 2020-01-01\n[[track]]\nid = \"m\"\nlabel_zh = \"测\"\nlabel_en = \"M\"\n[[track.tier]]\nid = \"yes\"\nlabel_zh = \"是\"\nlabel_en = \"Yes\"\nsource = \"test\"\nrule.all = [\"tech_sme_score = {score}\"]\n"
    );
    RuleSet::parse(&text, "score.toml").expect("loads")
}

/// A small firm with 100 employees, ¥10M revenue and assets, and the given tech staff,
/// R&D expense and IP counts in 2023.
fn sme(tech_staff: i64, rd_expense: i64, class1: i64, class2: i64) -> Dossier {
    let mut f = firm("2018-01-01");
    f.years.push(AnnualFigures {
        fiscal_year: 2023,
        revenue: Some(10_000_000),
        rd_expense: Some(rd_expense),
        total_assets: Some(10_000_000),
        employees: Some(100),
        tech_staff: Some(tech_staff),
        ip_class1: Some(class1),
        ip_class2: Some(class2),
        ..AnnualFigures::default()
    });
    f
}

fn score_of(f: &Dossier) -> Option<i64> {
    (0..=100).find(|s| tier(&score_is(*s), f, AS_OF, "m").is_some())
}

fn tech_sme(f: &Dossier) -> Option<String> {
    tier(&default_rules(), f, AS_OF, "tech_sme")
}

#[test]
fn each_band_starts_at_its_lower_bound() {
    // Tech staff per 100 employees: 30 → 20 points, 29 → 16, 25 → 16, 10 → 4, 9 → 0.
    for (staff, points) in [
        (30, 20),
        (29, 16),
        (25, 16),
        (24, 12),
        (20, 12),
        (15, 8),
        (10, 4),
        (9, 0),
    ] {
        assert_eq!(
            score_of(&sme(staff, 0, 0, 0)),
            Some(points),
            "{staff} tech staff of 100"
        );
    }
    // R&D of ¥10M revenue: 6% → 50, 5.99% → 40, … 2% → 10, 1.99% → 0.
    for (rd, points) in [
        (600_000, 50),
        (599_999, 40),
        (500_000, 40),
        (400_000, 30),
        (300_000, 20),
        (200_000, 10),
        (199_999, 0),
    ] {
        assert_eq!(score_of(&sme(0, rd, 0, 0)), Some(points), "R&D ¥{rd}");
    }
    // IP: one class-I item is 30; class-II items 6 each up to four (24).
    for (class1, class2, points) in [
        (1, 0, 30),
        (3, 9, 30),
        (0, 4, 24),
        (0, 9, 24),
        (0, 3, 18),
        (0, 2, 12),
        (0, 1, 6),
        (0, 0, 0),
    ] {
        assert_eq!(
            score_of(&sme(0, 0, class1, class2)),
            Some(points),
            "IP {class1}/{class2}"
        );
    }
    assert_eq!(
        score_of(&sme(30, 600_000, 1, 0)),
        Some(100),
        "every band at its top"
    );
}

#[test]
fn sixty_points_pass_and_fifty_eight_do_not() {
    // Band points are all even, so 58 is the highest score below the pass mark of 60.
    let sixty = sme(30, 500_000, 0, 0);
    assert_eq!(score_of(&sixty), Some(60));
    assert_eq!(
        tech_sme(&sixty).as_deref(),
        Some("tech_sme"),
        "60 = 20 + 40 + 0"
    );
    let fifty_eight = sme(25, 400_000, 0, 2);
    assert_eq!(score_of(&fifty_eight), Some(58));
    assert_eq!(tech_sme(&fifty_eight), None, "58 = 16 + 30 + 12");
}

#[test]
fn a_zero_tech_staff_score_fails_whatever_the_rest() {
    let f = sme(9, 600_000, 1, 0);
    assert_eq!(score_of(&f), Some(80), "0 + 50 + 30");
    assert_eq!(tech_sme(&f), None, "9% tech staff scores nothing");
    assert_eq!(
        tech_sme(&sme(10, 600_000, 1, 0)).as_deref(),
        Some("tech_sme"),
        "10% scores 4"
    );
}

#[test]
fn the_size_limits_include_their_numbers() {
    let at_limits = |employees: i64, revenue: i64, assets: i64| {
        let mut f = sme(30, 0, 1, 0);
        f.years[0].employees = Some(employees);
        f.years[0].tech_staff = Some(employees);
        f.years[0].revenue = Some(revenue);
        f.years[0].rd_expense = Some(revenue / 10);
        f.years[0].total_assets = Some(assets);
        tech_sme(&f)
    };
    assert_eq!(
        at_limits(500, 200_000_000, 200_000_000).as_deref(),
        Some("tech_sme")
    );
    assert_eq!(
        at_limits(501, 200_000_000, 200_000_000),
        None,
        "501 employees"
    );
    assert_eq!(
        at_limits(500, 200_000_001, 200_000_000),
        None,
        "revenue over ¥200M"
    );
    assert_eq!(
        at_limits(500, 200_000_000, 200_000_001),
        None,
        "assets over ¥200M"
    );
}

#[test]
fn a_valid_high_tech_certificate_confirms_a_small_firm_without_a_score() {
    let mut f = sme(0, 0, 0, 0);
    assert_eq!(tech_sme(&f), None, "score 0");
    f.certificates.push(certificate("2023-01-01", "2025-12-31"));
    assert_eq!(
        tech_sme(&f).as_deref(),
        Some("tech_sme"),
        "the certificate confirms"
    );
    f.years[0].employees = Some(501);
    assert_eq!(tech_sme(&f), None, "the size limits still hold");
    f.years[0].employees = Some(100);
    f.certificates[0] = certificate("2020-01-01", "2022-12-31");
    assert_eq!(tech_sme(&f), None, "an expired certificate does not");
}

#[test]
fn a_firm_outside_the_city_or_with_a_recent_violation_is_not_one() {
    let mut f = sme(30, 600_000, 1, 0);
    assert_eq!(tech_sme(&f).as_deref(), Some("tech_sme"));
    f.firm.major_violation_on = Some(d("2024-01-10"));
    assert_eq!(tech_sme(&f), None, "a major violation in the year");
    f.firm.major_violation_on = None;
    f.firm.region_code = crate::domain::RegionCode::from_trusted("320500".into());
    assert_eq!(tech_sme(&f), None, "registered in another city");
}

#[test]
fn missing_figures_leave_the_tier_undecided_not_held() {
    let mut f = sme(30, 600_000, 1, 0);
    f.years[0].ip_class2 = None;
    assert_eq!(tech_sme(&f), None);
    assert_eq!(score_of(&f), None, "no score without every figure");
}
