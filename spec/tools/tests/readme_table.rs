//! The README's operations table is the one the spec produces: CI fails when they differ.

use std::path::Path;

#[test]
fn the_readme_lists_exactly_the_specs_operations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let api = pabbly_spec::load(&root.join("spec/pabbly.yaml"), "spec/pabbly.yaml")
        .unwrap_or_else(|d| panic!("{d}"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let table = pabbly_spec_tools::table::operations_table(&api);
    let expected =
        pabbly_spec_tools::table::splice(&readme, &table).expect("the README has the markers");
    assert!(
        readme == expected,
        "README.md's operations table is out of date: run `cargo run -p pabbly-spec-tools -- table --write README.md`"
    );
}
