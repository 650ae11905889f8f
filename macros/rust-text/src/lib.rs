//! `rust!`: the quasi-quote `pabbly-codegen` writes generated code with, in `quote!`'s syntax,
//! building Rust *source text* rather than tokens.
//!
//! `include_api!` runs unoptimized in a default build. Built with `quote!`, every generated
//! token was a call through the proc-macro bridge from that unoptimized code; built as text, a
//! template is a few `push_str`s of text fixed when `pabbly-codegen` is compiled, and the
//! compiler lexes the whole result once, in its own optimized code.
//!
//! The syntax is `quote!`'s: tokens stand for themselves, `#var` writes `var` through
//! `ToRust`, and `#( … ) *` or `#( … ) sep *` repeats its body once per item of every `#var`
//! inside it, in lockstep (`sep`, one punctuation character, between items). Everything the
//! expansion names is in `pabbly-codegen`'s `crate::rust` module, so the macro serves that crate
//! alone. Unlike `quote!`, every `#var` inside a repetition must be a `Vec`, a slice or an
//! iterator (a single value is not repeated), repetitions do not nest, and `__rust…` names are
//! the expansion's own. Its tokens are written with the spacing they had: a joint punctuation character
//! (`:` of `::`, `'` of a lifetime) is followed by no space, every other token by one.

use proc_macro::{Delimiter, Spacing, TokenStream, TokenTree};

/// Generated Rust as text (a `crate::rust::Rust` of `pabbly-codegen`), from a `quote!`-style
/// template. Inside `pabbly-codegen`, with `name` an identifier and `fields` a `Vec` of pieces:
///
/// ```text
/// rust! { pub struct #name { #(#fields),* } }
/// ```
///
/// expands to pushes of the fixed text (`"pub struct "`, `"{ "`, `", "`, `"} "`) around
/// `ToRust::write(&name, …)` and a loop over `fields`.
#[proc_macro]
pub fn rust(input: TokenStream) -> TokenStream {
    let mut template = Template::default();
    let body = match template.write(input) {
        Ok(()) => {
            template.flush();
            template.code
        }
        Err(message) => format!("::core::compile_error!({message:?});"),
    };
    let code = format!(
        "{{ #[allow(unused_imports)] use crate::rust::{{RepIter as _, RepSlice as _}}; \
         let mut __rust_out = crate::rust::Rust::new(); {body} __rust_out }}"
    );
    code.parse().unwrap_or_else(|_| {
        "::core::compile_error!(\"rust!: bad expansion\")"
            .parse()
            .unwrap_or_default()
    })
}

/// The statements being written, and the literal text not yet pushed.
#[derive(Default)]
struct Template {
    code: String,
    text: String,
}

