//! `tier-registry rules check PATH`: load a rule file or directory and report.

use std::io::Write;
use std::path::Path;

use crate::rules::{RuleLibrary, RuleSet};

/// Checks a rule file (or every `*.toml` directly in a directory). Prints `OK` with a summary
/// of each set and its warnings, or every error as `file:line:column: error: message`.
/// Returns whether the rules loaded; write failures on `out` are ignored.
pub fn rules_check(path: &Path, out: &mut impl Write) -> bool {
    let loaded = if path.is_dir() {
        RuleLibrary::load_dir(path).map(|lib| lib.sets().to_vec())
    } else {
        RuleSet::load_file(path).map(|set| vec![set])
    };
    match loaded {
        Ok(sets) => {
            for set in &sets {
                let _ = writeln!(
                    out,
                    "OK {}: {} version {}, in force from {}, {} tracks, {} tiers, sha256 {}",
                    set.origin(),
                    set.id(),
                    set.version(),
                    set.effective_from(),
                    set.tracks().len(),
                    set.tier_count(),
                    set.content_hash()
                );
                for warning in set.warnings() {
                    let _ = writeln!(out, "{warning}");
                }
            }
            true
        }
        Err(errors) => {
            for error in &errors.0 {
                let _ = writeln!(out, "{error}");
            }
            let _ = writeln!(
                out,
                "{} error(s): nothing was loaded; fix the file and check again",
                errors.0.len()
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &Path) -> (bool, String) {
        let mut out = Vec::new();
        let ok = rules_check(path, &mut out);
        (ok, String::from_utf8(out).expect("UTF-8"))
    }

    #[test]
    fn the_shipped_rules_check_ok() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules");
        let (ok, text) = run(&dir);
        assert!(ok, "{text}");
        assert!(
            text.starts_with("OK ") && text.contains("changzhou-default version 2"),
            "{text}"
        );
        let (ok, text) = run(&dir.join("alternatives/gei-2025.toml"));
        assert!(ok, "{text}");
        assert!(text.contains(": warning: "), "{text}");
    }

    #[test]
    fn a_bad_file_is_reported_with_its_position() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "id = \"x\"\nversion = 1\neffective_from = 2024-01-01\nbogus = 3\n",
        )
        .expect("write");
        let (ok, text) = run(&path);
        assert!(!ok);
        assert!(text.contains("bad.toml:4:1: error: "), "{text}");
        assert!(text.contains("1 error(s)"), "{text}");
    }
}
