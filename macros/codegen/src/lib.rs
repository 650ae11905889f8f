//! Expands a checked Pabbly spec ([`pabbly_spec::ir::Api`]) into Rust tokens.
//!
//! This is the engine behind the `pabbly_macros::include_api!` macro, kept in an ordinary library
//! so tests can snapshot its output as formatted Rust. Expansion cannot fail: every problem was
//! reported while the spec was lowered.
//!
//! Generated code names its dependencies only through `::pabbly` (the public API and the hidden
//! `::pabbly::__private` re-exports), so a crate that uses it depends on `pabbly` alone.

mod blocking;
mod client;
mod docs;
mod examples;
mod models;
mod operations;
mod registry;
mod types;
mod webhooks;

use pabbly_spec::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

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
pub fn expand(api: &Api, options: Options<'_>) -> TokenStream {
    let track = track(options.spec_file);
    let client = client::expand(api, options.crate_name);
    let models = models::expand_module(api);
    let resources = api.resources.iter().map(|resource| {
        operations::expand_resource(resource, &api.models, options.crate_name, options.blocking)
    });
    let webhooks = api
        .webhooks
        .as_ref()
        .map(|webhooks| webhooks::expand(webhooks, options.crate_name));
    let registry = options.operation_registry.then(|| registry::expand(api));
    let blocking = options
        .blocking
        .then(|| blocking::expand(api, options.crate_name));
    quote! {
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
pub fn skeleton(spec_file: Option<&str>) -> TokenStream {
    let track = track(spec_file);
    let client = client::skeleton();
    quote! {
        #track
        #client
        /// Shared types of the API (not generated: the spec has errors).
        pub mod models {}
    }
}

fn track(spec_file: Option<&str>) -> TokenStream {
    match spec_file {
        Some(path) => quote! {
            const _: &str = ::core::include_str!(#path);
        },
        None => TokenStream::new(),
    }
}
