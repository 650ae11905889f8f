//! Doc comments for generated items, built from the spec's prose.
//!
//! A doc comment is many `#[doc = " line"]` attributes. Built token by token inside the
//! compiler, each line is a group the proc-macro bridge assembles call by call from the macro's
//! unoptimized code; written as source text and lexed once per comment, the compiler does that
//! work in its own optimized code. Outside the compiler (tests, benches) proc-macro2 would lex
//! in unoptimized code instead, so there the tokens are built one by one. They are the same
//! tokens either way.

extern crate proc_macro;

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` attributes for `text`, one per line, so prettyplease prints them as `///` lines.
pub(crate) fn lines(text: &str) -> TokenStream {
    if !proc_macro::is_available() {
        return token_by_token(text);
    }
    // The compiler's own lexer: proc-macro2's `from_str` would first check the text with its
    // lexer, in the macro's unoptimized code. The escaping leaves nothing that does not lex;
    // should it ever, the tokens built one by one say the same.
    match source(text).parse::<proc_macro::TokenStream>() {
        Ok(tokens) => tokens.into(),
        Err(_) => token_by_token(text),
    }
}

/// [`lines`] as source text.
fn source(text: &str) -> String {
    let mut source = String::with_capacity(text.len() + text.len() / 4 + 16);
    for line in text.lines() {
        source.push_str("#[doc = \"");
        if !line.is_empty() {
            source.push(' ');
            escape_into(&mut source, line);
        }
        source.push_str("\"]");
    }
    source
}

/// [`lines`] built token by token.
fn token_by_token(text: &str) -> TokenStream {
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

/// Appends `text` as the inside of a Rust string literal. Printable ASCII and letters or digits
/// stay as they are; quotes, backslashes and every other character are escaped, so that no
/// control or text-direction character reaches the compiler raw.
fn escape_into(out: &mut String, text: &str) {
    // Byte by byte: this runs unoptimized in a default build, where a `char` predicate per
    // character costs several times as much.
    let bytes = text.as_bytes();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        let byte = bytes[at];
        if (b' '..=b'~').contains(&byte) && byte != b'"' && byte != b'\\' {
            at += 1;
            continue;
        }
        out.push_str(&text[start..at]);
        let c = text[at..].chars().next().unwrap_or_default();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_alphanumeric() => out.push(c),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
        at += c.len_utf8();
        start = at;
    }
    out.push_str(&text[start..]);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// [`source`] lexed (by proc-macro2 here, outside the compiler).
    fn lexed(text: &str) -> TokenStream {
        source(text).parse().expect("the source lexes")
    }

    /// What prettyplease shows of the doc attributes: the value of each, in order.
    fn values(tokens: TokenStream) -> Vec<String> {
        let source = format!("{tokens} struct S;");
        let item: syn::DeriveInput = syn::parse_str(&source).expect("doc attributes on an item");
        item.attrs
            .iter()
            .map(|attr| match &attr.meta {
                syn::Meta::NameValue(doc) => match &doc.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) => text.value(),
                    _ => panic!("a doc attribute that is not a string"),
                },
                _ => panic!("an attribute that is not `doc = …`"),
            })
            .collect()
    }

    #[test]
    fn lexed_docs_are_the_tokens_built_one_by_one() {
        let text = "Plain.\n\nQuotes \"q\", a backslash \\ and \\n, a tab\there, a bell \u{7}, \
                    é, 🦀, — and \u{202e}.\r\n  indented `code` {braces} #[not an attr]";
        let written = source(text);
        assert!(
            written
                .chars()
                .all(|c| c.is_ascii_graphic() || c == ' ' || c.is_alphanumeric())
        );
        assert_eq!(values(lexed(text)), values(token_by_token(text)));
        assert_eq!(
            values(lexed(text)),
            [
                " Plain.",
                "",
                " Quotes \"q\", a backslash \\ and \\n, a tab\there, a bell \u{7}, é, 🦀, — and \u{202e}.",
                "   indented `code` {braces} #[not an attr]",
            ]
        );
    }

    #[test]
    fn no_text_is_no_attribute() {
        assert!(lexed("").is_empty() && token_by_token("").is_empty());
        assert!(paragraphs([None, Some("  ".to_owned())]).is_empty());
    }
}
