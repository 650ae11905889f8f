//! Snapshots of the generated code, formatted as Rust: the real spec and one fixture per feature.
//!
//! A change to the generator shows up here as a diff of readable Rust. Review it with
//! `cargo insta review`.

use std::path::{Path, PathBuf};

/// The generated code for `spec`, as a default build has it (without the operation registry).
fn expand(spec: &Path) -> String {
    expand_with(spec, false, false)
}

fn expand_with(spec: &Path, operation_registry: bool, blocking: bool) -> String {
    let name = spec.display().to_string();
    let api = match pabbly_spec::load(spec, &name) {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}"),
    };
    let options = pabbly_codegen::Options {
        spec_file: None,
        crate_name: Some("pabbly"),
        operation_registry,
        blocking,
    };
    let code = pabbly_codegen::expand(&api, options);
    let file: syn::File = match syn::parse_str(code.as_str()) {
        Ok(file) => file,
        Err(error) => panic!("generated code does not parse: {error}"),
    };
    pabbly_codegen::space_items(&prettyplease::unparse(&file))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn real_spec() {
    let generated = expand(&root().join("../spec/pabbly.yaml"));
    assert!(
        !generated.contains("__operations"),
        "a default build has no operation registry"
    );
    insta::assert_snapshot!(generated);
}

/// In a default build every generated data type serializes, answers' types included, so that what
/// Pabbly sent can be stored, or handed to `pabbly-mock` as a stub, as it came. (The workspace's
/// own builds enable the registry, which implements everything, so only the expansion shows it.)
#[test]
fn every_struct_serializes_and_only_received_ones_decode() {
    let generated = expand(&root().join("../spec/pabbly.yaml"));
    let file = syn::parse_file(&generated).expect("generated code parses");
    let mut structs = Vec::new();
    collect_structs(&file.items, &mut structs);
    assert!(
        structs.len() > 50,
        "the real spec's structs ({})",
        structs.len()
    );
    let derives = |item: &syn::ItemStruct| -> String {
        let attrs = item.attrs.iter().filter(|a| a.path().is_ident("derive"));
        attrs
            .filter_map(|a| a.meta.require_list().ok())
            .map(|list| list.tokens.to_string())
            .collect()
    };
    for item in &structs {
        assert!(
            derives(item).contains("Serialize"),
            "{} serializes",
            item.ident
        );
    }
    let decoded = |name: &str| generated.contains(&format!("impl rt::de::Object for {name} {{"));
    assert!(decoded("Subscription") && !decoded("CreateRequest"));
}

fn collect_structs<'a>(items: &'a [syn::Item], structs: &mut Vec<&'a syn::ItemStruct>) {
    for item in items {
        match item {
            // A data type (not the client or a resource handle): it keeps what it does not list.
            syn::Item::Struct(item)
                if item
                    .fields
                    .iter()
                    .any(|f| f.ident.as_ref().is_some_and(|i| i == "extra")) =>
            {
                structs.push(item)
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect_structs(items, structs);
                }
            }
            _ => {}
        }
    }
}

/// The hidden registry that `include_api!(…, operation_registry)` adds, for one small spec.
#[test]
fn operation_registry() {
    let generated = expand_with(&root().join("fixtures/path_params.yaml"), true, false);
    let registry = generated
        .find("/// Every operation, callable with JSON input")
        .map(|start| &generated[start..])
        .expect("the registry is generated on request");
    insta::assert_snapshot!(registry);
}

/// The blocking twin that `include_api!(…, blocking)` adds: path parameters and bodies, and a
/// list walked page by page.
#[test]
fn blocking() {
    for name in ["path_params", "query_params"] {
        let generated = expand_with(&root().join(format!("fixtures/{name}.yaml")), false, true);
        let twin = generated
            .find("/// The same API without `async`")
            .map(|start| &generated[start..])
            .expect("the blocking module is generated on request");
        insta::assert_snapshot!(format!("blocking_{name}"), twin);
    }
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
