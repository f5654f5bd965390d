//! The default rule set at every boundary CRITERIA.md names.

use super::support::*;

#[test]
fn the_default_rule_set_loads_without_warnings() {
    let rules = default_rules();
    assert_eq!(rules.id(), "changzhou-default");
    assert_eq!(rules.tier_count(), 6);
    assert!(rules.warnings().is_empty(), "{:?}", rules.warnings());
}
