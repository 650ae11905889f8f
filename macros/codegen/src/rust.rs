//! Generated code as Rust source text: the [`Rust`] the `rust!` templates build, and what a
//! template's `#var` may be ([`ToRust`]).
//!
//! The text is lexed once at the end, by the compiler inside `include_api!`, or by proc-macro2
//! where tests and benches read it. Interpolations follow `quote!`: a string becomes a string
//! literal, a `bool` `true` or `false`, `None` nothing; [`Rust::ident`] and
//! [`Rust::unsuffixed`] write an identifier and a bare number.

use std::fmt::{self, Write as _};

use pabbly_spec::naming;

/// A piece of generated Rust, as source text.
///
/// # Example
///
/// ```
/// use pabbly_codegen::Rust;
///
/// let code = Rust::ident("Customer");
/// assert_eq!(code.as_str(), "Customer ");
/// assert!(Rust::new().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rust(String);

impl Rust {
    /// No code.
    pub fn new() -> Self {
        Self::default()
    }

    /// An identifier (or a raw identifier such as `r#type`), which the spec's checks made
    /// valid.
    ///
    /// Text is not tokens: a name that were not an identifier would be written into the code
    /// as whatever it says. So it is checked once more here, and anything else is written as
    /// a `\`, which no Rust lexes: the build then stops at the lexer's error rather than
    /// compiling what the name spelled.
    pub fn ident(name: &str) -> Self {
        let mut code = String::with_capacity(name.len() + 1);
        if naming::is_identifier(name.strip_prefix("r#").unwrap_or(name)) {
            code.push_str(name);
        } else {
            code.push('\\');
        }
        code.push(' ');
        Self(code)
    }

    /// An integer without a type suffix (`100`, `-5`).
    pub(crate) fn unsuffixed(number: impl Integer) -> Self {
        Self(format!("{number} "))
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is no code at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends source text: what `rust!` expands to.
    pub(crate) fn push_str(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// Appends `text` as the inside of a string literal (see [`ToRust` for `str`](ToRust)).
    pub(crate) fn push_escaped(&mut self, text: &str) {
        let out = &mut self.0;
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
}

/// The integers [`Rust::unsuffixed`] writes (a float could write `NaN`, a string anything).
pub(crate) trait Integer: fmt::Display {}

impl Integer for usize {}
impl Integer for u64 {}
impl Integer for i64 {}

impl fmt::Display for Rust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a template's `#var` can be, and how it is written.
pub(crate) trait ToRust {
    /// Appends `self` as Rust source.
    fn write(&self, out: &mut Rust);
}

impl ToRust for Rust {
    fn write(&self, out: &mut Rust) {
        out.push_str(&self.0);
    }
}

impl<T: ToRust + ?Sized> ToRust for &T {
    fn write(&self, out: &mut Rust) {
        (**self).write(out);
    }
}

impl<T: ToRust> ToRust for Option<T> {
    fn write(&self, out: &mut Rust) {
        if let Some(value) = self {
            value.write(out);
        }
    }
}

/// A string literal. Printable ASCII and letters or digits stay as they are; quotes,
/// backslashes and every other character are escaped, so that no control or text-direction
/// character reaches the compiler raw.
impl ToRust for str {
    fn write(&self, out: &mut Rust) {
        out.push_str("\"");
        out.push_escaped(self);
        out.push_str("\" ");
    }
}

impl ToRust for String {
    fn write(&self, out: &mut Rust) {
        self.as_str().write(out);
    }
}

impl ToRust for bool {
    fn write(&self, out: &mut Rust) {
        out.push_str(if *self { "true " } else { "false " });
    }
}

/// What a repetition `#(#var)*` walks: an iterator, taken by value.
pub(crate) trait RepIter: Iterator + Sized {
    /// The iterator itself.
    fn rep_iter(self) -> Self {
        self
    }
}

impl<T: Iterator> RepIter for T {}

/// What a repetition `#(#var)*` walks: a slice or vector, borrowed.
pub(crate) trait RepSlice<T> {
    /// An iterator over the items.
    fn rep_iter(&self) -> std::slice::Iter<'_, T>;
}

impl<T> RepSlice<T> for [T] {
    fn rep_iter(&self) -> std::slice::Iter<'_, T> {
        self.iter()
    }
}

impl<T> RepSlice<T> for Vec<T> {
    fn rep_iter(&self) -> std::slice::Iter<'_, T> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use pabbly_rust_text::rust;

    use super::*;

    #[test]
    fn tokens_keep_their_spacing_and_interpolations_their_meaning() {
        let name = Rust::ident("Customer");
        let wire = "customer \"id\"\\";
        let optional = Some(Rust::ident("Option"));
        let absent: Option<Rust> = None;
        let number = Rust::unsuffixed(-5_i64);
        let code = rust! {
            /// Docs.
            pub struct #name<'a> { id: #optional<&'a str>, #absent }
            const W: &str = #wire;
            const N: i64 = -#number;
        };
        assert_eq!(
            code.as_str(),
            "# [ doc = \" Docs.\" ] pub struct Customer < 'a > { id : Option <& 'a str >, } \
             const W : & str = \"customer \\\"id\\\"\\\\\" ; const N : i64 = - -5 ; "
        );
    }

    #[test]
    fn repetitions_walk_every_variable_in_lockstep_with_their_separator() {
        let variants = vec![Rust::ident("Active"), Rust::ident("Paused")];
        let wires = ["active", "paused"].into_iter();
        let flags = vec![true, false];
        let code = rust! { match v { #(#wires => Self::#variants(#flags, #flags),)* } };
        assert_eq!(
            code.as_str(),
            "match v { \"active\" => Self :: Active ( true , true ) , \
             \"paused\" => Self :: Paused ( false , false ) , } "
        );
        let numbers = vec![Rust::unsuffixed(-5_i64)];
        let glued = rust! { a <#(#numbers),*> };
        assert_eq!(glued.as_str(), "a < -5 > ", "`<` and `-5` stay apart");
        let listed = rust! { [#(#variants),*] | #(#variants)|* };
        assert_eq!(listed.as_str(), "[ Active , Paused ] | Active | Paused ");
        let none: Vec<Rust> = Vec::new();
        assert!(rust! { #(#none),* }.is_empty());
    }

    #[test]
    fn a_name_that_is_no_identifier_never_becomes_code() {
        assert_eq!(Rust::ident("r#type").as_str(), "r#type ");
        assert_eq!(Rust::ident("_3ds").as_str(), "_3ds ");
        for name in ["x; fn evil() {}", "3ds", "", "a-b", "r#", "名前", "a::b"] {
            let ident = Rust::ident(name);
            assert_eq!(ident.as_str(), "\\ ", "{name:?}");
            let code = rust! { struct #ident; };
            assert!(
                syn::parse_str::<syn::DeriveInput>(code.as_str()).is_err(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn string_literals_escape_what_could_hide_or_break() {
        let mut code = Rust::new();
        "bidi \u{202e} tab\t é 🦀".write(&mut code);
        assert_eq!(code.as_str(), "\"bidi \\u{202e} tab\\u{9} é \\u{1f980}\" ");
    }
}
