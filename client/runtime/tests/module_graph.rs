//! The runtime's modules form a DAG: no module of `client/runtime/src` imports one that imports
//! it back, directly or through others. Each concern has one home that the others build on, so a
//! module can be read, tested and changed knowing what it depends on.
//!
//! The graph is read from the source: every `crate::…` path in code (comments and doc links
//! are not imports), resolved to the module it names, through `lib.rs`'s re-exports for a
//! name like `crate::Error`. `lib.rs` itself, which declares every module, is the root and no
//! node of the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `client/runtime/src` (by the name `crate::` paths use) and its code.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("client/runtime/src is readable") {
        let path = entry.expect("a directory entry").path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let name = match stem {
            // Declared `#[path = "private.rs"] pub mod __private`.
            "private" => "__private",
            other => other,
        };
        let text = std::fs::read_to_string(&path).expect("a source file is readable");
        modules.insert(name.to_owned(), code_of(&text));
    }
    modules
}

/// The text without its comment lines (docs, intra-doc links, prose).
fn code_of(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names `lib.rs` re-exports (`pub use error::Error;`), each with the module it comes from.
fn reexports(lib: &str, modules: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line
            .trim()
            .strip_prefix("pub use ")
            .and_then(|rest| rest.strip_suffix(';'))
        else {
            continue;
        };
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        if !modules.contains_key(module) {
            continue;
        }
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = item.split(" as ").last().unwrap_or(item).trim();
            if !name.is_empty() {
                names.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    names
}

/// The first segments of every `crate::` path in `code`: `crate::a::b` gives `a`,
/// `crate::{a::b, c}` gives `a` and `c`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `my_crate::…`
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group, up to its closing brace.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => found.push(first_segment(&std::mem::take(&mut item))),
                    _ => item.push(c),
                }
            }
            found.push(first_segment(&item));
        } else {
            found.push(first_segment(rest));
        }
    }
    found.retain(|segment| !segment.is_empty());
    found
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Which modules each module imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = modules();
    let lib = modules
        .remove("lib")
        .expect("client/runtime/src/lib.rs exists");
    let reexports = reexports(&lib, &modules);
    let mut graph = BTreeMap::new();
    for (name, code) in &modules {
        let mut imports = BTreeSet::new();
        for segment in crate_paths(code) {
            let target = if modules.contains_key(&segment) {
                &segment
            } else {
                reexports.get(&segment).unwrap_or_else(|| {
                    panic!(
                        "`{name}.rs` names `crate::{segment}`, which is neither a module nor a \
                         re-export of lib.rs: name the module it lives in"
                    )
                })
            };
            if target != name {
                imports.insert(target.clone());
            }
        }
        graph.insert(name.clone(), imports);
    }
    graph
}

/// A path from `from` back to `from`, if there is one, as the list of modules along it.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    // Depth first, remembering the path; each module is explored once.
    let mut seen = BTreeSet::new();
    let mut path = vec![from.to_owned()];
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let current = path.last().cloned().unwrap_or_default();
        for next in graph.get(&current).into_iter().flatten() {
            if next == from {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, from, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(graph, from, &mut path, &mut seen).then_some(path)
}

#[test]
fn runtime_modules_import_each_other_without_cycles() {
    let graph = graph();
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|module| cycle_through(&graph, module))
        .map(|cycle| cycle.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "runtime modules import each other in a cycle:\n{}",
        cycles.join("\n")
    );
}

/// The check sees what it must: imports in `use` lines, groups and inline paths, and nothing in
/// comments.
#[test]
fn the_graph_is_read_from_code() {
    let code = code_of(
        "use crate::error::Error;\n\
         use crate::{failure::{ErrorKind, Outcome}, operation};\n\
         /// See [`crate::runtime::Runtime`].\n\
         fn f() { crate::validate::bounds(); my_crate::x(); }\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["error", "failure", "operation", "validate"]
    );
    let graph = graph();
    assert!(graph["runtime"].contains("envelope"), "{graph:?}");
    // `crate::Error` in a module resolves through lib.rs's re-export.
    let lib = "pub use error::Error;\npub use failure::{ErrorKind, Outcome};\n";
    let names = reexports(lib, &modules());
    assert_eq!(names.get("Error").map(String::as_str), Some("error"));
    assert_eq!(names.get("Outcome").map(String::as_str), Some("failure"));
}
