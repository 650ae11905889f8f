//! Doc comments for generated items, built from the spec's prose: one `#[doc = " line"]`
//! attribute per line, so prettyplease prints them as `///` lines.

use crate::rust::Rust;

/// `#[doc = …]` attributes for `text`, one per line.
pub(crate) fn lines(text: &str) -> Rust {
    let mut code = Rust::new();
    for line in text.lines() {
        if line.is_empty() {
            code.push_str("#[doc = \"\"] ");
        } else {
            code.push_str("#[doc = \" ");
            code.push_escaped(line);
            code.push_str("\"] ");
        }
    }
    code
}

/// Joins paragraphs with blank doc lines, skipping absent ones.
pub(crate) fn paragraphs<I>(parts: I) -> Rust
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

    /// What prettyplease shows of the doc attributes: the value of each, in order.
    fn values(text: &str) -> Vec<String> {
        let source = format!("{} struct S;", lines(text));
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
    fn every_line_is_a_doc_attribute_with_its_text() {
        let text = "Plain.\n\nQuotes \"q\", a backslash \\ and \\n, a tab\there, a bell \u{7}, \
                    é, 🦀, — and \u{202e}.\r\n  indented `code` {braces} #[not an attr]";
        let written = lines(text);
        assert!(
            written
                .as_str()
                .chars()
                .all(|c| c.is_ascii_graphic() || c == ' ' || c.is_alphanumeric())
        );
        assert_eq!(
            values(text),
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
        assert!(lines("").is_empty());
        assert!(paragraphs([None, Some("  ".to_owned())]).is_empty());
    }
}
