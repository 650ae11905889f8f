//! Benchmarks of what generation costs: the generated `pabbly` client side by side with
//! hand-written code, and what the generator itself costs at compile time.
//!
//! The runtime figures are criterion benches (`cargo bench -p pabbly-benches`); the compile-time
//! ones come from the `expand-time` (unoptimized expansion) and `compile-time` (`cargo check`)
//! binaries; the `report` binary turns them all into the tables of `benches/BENCHMARKS.md`, and
//! `benches/run.sh` runs everything. This library holds what they share.

pub mod alloc;
pub mod handwritten;
pub mod ratio;
pub mod subscriptions;
pub mod synthetic;

use std::path::{Path, PathBuf};

/// The workspace root (the folder of the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// The real spec, `spec/pabbly.yaml`.
pub fn real_spec_path() -> PathBuf {
    workspace_root().join("spec").join("pabbly.yaml")
}

/// Where cargo puts build output: `CARGO_TARGET_DIR`, or `target/` under the workspace root.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where the results that `BENCHMARKS.md` quotes are kept: `benches/results/`.
pub fn results_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results")
}

/// The operation counts the scaling figures are taken at.
pub const SIZES: [usize; 3] = [10, 100, 1000];

/// What `include_api!` does once it has read the spec: load, check and lower the text, then
/// expand it into Rust source (for the crate `pabbly`).
///
/// # Errors
/// The spec's diagnostics, one per line.
pub fn expand_spec(text: &str) -> Result<pabbly_codegen::Rust, String> {
    expand_spec_at(text, "/spec.yaml")
}

/// [`expand_spec`] for a spec that `include_api!` would find at `spec_file` (an absolute
/// path, which the generated code reads with `include_str!` so that cargo tracks it).
///
/// # Errors
/// The spec's diagnostics, one per line.
pub fn expand_spec_at(text: &str, spec_file: &str) -> Result<pabbly_codegen::Rust, String> {
    let api = pabbly_spec::load_str(text, "spec.yaml").map_err(|d| d.to_string())?;
    let options = pabbly_codegen::Options {
        spec_file: Some(spec_file),
        crate_name: Some("pabbly"),
        operation_registry: false,
        blocking: false,
    };
    Ok(pabbly_codegen::expand(&api, options))
}

/// The Rust that `include_api!` generates for the spec `text`, formatted with prettyplease
/// and [`pabbly_codegen::space_items`].
///
/// # Errors
/// The spec's diagnostics, or why the generated code does not parse as a file.
pub fn generated_rust(text: &str) -> Result<String, String> {
    generated_rust_at(text, "/spec.yaml")
}

/// [`generated_rust`] for a spec at `spec_file` (see [`expand_spec_at`]): source that compiles
/// as it stands in a crate depending on `pabbly`.
///
/// # Errors
/// The spec's diagnostics, or why the generated code does not parse as a file.
pub fn generated_rust_at(text: &str, spec_file: &str) -> Result<String, String> {
    let code = expand_spec_at(text, spec_file)?;
    let file: syn::File =
        syn::parse_str(code.as_str()).map_err(|e| format!("generated code: {e}"))?;
    Ok(pabbly_codegen::space_items(&prettyplease::unparse(&file)))
}
