//! Expands a checked Pabbly spec ([`pabbly_spec::ir::Api`]) into Rust source.
//!
//! This is the engine behind the `pabbly_macros::include_api!` macro, kept in an ordinary library
//! so tests can snapshot its output as formatted Rust. Expansion cannot fail: every problem was
//! reported while the spec was lowered.
//!
//! The output is source text ([`Rust`]), written by `quote!`-style templates (`rust!`, see
//! the `rust` module): the macro runs unoptimized in a default build, where building tokens one
//! by one through the proc-macro bridge cost several times more than writing text that the
//! compiler then lexes once.
//!
//! Generated code names its dependencies only through `::pabbly` (the public API and the hidden
//! `::pabbly::__private` re-exports), so a crate that uses it depends on `pabbly` alone.
//!
//! Inside the modules it generates (`models`, one per resource, `__operations`) the code reads
//! like hand-written code: `use ::pabbly::__private as rt;` once, then `rt::Operation`, and
//! prelude names (`Option`, `Result`, `String`, `Clone`, …) unqualified. Only generated names
//! live there, and `pabbly-spec` refuses a spec that would generate `rt` or one of those prelude
//! names. The `Client`, generated into the caller's own module beside names we cannot know,
//! keeps fully qualified paths.

mod blocking;
mod client;
mod docs;
mod examples;
mod models;
mod operations;
mod registry;
mod rust;
mod types;
mod webhooks;

use pabbly_rust_text::rust;
use pabbly_spec::ir::Api;

pub use crate::rust::Rust;

/// How to expand, beyond the spec itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// The absolute path of the spec, read with `include_str!` so that cargo rebuilds the crate
    /// when the spec changes.
    pub spec_file: Option<&'a str>,
    /// The crate the code is generated into, as doc examples name it (`pabbly`); without it the
    /// methods' docs carry no example.
    pub crate_name: Option<&'a str>,
    /// Also generate the hidden `__operations` registry (every operation callable with JSON
    /// input), which only the table-driven tests use; off, it is absent from the expansion.
    pub operation_registry: bool,
    /// Also generate the `blocking` module: a blocking `Client` with the same methods, for
    /// code without an async runtime (`pabbly`'s `blocking` feature).
    pub blocking: bool,
}

/// The whole generated API: the `Client`, the shared `models` and one module per resource.
pub fn expand(api: &Api, options: Options<'_>) -> Rust {
    let track = track(options.spec_file);
    let client = client::expand(api, options.crate_name);
    let models = models::expand_module(api, options.operation_registry);
    let resources = api
        .resources
        .iter()
        .map(|resource| operations::expand_resource(resource, &api.models, options));
    let webhooks = api
        .webhooks
        .as_ref()
        .map(|webhooks| webhooks::expand(webhooks, options.crate_name));
    let registry = options.operation_registry.then(|| registry::expand(api));
    let blocking = options
        .blocking
        .then(|| blocking::expand(api, options.crate_name));
    rust! {
        #track
        #client
        #models
        #(#resources)*
        #webhooks
        #registry
        #blocking
    }
}

/// What is still emitted after a spec error: the `Client` type and an empty `models` module, so
/// the user sees the spec's errors rather than every use of the client failing with them.
pub fn skeleton(spec_file: Option<&str>) -> Rust {
    let track = track(spec_file);
    let client = client::skeleton();
    rust! {
        #track
        #client
        /// Shared types of the API (not generated: the spec has errors).
        pub mod models {}
    }
}

fn track(spec_file: Option<&str>) -> Rust {
    match spec_file {
        Some(path) => rust! {
            const _: &str = ::core::include_str!(#path);
        },
        None => Rust::new(),
    }
}

/// Puts a blank line between the items of `source`, Rust as prettyplease prints it (which
/// separates nothing), so generated code reads like hand-written code: the snapshots and the
/// benches' expansion printer show it this way. Only layout changes; the tokens stay the same.
///
/// A blank line goes before an item (its docs or attributes first) that follows the end of
/// another item at the same indentation: a line `}` or one ending in `;` that is no comment.
/// Consecutive `use` lines stay together, and nothing changes inside a body or a doc comment.
///
/// # Example
///
/// ```
/// let printed = "use a::b;\nuse a::c;\nstruct A;\n/// B.\nstruct B {\n    x: u8,\n}\nimpl B {}\n";
/// assert_eq!(
///     pabbly_codegen::space_items(printed),
///     "use a::b;\nuse a::c;\n\nstruct A;\n\n/// B.\nstruct B {\n    x: u8,\n}\n\nimpl B {}\n",
/// );
/// ```
pub fn space_items(source: &str) -> String {
    let mut spaced = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if previous.is_some_and(|previous| ends_item(previous) && starts_item(previous, line)) {
            spaced.push('\n');
        }
        spaced.push_str(line);
        spaced.push('\n');
        previous = Some(line);
    }
    spaced
}

fn ends_item(line: &str) -> bool {
    let code = line.trim_start();
    !code.starts_with("//") && (code == "}" || code.ends_with(';'))
}

/// `line` begins an item at the indentation of `previous` (not a second `use` after a `use`).
fn starts_item(previous: &str, line: &str) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "impl ",
        "impl<",
        "mod ",
        "trait ",
        "type ",
        "use ",
    ];
    let indent = |line: &str| line.len() - line.trim_start().len();
    let code = line.trim_start();
    let both_use = code.starts_with("use ") && previous.trim_start().starts_with("use ");
    indent(line) == indent(previous)
        && !both_use
        && ITEM_STARTS.iter().any(|start| code.starts_with(start))
}
