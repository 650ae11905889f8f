//! The `include_api!` macro: reads the Pabbly spec at compile time and generates the client.
//!
//! All the work lives in `pabbly-spec` (load, check, lower) and `pabbly-codegen` (expand); this
//! crate only resolves the file, turns spec problems into compile errors and never panics.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token, parse_macro_input};

/// Generates the API client from a spec file.
///
/// The path is relative to the invoking crate's `CARGO_MANIFEST_DIR`. When no file is there and
/// `PABBLY_SPEC_DIR` is set, it is looked up relative to that directory instead: the compile-fail
/// tests need this because trybuild builds them in a scratch crate. The spec is `include_str!`-ed,
/// so editing it rebuilds the client.
///
/// Every problem in the spec becomes a compile error naming `file:line:column`; after errors a
/// minimal `Client` is still emitted so its uses do not add follow-up errors.
///
/// `include_api!("spec.yaml", operation_registry)` also generates the hidden `__operations`
/// table of every operation callable with JSON input, for table-driven tests; `pabbly` does so
/// only with its `operation-registry` feature, so the table is absent from a default build.
/// The option `blocking` adds the `blocking` module (a blocking `Client`), which `pabbly`
/// generates with its `blocking` feature. Options follow the path, separated by commas.
///
/// ```
/// // Generates `Client`, `models` and one module per resource from the spec.
/// pabbly::include_api!("../spec/pabbly.yaml");
/// # fn main() {
/// let client = Client::builder("API_KEY", "SECRET_KEY").build();
/// assert!(client.is_ok());
/// # }
/// ```
#[proc_macro]
pub fn include_api(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as Input);
    expand(&input).into()
}

/// The macro's input: the spec path, then optionally `, operation_registry` and `, blocking`.
struct Input {
    spec: LitStr,
    operation_registry: bool,
    blocking: bool,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let spec = input.parse()?;
        let mut parsed = Self {
            spec,
            operation_registry: false,
            blocking: false,
        };
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let option: Ident = input.parse()?;
            let flag = if option == "operation_registry" {
                &mut parsed.operation_registry
            } else if option == "blocking" {
                &mut parsed.blocking
            } else {
                return Err(syn::Error::new(
                    option.span(),
                    "unknown option: the options are `operation_registry` and `blocking`",
                ));
            };
            *flag = true;
        }
        Ok(parsed)
    }
}

fn expand(input: &Input) -> proc_macro2::TokenStream {
    let literal = &input.spec;
    let written = literal.value();
    let path = resolve(&written);
    let Some(absolute) = path.to_str() else {
        let message = format!("the spec path {} is not valid UTF-8", path.display());
        return syn::Error::new(literal.span(), message).to_compile_error();
    };
    let text = match pabbly_spec::read(&path, &written) {
        Ok(text) => text,
        Err(unreadable) => {
            let error = syn::Error::new(literal.span(), unreadable).to_compile_error();
            // Not tracked: `include_str!` would read what `read` refused.
            let skeleton = lex(pabbly_codegen::skeleton(None));
            return quote::quote! {
                #error
                #skeleton
            };
        }
    };
    match pabbly_spec::load_str(&text, &written) {
        Ok(api) => {
            // Doc examples name the crate being built; they are doc-tested only in a library.
            let crate_name = std::env::var("CARGO_CRATE_NAME").ok();
            let options = pabbly_codegen::Options {
                spec_file: Some(absolute),
                crate_name: crate_name.as_deref(),
                operation_registry: input.operation_registry,
                blocking: input.blocking,
            };
            lex(pabbly_codegen::expand(&api, options))
        }
        Err(diagnostics) => {
            let errors = diagnostics
                .0
                .iter()
                .map(|d| syn::Error::new(literal.span(), d).to_compile_error());
            let skeleton = lex(pabbly_codegen::skeleton(Some(absolute)));
            quote::quote! {
                #(#errors)*
                #skeleton
            }
        }
    }
}

/// The generated source as tokens, lexed by the compiler itself: proc-macro2's `from_str`
/// would first check the text with its own lexer, in the macro's unoptimized code.
fn lex(code: pabbly_codegen::Rust) -> proc_macro2::TokenStream {
    match code.as_str().parse::<TokenStream>() {
        Ok(tokens) => tokens.into(),
        // Not expected: the templates are Rust, strings are escaped and names checked. Where
        // the compiler's lexer fails it may also report the error itself.
        Err(error) => {
            let message =
                format!("pabbly: the generated code does not lex ({error}); please report this");
            syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error()
        }
    }
}

fn resolve(written: &str) -> PathBuf {
    let relative = Path::new(written);
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    let in_manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(relative);
    match std::env::var_os("PABBLY_SPEC_DIR") {
        Some(dir) if !in_manifest_dir.exists() => PathBuf::from(dir).join(relative),
        _ => in_manifest_dir,
    }
}
