//! The year's targets and the tier groups they count (`config/targets.toml`), loaded and
//! checked at start-up: unknown keys and bad values are refused with file:line:column.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::rules::line_column;

/// Tiers counted together (the plan counts unicorn + potential unicorn as one figure).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierGroup {
    /// Stable id, distinct from every tier id (`unicorn_family`).
    pub id: String,
    /// Chinese name.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// Tier ids; listing tiers of one track keeps a firm from being counted twice.
    pub tiers: Vec<String>,
}

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Firms holding the tier at the end of the year (or today).
    Stock,
    /// Closing minus opening over the year: entries minus exits (净增).
    NetIncrease,
    /// Firms that came into the tier during the year, however they came.
    Flow,
    /// Firms that came into the tier during the year having arrived in the city that year:
    /// registered, or moved in from another city (招引). A firm already here that newly
    /// qualifies is not counted; each firm counts once.
    Recruited,
}

impl TargetKind {
    /// The configured name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stock => "stock",
            Self::NetIncrease => "net_increase",
            Self::Flow => "flow",
            Self::Recruited => "recruited",
        }
    }
}

/// `>` or `>=`, as the plan words it (超过 / 不少于).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Comparison {
    /// Strictly more than the value.
    #[serde(rename = ">")]
    Gt,
    /// At least the value.
    #[serde(rename = ">=")]
    Ge,
}

impl Comparison {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    /// Whether `actual` meets `value`.
    pub fn holds(self, actual: i64, value: i64) -> bool {
        match self {
            Self::Gt => actual > value,
            Self::Ge => actual >= value,
        }
    }
}

/// One target of a year's plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Calendar year.
    pub year: i32,
    /// A tier id or a tier group id.
    pub subject: String,
    /// Stock, net increase or flow.
    pub kind: TargetKind,
    /// `>` or `>=`.
    pub comparison: Comparison,
    /// The figure.
    pub value: i64,
    /// Only this district, if set.
    #[serde(default)]
    pub region: Option<String>,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: String,
}

impl Target {
    /// The id the API names the target by within its year: subject, kind and district
    /// (`gazelle-stock`, `gazelle-flow-320412`).
    pub fn id(&self) -> String {
        let mut id = format!("{}-{}", self.subject, self.kind.as_str());
        if let Some(region) = &self.region {
            id.push('-');
            id.push_str(region);
        }
        id
    }
}

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    #[serde(default)]
    group: Vec<Spanned<TierGroup>>,
    #[serde(default)]
    target: Vec<Spanned<Target>>,
}

/// Checked tier groups and targets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPlan {
    /// Tier groups, in file order.
    pub groups: Vec<TierGroup>,
    /// Targets, in file order.
    pub targets: Vec<Target>,
}

impl TargetPlan {
    /// Reads and checks a targets file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses and checks targets text; errors read `origin:line:column: reason`.
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let at = |offset: usize| {
            let (line, column) = line_column(text, offset);
            format!("{origin}:{line}:{column}")
        };
        let file: PlanFile = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map_or_else(|| origin.to_owned(), |span| at(span.start));
            format!("{place}: {}", e.message())
        })?;
        let mut errors = Vec::new();
        let mut groups: Vec<TierGroup> = Vec::new();
        for spanned in &file.group {
            let g = spanned.get_ref();
            let place = at(spanned.span().start);
            if !is_id(&g.id) {
                errors.push(format!(
                    "{place}: group id {:?} must be lower-case letters, digits and _",
                    g.id
                ));
            }
            if groups.iter().any(|other| other.id == g.id) {
                errors.push(format!("{place}: group {:?} is defined twice", g.id));
            }
            if g.tiers.is_empty() || g.tiers.iter().any(|t| !is_id(t)) {
                errors.push(format!(
                    "{place}: group {:?} must list one or more tier ids",
                    g.id
                ));
            }
            groups.push(g.clone());
        }
        let mut targets = Vec::new();
        for spanned in &file.target {
            let t = spanned.get_ref();
            let place = at(spanned.span().start);
            if !(2000..=2100).contains(&t.year) {
                errors.push(format!("{place}: year {} is outside 2000–2100", t.year));
            }
            if !is_id(&t.subject) {
                errors.push(format!(
                    "{place}: subject {:?} must be a tier or group id",
                    t.subject
                ));
            }
            if t.value < 1 {
                errors.push(format!(
                    "{place}: value must be at least 1, got {}",
                    t.value
                ));
            }
            if let Some(region) = &t.region
                && (region.len() != 6 || !region.bytes().all(|b| b.is_ascii_digit()))
            {
                errors.push(format!(
                    "{place}: region {region:?} is not a six-digit GB/T 2260 code"
                ));
            }
            targets.push(t.clone());
        }
        if errors.is_empty() {
            Ok(Self { groups, targets })
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&TierGroup> {
        self.groups.iter().find(|g| g.id == id)
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_targets_file_loads_with_the_2024_plan() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/targets.toml");
        let plan = TargetPlan::load(&path).expect("config/targets.toml loads");
        assert_eq!(plan.targets.len(), 6, "six figures in the 2024 plan");
        let recruited = plan.targets.iter().find(|t| t.subject == "tech_sme");
        assert_eq!(recruited.map(|t| t.kind), Some(TargetKind::Recruited));
        let family = plan
            .group("unicorn_family")
            .expect("the unicorn family group");
        assert_eq!(family.tiers, vec!["potential_unicorn", "unicorn"]);
        assert!(plan.targets.iter().all(|t| t.year == 2024));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = "[[target]]\nyear = 2024\nsubject = \"gazelle\"\nkind = \"stock\"\ncomparison = \">\"\nvalue = 1\ngoal = 3\n";
        let err = TargetPlan::parse(text, "t.toml").expect_err("unknown key");
        assert!(err.starts_with("t.toml:"), "{err}");
        assert!(err.contains("goal"), "{err}");
    }

    #[test]
    fn bad_values_are_refused_with_the_line_of_their_entry() {
        let text = "[[target]]\nyear = 2024\nsubject = \"gazelle\"\nkind = \"stock\"\ncomparison = \">\"\nvalue = 1\n\n[[target]]\nyear = 1024\nsubject = \"Gazelle\"\nkind = \"flow\"\ncomparison = \">=\"\nvalue = 0\nregion = \"32\"\n";
        let err = TargetPlan::parse(text, "t.toml").expect_err("bad values");
        assert_eq!(err.lines().count(), 4, "{err}");
        assert!(
            err.lines().all(|l| l.starts_with("t.toml:8:")),
            "the [[target]] header: {err}"
        );
    }

    #[test]
    fn a_wrong_comparison_or_kind_names_its_place() {
        let text = "[[target]]\nyear = 2024\nsubject = \"gazelle\"\nkind = \"stock\"\ncomparison = \"=>\"\nvalue = 1\n";
        let err = TargetPlan::parse(text, "t.toml").expect_err("bad comparison");
        assert!(err.starts_with("t.toml:5:"), "{err}");
    }
}
