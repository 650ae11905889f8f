//! Doc comments for generated items, built from the spec's prose.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` attributes for `text`, one per line, so prettyplease prints them as `///` lines.
pub(crate) fn lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Joins paragraphs with blank doc lines, skipping absent ones.
pub(crate) fn paragraphs<I>(parts: I) -> TokenStream
where
    I: IntoIterator<Item = Option<String>>,
{
    let text: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    lines(&text.join("\n\n"))
}
