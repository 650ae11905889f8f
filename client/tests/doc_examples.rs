//! The documentation's examples are what users copy: they use `pabbly::Client`, never the hidden
//! `pabbly::__private` items (which are not covered by semver). Read from this crate's sources
//! and the runtime's (`pabbly-runtime`, whose items this crate re-exports with their docs).

use std::path::Path;

#[test]
fn no_doc_example_names_the_hidden_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [root.join("src"), root.join("runtime").join("src")];
    let mut offenders = Vec::new();
    let mut files = 0;
    let entries = dirs
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("src is readable"));
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("a source file");
        let mut in_example = false;
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let Some(doc) = trimmed
                .strip_prefix("///")
                .or_else(|| trimmed.strip_prefix("//!"))
            else {
                in_example = false;
                continue;
            };
            if doc.trim_start().starts_with("```") {
                in_example = !in_example;
            } else if in_example && doc.contains("__private") {
                offenders.push(format!("{}:{}: {trimmed}", path.display(), number + 1));
            }
        }
    }
    assert!(files > 10, "read {files} files from {dirs:?}");
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
