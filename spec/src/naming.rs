//! Every Rust identifier derived from the spec is made here, so the rules live in one place.

use heck::{ToPascalCase, ToSnakeCase};

/// Field names every generated struct already uses: `new` (its constructor) and `extra` (the
/// fields its type does not list).
pub const RESERVED_FIELD_NAMES: &[&str] = &["new", "extra"];

/// A snake_case identifier for a field, parameter, module or method (`createdAt` → `created_at`).
///
/// Keywords get a trailing underscore (`type` → `type_`) rather than a raw identifier, so the
/// name reads the same in docs and code; a leading digit gets an underscore in front.
pub fn snake(name: &str) -> String {
    if is_plain_snake(name) {
        return escape(name.to_owned());
    }
    escape(name.to_snake_case())
}

/// A PascalCase identifier for a type or enum variant (`flat_fee` → `FlatFee`).
pub fn pascal(name: &str) -> String {
    if is_plain_snake(name) {
        let mut pascal = String::with_capacity(name.len());
        for word in name.split('_') {
            let (first, rest) = word.split_at(1);
            pascal.push_str(&first.to_ascii_uppercase());
            pascal.push_str(rest);
        }
        return escape(pascal);
    }
    escape(name.to_pascal_case())
}

/// Whether `name` is already snake_case words (lowercase ASCII letters and digits, one `_`
/// between words), which heck would leave as they are: most of a spec's names. Checked byte by
/// byte, because the macro runs unoptimized, where heck's general word splitting costs a
/// tenth of the whole spec's lowering.
fn is_plain_snake(name: &str) -> bool {
    let bytes = name.as_bytes();
    let word = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(word)
        && bytes.last().is_some_and(word)
        && bytes
            .windows(2)
            .all(|pair| word(&pair[1]) || (pair[1] == b'_' && word(&pair[0])))
}

fn escape(mut ident: String) -> String {
    if ident.is_empty() {
        return "_".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// Rust keywords, which cannot be field or method names as they are. A `match` rather than a
/// list searched: the macro runs unoptimized, and this is asked of every name.
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
    )
}

/// Whether `name` is usable as an identifier as written (ASCII letters, digits, `_`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a derived identifier can name something: ASCII, and more than underscores.
pub fn is_usable(ident: &str) -> bool {
    is_identifier(ident) && ident.chars().any(|c| c.is_ascii_alphanumeric())
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = |c: &str| (c.len().max(word.len()) / 3).max(1);
    candidates
        .into_iter()
        // The lengths bound the distance from below: most candidates are ruled out unmeasured.
        .filter(|c| c.len().abs_diff(word.len()) <= limit(c))
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= limit(c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_rust_conventions() {
        assert_eq!(snake("createdAt"), "created_at");
        assert_eq!(snake("customer_id"), "customer_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3ds_enabled"), "_3ds_enabled");
        assert_eq!(snake(""), "_");
    }

    #[test]
    fn pascal_case_for_types_and_variants() {
        assert_eq!(pascal("flat_fee"), "FlatFee");
        assert_eq!(pascal("portal_sessions"), "PortalSessions");
        assert_eq!(pascal("net15"), "Net15");
        assert_eq!(pascal("self"), "Self_");
    }

    #[test]
    fn plain_snake_names_read_as_heck_reads_them() {
        // Every name of up to four characters over an alphabet with each case the fast path
        // takes or leaves: the fast path agrees with heck wherever it applies.
        let alphabet = ['a', 'z', '0', '9', '_', 'A', '-'];
        let mut names = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|name| alphabet.iter().map(move |c| format!("{name}{c}")))
                .collect();
            names.extend(longer);
        }
        names.extend(["net15", "3ds_enabled", "flat_fee", "a1_b2_c3"].map(str::to_owned));
        let mut fast = 0;
        for name in &names {
            fast += usize::from(is_plain_snake(name));
            assert_eq!(snake(name), escape(name.to_snake_case()), "snake({name:?})");
            assert_eq!(
                pascal(name),
                escape(name.to_pascal_case()),
                "pascal({name:?})"
            );
        }
        assert!(fast > 100, "the fast path applies to plain names ({fast})");
    }

    #[test]
    fn identifiers_are_ascii_words() {
        assert!(is_identifier("customer_id"));
        assert!(!is_identifier("customer-id"));
        assert!(!is_identifier("1abc"));
        assert!(!is_identifier(""));
    }

    #[test]
    fn usable_names_have_a_letter_or_digit() {
        assert!(is_usable("_3ds_enabled"));
        assert!(is_usable(&snake("createdAt")));
        assert!(!is_usable(&snake("!!!")));
        assert!(!is_usable(&snake("名前")));
    }

    #[test]
    fn closest_finds_typos_only() {
        let known = ["string", "integer", "number"];
        assert_eq!(closest("strng", known), Some("string"));
        assert_eq!(closest("intger", known), Some("integer"));
        assert_eq!(closest("customer", known), None);
    }
}
