//! The layers' rules, read off the source (docs/ARCHITECTURE.md draws them):
//!
//! ```text
//! main.rs, cli/, startup.rs      entry points: parse, wire, dispatch
//! http/ (JSON API, views/)  web/  the two faces; actix lives here and in auth/; neither imports the other
//! auth/                          sessions, tokens, roles, route policy, rate limits; each face supplies its refusal
//! service/                       use cases, one capability per folder or file; no actix, no diesel
//! inputs/   bulk/                requests and files that parse into domain values
//! rules/    storage/             pure classification | diesel, transactions, group commit, checkpoints
//! domain/                        types that parse their input
//! ```
//!
//! A rule is a list of words a layer's code must not contain (comments are ignored), so a
//! new `use` that points the wrong way fails here, naming the file and the line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
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

/// The files of a layer: a folder under `src/`, or one file.
fn layer_files(layer: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let dir = src().join(layer);
    if dir.is_dir() {
        rust_files(&dir, &mut files);
    }
    let file = src().join(format!("{layer}.rs"));
    if file.is_file() {
        files.push(file);
    }
    assert!(!files.is_empty(), "layer {layer} was found under src/");
    files
}

/// Lines of code without their `//` comments (doc comments included).
fn code_lines(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).expect("readable source");
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.split("//").next().unwrap_or("").to_owned()))
        .collect()
}

fn offences(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in layer_files(layer) {
        for (n, code) in code_lines(&file) {
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!(
                        "{}:{n}: `{word}` in {}",
                        file.display(),
                        code.trim()
                    ));
                }
            }
        }
    }
    found
}

/// The frameworks a layer may be free of.
const ACTIX: &str = "actix";
const DIESEL: &str = "diesel";
const ASKAMA: &str = "askama";
/// The entry points, above everything.
const ENTRY: &[&str] = &["crate::startup", "crate::cli"];
/// The two faces and the gate they share.
const FACES: &[&str] = &["crate::http", "crate::web", "crate::auth"];

/// Each layer and the words its code must not contain: frameworks, then layers.
fn rules() -> Vec<(&'static str, Vec<&'static str>)> {
    let above = |frameworks: &[&'static str], layers: &[&'static str]| {
        let mut words = frameworks.to_vec();
        words.extend_from_slice(ENTRY);
        words.extend_from_slice(layers);
        words
    };
    let faces_and = |more: &[&'static str]| [FACES, more].concat();
    vec![
        (
            "domain",
            above(
                &[ACTIX, DIESEL, ASKAMA],
                &faces_and(&["crate::inputs", "crate::service", "crate::storage"]),
            ),
        ),
        (
            "rules",
            above(
                &[ACTIX, DIESEL, ASKAMA],
                &faces_and(&["crate::inputs", "crate::service", "crate::storage"]),
            ),
        ),
        (
            "inputs",
            above(
                &[ACTIX, DIESEL, ASKAMA],
                &faces_and(&["views::", "crate::bulk", "crate::service", "crate::storage"]),
            ),
        ),
        (
            "bulk",
            above(
                &[ACTIX, DIESEL, ASKAMA],
                &faces_and(&["crate::service", "crate::storage"]),
            ),
        ),
        (
            "storage",
            above(&[ACTIX, ASKAMA], &faces_and(&["crate::service"])),
        ),
        ("service", above(&[ACTIX, DIESEL, ASKAMA], FACES)),
        (
            "auth",
            above(
                &[DIESEL, ASKAMA],
                &["crate::http", "crate::web", "crate::storage"],
            ),
        ),
        ("http", above(&[DIESEL], &["crate::web", "crate::storage"])),
        ("web", above(&[DIESEL], &["crate::http", "crate::storage"])),
    ]
}

#[test]
fn every_layer_imports_only_what_lies_below_it() {
    let found: Vec<String> = rules()
        .iter()
        .flat_map(|(layer, forbidden)| offences(layer, forbidden))
        .collect();
    assert!(found.is_empty(), "layer violations:\n{}", found.join("\n"));
}

#[test]
fn the_rules_catch_a_wrong_way_import() {
    // The checker itself: a layer that does name a forbidden word is reported.
    let found = offences("storage", &["diesel"]);
    assert!(
        !found.is_empty(),
        "storage does use diesel, and the check sees it"
    );
}

#[test]
fn blocking_work_always_carries_the_request_span() {
    // `telemetry::blocking` is the one place that may call `web::block` (it re-enters the
    // caller's span on the blocking thread); a bare call would cut the service's spans off.
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let found: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("telemetry.rs"))
        .flat_map(|file| {
            code_lines(file)
                .into_iter()
                .filter(|(_, code)| code.contains("web::block("))
                .map(move |(n, code)| format!("{}:{n}: {}", file.display(), code.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "use telemetry::blocking:\n{}",
        found.join("\n")
    );
}

#[test]
fn files_stay_small_and_main_stays_thin() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file)
                .expect("readable")
                .lines()
                .count();
            (lines > 400).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over 400 lines:\n{}",
        long.join("\n")
    );
    let main = std::fs::read_to_string(src().join("main.rs")).expect("main.rs");
    assert!(
        main.lines().count() < 120,
        "main.rs parses and dispatches; commands live in src/cli/"
    );
}

/// The service files each file names, by `super::x` or `crate::service::x[::y]`.
fn service_imports(root: &Path, file: &Path) -> BTreeSet<PathBuf> {
    let module_dir = if file.file_name().is_some_and(|n| n == "mod.rs") {
        file.parent().and_then(Path::parent)
    } else {
        file.parent()
    }
    .expect("a file under src/service")
    .to_path_buf();
    let mut out = BTreeSet::new();
    for (_, code) in code_lines(file) {
        for (prefix, base) in [
            ("super::", module_dir.clone()),
            ("crate::service::", root.to_path_buf()),
        ] {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                // The deepest file the path names: `super::rule_sets::cache::RulesCache` is
                // `rule_sets/cache.rs`, not `rule_sets/mod.rs`, which it only passes through.
                let mut path = base.clone();
                let mut target = None;
                for segment in rest.split("::") {
                    let name: String = segment
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if name.is_empty() || name == "self" {
                        break;
                    }
                    let as_file = path.join(format!("{name}.rs"));
                    let as_dir = path.join(&name).join("mod.rs");
                    if as_file.is_file() {
                        target = Some(as_file);
                        break;
                    } else if as_dir.is_file() {
                        target = Some(as_dir);
                        path = path.join(&name);
                    } else {
                        break;
                    }
                }
                out.extend(target);
            }
        }
    }
    out.remove(file);
    out
}

#[test]
fn service_files_import_each_other_without_cycles() {
    let root = src().join("service");
    let files = layer_files("service");
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = files
        .iter()
        .map(|f| (f.clone(), service_imports(&root, f)))
        .collect();
    // `mod.rs` files declare their children; only their own `use` lines count, and a child
    // reaching a sibling goes straight to it, so a cycle through a `mod.rs` is a real one.
    let mut cycles = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let mut names: Vec<String> = path
                        .iter()
                        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                        .collect();
                    // One report per cycle, whichever file it was found from.
                    let first = names
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, n)| *n)
                        .map_or(0, |(i, _)| i);
                    names.rotate_left(first);
                    cycles.insert(names.join(" → "));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    let cycles: Vec<String> = cycles.into_iter().collect();
    assert!(
        cycles.is_empty(),
        "import cycles in src/service:\n{}",
        cycles.join("\n")
    );
}
