//! What `pabbly` adds to a service's build: the current HTTP stack (reqwest 0.13) and the current
//! `syn`, and one version of every crate.
//!
//! A second version of a crate (syn 2 beside syn 3, base64 0.22 beside 0.23) is compiled again
//! in every dependent, and a service on reqwest 0.13 could not hand its own client to
//! `ClientBuilder::http_client` if `pabbly` were on 0.12. The graph is `pabbly`'s normal and build
//! dependencies, the runtime's (`pabbly-runtime`) and the proc macro's included, for this
//! machine's target, as the workspace's `Cargo.lock` pins them: `cargo tree --offline --locked`
//! reads only what the build has already downloaded. The same version listed twice (built once for the proc macro and once for the
//! client, with other features) is one version. A dependent's own view, with its own lockfile
//! and every target, is the manual check in the README's "Dependencies".

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The packages of `pabbly`'s graph as `(name, version)`, one per line of `cargo tree` run with
/// `extra` arguments (`--depth 1`: `pabbly` and its direct dependencies).
fn packages(extra: &[&str]) -> Vec<(String, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "--package", "pabbly", "--edges", "normal,build"])
        .args([
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--offline",
            "--locked",
        ])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo tree failed:\n{stderr}");
    let listing = String::from_utf8(output.stdout).expect("cargo tree prints UTF-8");
    // Each line is `name vX.Y.Z`, then maybe ` (proc-macro)`, a path or ` (*)`.
    listing
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let (Some(name), Some(version)) = (words.next(), words.next()) else {
                panic!("unexpected cargo tree line {line:?}");
            };
            (name.to_owned(), version.to_owned())
        })
        .collect()
}

/// Every package of `pabbly`'s graph with the versions in it.
fn versions() -> BTreeMap<String, BTreeSet<String>> {
    let mut versions = BTreeMap::<String, BTreeSet<String>>::new();
    for (name, version) in packages(&[]) {
        versions.entry(name).or_default().insert(version);
    }
    versions
}

/// `pabbly` is the generated API over the runtime: generated code names serde, chrono and the
/// rest only through `pabbly::__private`, so the crate a spec edit recompiles depends on nothing
/// else (a direct dependency added for generated code would be a path users cannot rely on).
#[test]
fn pabbly_depends_on_its_runtime_and_its_macro_only() {
    let direct: BTreeSet<String> = packages(&["--depth", "1"])
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "pabbly")
        .collect();
    assert_eq!(
        direct,
        BTreeSet::from(["pabbly-macros".to_owned(), "pabbly-runtime".to_owned()])
    );
}

#[test]
fn pabbly_brings_one_version_of_each_crate_and_the_current_http_stack() {
    let versions = versions();
    let only = |name: &str| -> Vec<&String> {
        versions
            .get(name)
            .map(|v| v.iter().collect())
            .unwrap_or_default()
    };
    let [reqwest] = only("reqwest")[..] else {
        panic!("one reqwest expected: {:?}", only("reqwest"));
    };
    assert!(reqwest.starts_with("v0.13."), "reqwest {reqwest}");
    let [syn] = only("syn")[..] else {
        panic!("one syn expected: {:?}", only("syn"));
    };
    assert!(syn.starts_with("v3."), "syn {syn}");
    // Pure Rust TLS on *ring*: aws-lc-rs would need cmake or nasm on some machines.
    assert_eq!(only("ring").len(), 1);
    assert!(only("aws-lc-rs").is_empty() && only("openssl-sys").is_empty());

    let twice: Vec<String> = versions
        .iter()
        .filter(|(_, versions)| versions.len() > 1)
        .map(|(name, versions)| format!("{name} {versions:?}"))
        .collect();
    assert!(
        twice.is_empty(),
        "crates `pabbly` brings in two versions: {twice:?}"
    );
}
