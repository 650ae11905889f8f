//! Snapshots of the generated code, formatted as Rust: the real spec and one fixture per feature.
//!
//! A change to the generator shows up here as a diff of readable Rust. Review it with
//! `cargo insta review`.

use std::path::{Path, PathBuf};

fn expand(spec: &Path) -> String {
    let name = spec.display().to_string();
    let api = match pabbly_spec::load(spec, &name) {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}"),
    };
    let options = pabbly_codegen::Options {
        spec_file: None,
        crate_name: Some("pabbly"),
    };
    let tokens = pabbly_codegen::expand(&api, options);
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        Err(error) => panic!("generated code does not parse: {error}"),
    };
    prettyplease::unparse(&file)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn real_spec() {
    insta::assert_snapshot!(expand(&root().join("../spec/pabbly.yaml")));
}

#[test]
fn fixtures() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures found");
    for fixture in fixtures {
        let name = fixture
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 name");
        insta::assert_snapshot!(name, expand(&fixture));
    }
}