impl Template {
    fn write(&mut self, input: TokenStream) -> Result<(), String> {
        let tokens: Vec<TokenTree> = input.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            i = match (&tokens[i], tokens.get(i + 1)) {
                (TokenTree::Punct(pound), Some(TokenTree::Ident(var)))
                    if pound.as_char() == '#' =>
                {
                    own_name(var)?;
                    self.unglue();
                    self.flush();
                    self.code.push_str(&format!(
                        "crate::rust::ToRust::write(&{var}, &mut __rust_out); "
                    ));
                    i + 2
                }
                (TokenTree::Punct(pound), Some(TokenTree::Group(body)))
                    if pound.as_char() == '#' && body.delimiter() == Delimiter::Parenthesis =>
                {
                    match repetition(&tokens[i + 2..]) {
                        Some((separator, used)) => {
                            self.repeat(body.stream(), separator)?;
                            i + 2 + used
                        }
                        None => {
                            self.token(&tokens[i])?;
                            i + 1
                        }
                    }
                }
                (token, _) => {
                    self.token(token)?;
                    i + 1
                }
            };
        }
        Ok(())
    }

    /// A token that stands for itself (a group with what it holds written as a template).
    fn token(&mut self, token: &TokenTree) -> Result<(), String> {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                self.text.push_str(open);
                self.text.push(' ');
                self.write(group.stream())?;
                self.text.push_str(close);
                self.text.push(' ');
            }
            TokenTree::Punct(punct) => {
                self.text.push(punct.as_char());
                if punct.spacing() == Spacing::Alone {
                    self.text.push(' ');
                }
            }
            TokenTree::Ident(ident) => {
                self.text.push_str(&ident.to_string());
                self.text.push(' ');
            }
            TokenTree::Literal(literal) => {
                self.text.push_str(&literal.to_string());
                self.text.push(' ');
            }
        }
        Ok(())
    }

    /// `#( body ) separator *`: a loop over every `#var` of the body in lockstep.
    fn repeat(&mut self, body: TokenStream, separator: Option<char>) -> Result<(), String> {
        let mut vars = Vec::new();
        interpolated(body.clone(), &mut vars)?;
        if vars.is_empty() {
            return Err("rust!: a repetition `#( … )*` needs a `#var` to repeat over".to_owned());
        }
        self.unglue();
        self.flush();
        self.code.push_str("{ ");
        if separator.is_some() {
            self.code.push_str("let mut __rust_first = true; ");
        }
        for var in &vars {
            self.code
                .push_str(&format!("let mut __rust_iter_{var} = {var}.rep_iter(); "));
        }
        self.code.push_str("loop { ");
        for var in &vars {
            self.code.push_str(&format!(
                "let ::core::option::Option::Some({var}) = __rust_iter_{var}.next() else {{ break }}; "
            ));
        }
        if let Some(separator) = separator {
            self.code.push_str(&format!(
                "if !__rust_first {{ __rust_out.push_str({:?}); }} __rust_first = false; ",
                format!("{separator} ")
            ));
        }
        self.write(body)?;
        self.flush();
        self.code.push_str("} } ");
        Ok(())
    }

    /// A space after a joint character before an interpolation (`::#name`), so that what is
    /// written cannot glue to it (`=` and `=x` into `==x`); a lifetime's `'` stays joint.
    fn unglue(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\'']) {
            self.text.push(' ');
        }
    }

    /// Pushes the literal text gathered so far.
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.code
                .push_str(&format!("__rust_out.push_str({:?}); ", self.text));
            self.text.clear();
        }
    }
}

/// Refuses a `#var` named like the expansion's own variables.
fn own_name(var: &proc_macro::Ident) -> Result<(), String> {
    if var.to_string().starts_with("__rust") {
        return Err(format!(
            "rust!: `{var}`: names starting with `__rust` are the macro's own"
        ));
    }
    Ok(())
}

/// After `#( … )`: `*` or one separator and `*`, with how many tokens that is; `None` when the
/// `#` and the group stand for themselves.
fn repetition(rest: &[TokenTree]) -> Option<(Option<char>, usize)> {
    match rest {
        [TokenTree::Punct(star), ..] if star.as_char() == '*' => Some((None, 1)),
        [TokenTree::Punct(separator), TokenTree::Punct(star), ..] if star.as_char() == '*' => {
            Some((Some(separator.as_char()), 2))
        }
        _ => None,
    }
}

/// The names of the `#var`s in `body`, each once, in order of appearance.
fn interpolated(body: TokenStream, vars: &mut Vec<String>) -> Result<(), String> {
    let mut pound = false;
    for token in body {
        match &token {
            TokenTree::Ident(ident) if pound => {
                own_name(ident)?;
                let name = ident.to_string();
                if !vars.contains(&name) {
                    vars.push(name);
                }
            }
            TokenTree::Group(group) if pound && group.delimiter() == Delimiter::Parenthesis => {
                return Err("rust!: repetitions do not nest".to_owned());
            }
            TokenTree::Group(group) => interpolated(group.stream(), vars)?,
            _ => {}
        }
        pound = matches!(&token, TokenTree::Punct(p) if p.as_char() == '#');
    }
    Ok(())
}
