//! Shared by the property tests: byte-level mutations of real text, and the case count.

use proptest::prelude::*;

/// `default_cases` cases, unless `PROPTEST_CASES` asks for another number (for long runs).
pub(crate) fn config(default_cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

/// One edit of a text's bytes at a random place.
#[derive(Clone, Debug)]
pub(crate) enum Edit {
    /// Removes up to this many bytes.
    Delete(prop::sample::Index, usize),
    /// Inserts these bytes.
    Insert(prop::sample::Index, Vec<u8>),
    /// Replaces up to this many bytes with these.
    Replace(prop::sample::Index, usize, Vec<u8>),
}

/// Bytes to insert: arbitrary ones, or characters with meaning in YAML and Markdown.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..16),
        r#"[-:#|>\[\]{}&*!%@`'",.?=\n\t 0-9a-z]{0,16}"#.prop_map(String::into_bytes),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1..64usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        (any::<prop::sample::Index>(), bytes()).prop_map(|(at, new)| Edit::Insert(at, new)),
        (any::<prop::sample::Index>(), 1..64usize, bytes())
            .prop_map(|(at, len, new)| Edit::Replace(at, len, new)),
    ]
}

/// One to four edits.
pub(crate) fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..5)
}

/// `text` with `edits` applied to its bytes, read back as UTF-8 (invalid sequences replaced).
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        match edit {
            Edit::Delete(at, len) => {
                let start = at.index(bytes.len() + 1);
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert(at, new) => {
                let start = at.index(bytes.len() + 1);
                bytes.splice(start..start, new.iter().copied());
            }
            Edit::Replace(at, len, new) => {
                let start = at.index(bytes.len() + 1);
                let end = (start + len).min(bytes.len());
                bytes.splice(start..end, new.iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
