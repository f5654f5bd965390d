//! Every rule set in a directory, and the one in force on a date.

use std::path::Path;

use chrono::NaiveDate;

use super::{Diagnostic, RuleErrors, RuleSet, Severity};

/// The rule sets of one directory (its `*.toml` files, not subdirectories).
#[derive(Debug, Clone)]
pub struct RuleLibrary {
    sets: Vec<RuleSet>,
}

impl RuleLibrary {
    /// Loads and checks every `*.toml` file directly in `dir`; refuses the whole directory if
    /// any file is bad, or if two files share id and version, or two share effective date and
    /// version (which one would be in force would be ambiguous).
    pub fn load_dir(dir: &Path) -> Result<RuleLibrary, RuleErrors> {
        let origin = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            RuleErrors(vec![Diagnostic {
                file: origin.clone(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: format!("cannot read the directory: {e}"),
            }])
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut sets: Vec<RuleSet> = Vec::new();
        let mut errors = Vec::new();
        for path in &paths {
            match RuleSet::load_file(path) {
                Ok(set) => {
                    let clash = sets.iter().find(|s| {
                        (s.id == set.id || s.effective_from == set.effective_from)
                            && s.version == set.version
                    });
                    match clash {
                        Some(other) if other.id == set.id => errors.push(clash_error(&set, format!(
                            "id {:?} version {} is also defined in {}; give the new file a higher version",
                            set.id, set.version, other.origin
                        ))),
                        Some(other) => errors.push(clash_error(&set, format!(
                            "{} also takes effect on {} with version {}; give one of them a higher version or another date",
                            other.origin, set.effective_from, set.version
                        ))),
                        None => sets.push(set),
                    }
                }
                Err(e) => errors.extend(e.0),
            }
        }
        if sets.is_empty() && errors.is_empty() {
            errors.push(Diagnostic {
                file: origin,
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: "no *.toml rule file in this directory".to_owned(),
            });
        }
        if errors.is_empty() {
            Ok(RuleLibrary { sets })
        } else {
            Err(RuleErrors(errors))
        }
    }

    /// A library of already loaded sets (for tests and the server's in-memory drafts).
    pub fn from_sets(sets: Vec<RuleSet>) -> RuleLibrary {
        RuleLibrary { sets }
    }

    /// Every set, in file-name order.
    pub fn sets(&self) -> &[RuleSet] {
        &self.sets
    }

    /// The set with this id and version, if loaded.
    pub fn find(&self, id: &str, version: u32) -> Option<&RuleSet> {
        self.sets
            .iter()
            .find(|s| s.id == id && s.version == version)
    }

    /// The set in force on `day`: the latest `effective_from` on or before it, and on the same
    /// date the higher version.
    pub fn in_force(&self, day: NaiveDate) -> Option<&RuleSet> {
        self.sets
            .iter()
            .filter(|s| s.effective_from <= day)
            .max_by_key(|s| (s.effective_from, s.version))
    }
}

fn clash_error(set: &RuleSet, message: String) -> Diagnostic {
    // The id is on the first lines of every file; pointing at line 1 is enough to find it.
    Diagnostic {
        file: set.origin.clone(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    }
}
