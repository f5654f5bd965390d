//! The rules layer stays pure: no web framework, no database, no layer above it.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn rules_imports_neither_actix_nor_diesel_nor_the_layers_above() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules"),
        &mut files,
    );
    assert!(!files.is_empty());
    for (path, text) in files {
        for forbidden in [
            "actix_web",
            "actix::",
            "diesel::",
            "use diesel",
            "crate::storage",
            "crate::service",
            "crate::http",
            "crate::web",
        ] {
            assert!(!text.contains(forbidden), "{path} mentions {forbidden}");
        }
    }
}
