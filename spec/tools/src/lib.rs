//! Maintainer tools for the Pabbly API spec, behind the `pabbly-spec` command: downloading
//! Pabbly's reference pages ([`fetch`]), importing them into spec YAML and checking the spec
//! against them for drift ([`import`]), and the README's operations table ([`table`]).
//!
//! They live apart from `pabbly-spec` (the loader, checks and model the `include_api!` macro
//! uses) so that building the macro never builds an HTTP client, a diff library or the
//! importer. Problems are reported with `pabbly-spec`'s [`Diagnostic`](pabbly_spec::Diagnostic).

pub mod fetch;
pub mod import;
pub mod table;
