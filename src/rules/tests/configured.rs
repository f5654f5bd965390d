//! Tiers added or changed by configuration alone: the example and alternative rule files.

use super::support::*;
use crate::domain::{AnnualFigures, Currency, InvestorKind};
use crate::rules::RuleSet;

fn load(relative: &str) -> RuleSet {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("config/rules")
        .join(relative);
    RuleSet::load_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_tech_sme_tier_is_added_by_configuration_alone() {
    let rules = load("examples/with-tech-sme.toml");
    let mut small = firm("2018-01-01");
    small.years.push(AnnualFigures {
        fiscal_year: 2023,
        revenue: Some(30_000_000),
        total_assets: Some(20_000_000),
        employees: Some(80),
        tech_staff: Some(8),
        innovation_score: Some(60),
        ..AnnualFigures::default()
    });
    assert_eq!(
        tier(&rules, &small, "2024-06-30", "tech_sme").as_deref(),
        Some("tech_sme"),
        "meets size and score"
    );
    small.years[0].employees = Some(501);
    small.years[0].tech_staff = Some(60);
    assert_eq!(
        tier(&rules, &small, "2024-06-30", "tech_sme"),
        None,
        "501 employees is over the limit"
    );
    small
        .certificates
        .push(certificate("2023-01-01", "2025-12-31"));
    assert_eq!(
        tier(&rules, &small, "2024-06-30", "tech_sme").as_deref(),
        Some("tech_sme"),
        "a valid certificate confirms directly"
    );
}

#[test]
fn a_gazelle_can_require_a_high_tech_certificate() {
    let rules = load("alternatives/gazelle-huangpu.toml");
    let mut f = firm("2010-01-01");
    f.years = vec![
        year(2020, 10_000_000),
        year(2022, 16_000_000),
        year(2023, 17_280_000),
    ];
    assert_eq!(
        tier(&rules, &f, "2024-06-30", "gazelle"),
        None,
        "no certificate, no gazelle"
    );
    f.certificates.push(certificate("2023-01-01", "2025-12-31"));
    assert_eq!(
        tier(&rules, &f, "2024-06-30", "gazelle").as_deref(),
        Some("gazelle"),
        "exactly 20% a year with a certificate"
    );
}

#[test]
fn gei_thresholds_include_their_numbers_and_warn_about_the_age_limits() {
    let rules = load("alternatives/gei-2025.toml");
    assert_eq!(rules.warnings().len(), 2, "{:?}", rules.warnings());
    let mut f = firm("2016-01-01");
    f.financings.push(round(
        "2024-03-01",
        1_000_000_000,
        Currency::USD,
        InvestorKind::ProfessionalInstitution,
    ));
    assert_eq!(
        tier(&rules, &f, "2025-06-30", "unicorn").as_deref(),
        Some("unicorn"),
        "exactly US$1B with US$100M raised"
    );
}

#[test]
fn a_firm_whose_only_round_is_strategic_is_a_unicorn_by_default_but_not_under_gei() {
    let gei = load("alternatives/gei-2025.toml");
    let mut f = firm("2016-01-01");
    f.financings.push(round(
        "2024-03-01",
        2_000_000_000,
        Currency::USD,
        InvestorKind::Strategic,
    ));
    assert_eq!(
        tier(&default_rules(), &f, "2025-06-30", "unicorn").as_deref(),
        Some("unicorn"),
        "苏生力〔2025〕41号: any equity round is private-equity investment"
    );
    assert_eq!(
        tier(&gei, &f, "2025-06-30", "unicorn").as_deref(),
        Some("potential_unicorn"),
        "GEI's unicorn needs a professional investor; its potential tier does not"
    );
    f.financings[0].investor_kind = InvestorKind::ProfessionalInstitution;
    assert_eq!(
        tier(&gei, &f, "2025-06-30", "unicorn").as_deref(),
        Some("unicorn"),
        "the same round led by a professional institution is a GEI unicorn"
    );
}
