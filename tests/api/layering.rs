//! The domain and rules layers stay free of frameworks and of the layers above them.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_and_rules_import_neither_actix_nor_diesel_nor_upper_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let forbidden = [
        "actix",
        "diesel",
        "crate::http",
        "crate::web",
        "crate::service",
        "crate::storage",
        "crate::startup",
    ];
    let mut files = Vec::new();
    for layer in ["domain", "rules"] {
        rust_files(&root.join(layer), &mut files);
    }
    assert!(!files.is_empty(), "the layers were found");
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "layer violations:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_bulk_file_module_imports_neither_actix_nor_diesel_nor_the_service() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bulk");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "src/bulk was found");
    let forbidden = [
        "actix",
        "diesel",
        "crate::http",
        "crate::service",
        "crate::storage",
    ];
    let offences: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).expect("readable");
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    let code = line.split("//").next().unwrap_or("");
                    forbidden.iter().any(|w| code.contains(w))
                })
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offences.is_empty(),
        "layer violations:\n{}",
        offences.join("\n")
    );
}

#[test]
fn request_inputs_import_neither_views_nor_the_service_nor_the_faces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/inputs");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "src/inputs was found");
    let forbidden = [
        "actix",
        "diesel",
        "views",
        "crate::http",
        "crate::web",
        "crate::service",
        "crate::storage",
        "crate::bulk",
    ];
    let offences: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).expect("readable");
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    let code = line.split("//").next().unwrap_or("");
                    forbidden.iter().any(|w| code.contains(w))
                })
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offences.is_empty(),
        "layer violations:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_service_builds_no_api_views() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "src/service was found");
    let offences: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).expect("readable");
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    let code = line.split("//").next().unwrap_or("");
                    code.contains("crate::http") || code.contains("crate::web")
                })
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offences.is_empty(),
        "layer violations:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_two_faces_do_not_import_each_other_and_auth_imports_neither() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rules: [(&str, &[&str]); 3] = [
        ("http", &["crate::web"]),
        ("web", &["crate::http"]),
        ("auth", &["crate::http", "crate::web"]),
    ];
    let mut offences = Vec::new();
    for (layer, forbidden) in rules {
        let mut files = Vec::new();
        rust_files(&root.join(layer), &mut files);
        assert!(!files.is_empty(), "src/{layer} was found");
        for file in &files {
            let text = std::fs::read_to_string(file).expect("readable");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if forbidden.iter().any(|w| code.contains(w)) {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "layer violations:\n{}",
        offences.join("\n")
    );
}
