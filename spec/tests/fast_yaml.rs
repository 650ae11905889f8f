//! The YAML reader's fast path (spec/src/yaml/fast.rs) reads every text exactly as the full
//! parser does, or leaves it to the full parser: on every YAML file the repository holds, on
//! synthetic specs of several sizes, on texts made to probe its edges, on thousands of small
//! random edits of those texts, and on thousands of random documents. It must also read the
//! real and synthetic specs itself, or it would save nothing. Run the property tests longer
//! with `PROPTEST_CASES=100000 cargo test -p pabbly-spec --test fast_yaml`, and on other cases
//! by also setting `PROPTEST_RNG_SEED`.

// The generator the benchmarks time, so that the specs read here are the ones measured.
#[allow(
    unreachable_pub,
    reason = "the module is the benches crate's, public there"
)]
#[path = "../../benches/src/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pabbly_spec::__check_fast_yaml as check;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every YAML file of the repository, with its path: the real spec, the rule cases, and the
/// specs of the ui and fixture tests.
fn repository_yaml() -> Vec<(PathBuf, String)> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["tests/rules", "../tests/ui", "../tests/fixtures"] {
        let dir = spec.join(dir);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths.insert(0, spec.join("pabbly.yaml"));
    paths
        .into_iter()
        .map(|path| {
            let text = read(&path);
            (path, text)
        })
        .collect()
}

#[test]
fn every_yaml_file_in_the_repository_reads_alike_and_most_take_the_fast_path() {
    let files = repository_yaml();
    let mut fast = 0;
    for (path, text) in &files {
        match check(text) {
            Ok(read) => fast += usize::from(read),
            Err(difference) => panic!("{}: {difference}", path.display()),
        }
    }
    // Those left to the full parser are the cases of YAML errors, duplicate keys and layouts
    // outside the fast path's subset.
    assert!(
        fast + 10 >= files.len(),
        "{fast} of {} read fast",
        files.len()
    );
    let real = &files[0];
    assert!(real.0.ends_with("pabbly.yaml"));
    assert_eq!(
        check(&real.1),
        Ok(true),
        "the real spec takes the fast path"
    );
}

#[test]
fn synthetic_specs_take_the_fast_path() {
    for operations in [1, 6, 13, 100, 1000] {
        let text = synthetic::spec(operations);
        assert_eq!(check(&text), Ok(true), "{operations} operations");
    }
}

/// Texts read fast, each with what YAML makes of it.
const READ_FAST: &[&str] = &[
    // Nesting, compact entries, empty values (null) and where they are.
    "a: 1\nb:\n  c: x\n  d:\ne:\n  - f\n  - g: h\n    i: j\n  - - k\n    - l\n  -\n  - \n",
    "- a:\n-   # an empty entry ends at its line's end\n- b\n",
    "- # a comment, then the entry's value\n  - x\n  - y:\n      z: 1\n",
    // Comments end plain scalars only after a space; a colon needs a space to be a key's.
    "k: v # comment\nh: v#no comment\nr: a:b\nu: http://x.y/z?q=1#f\n",
    "t:    spaced out   \n'quoted key': 1\n\"other\" : 2\n",
    "b: b]c\nc: x[y\nd: a, b\ne: -5\nf: -x\ng: 'a'   # c\n",
    // Quotes and escapes.
    "q: 'it''s'\ns: \"x\\ty\\\"z\\\\ \\u00e9\\x41\\U0001F600\\/\\0\"\ne: ''\nf: \"\"\n",
    // Flow collections, on one line or several.
    "u: [a, b, 'c', \"d\", {x: y}, [], {}]\nw: { type: string, required: true }\n",
    "x: {\"a\":b, 'c':d, e: f g, \"j\": {}}\n",
    "a:\n  {\n    \"b\": [1,\n      2], # a comment\n\n    \"c\": {}\n  }\nnext: 1\n",
    "- [a,\n  b]\n- {k:\n    v}\n",
    // Block scalars: folded and literal, clipped and stripped, with blank lines between.
    "d: >-\n  Hello\n  world\n\n  para\ne: |\n  l1\n    l2\n\n  l3\n\n\nf: >\n  x  \n  y\ng: |-\n  last",
    "- |\n x\n- >-\n y\n- k: |\n    z\n  # a comment after it\n  j: 1\n",
    // Columns count characters.
    "é: ü\nü: [é, 'ö']  # ß\nß:\n  - é: {ö: x}\n  -   # ß\n",
    "a:\n    # a deep comment\n  b: 1\n# a shallow one\n\n  c: 2\n",
    // More of the same, in other places.
    "- -\n- - a\n  -\n- -1\n-  - x\n   - y\n",
    "a: [a#b, {c: d #e\n  }]\nb: [ # c\n  d]\n",
    "a: |\n  # not a comment\n  x\n\n# a comment\nb: >\n  # nor this\n  y\n",
    "\"a\\\"b\": 1\n\"\": 2\nc: x :y\nd: e #\n",
    "a:\n  >-\n    x\nb:\n  - >-\n    y\n",
    "a:\n  'b'\nc:\n  \"d\": e\nf:\n",
];

/// Texts left to the full parser: outside the fast path's subset, or not valid.
const DECLINED: &[&str] = &[
    "a: 1\r\nb: 2\r\n",
    "\u{feff}a: 1\n",
    "a:\tb\n",
    "a: 'x\ty'\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: hello\n  world\n",
    "a: 'x\n  y'\n",
    "a: \"x\\\n  y\"\n",
    "? a\n: b\n",
    "a:\n- x\n",
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "a: b: c\n",
    "a: - b\n",
    "key: value\n  more: x\n",
    "a: [b, ]\n",
    "a: {b}\n",
    "a: {\"b\":{c: d}}\n",
    "a: {b:[c]}\n",
    "a: {b: }\n",
    "a: [b: c]\n",
    "a: 'x'y\n",
    "a: \"x\"#c\n",
    "a: |+\n  keep\n",
    "a: |2\n  x\n",
    "a: >\n  x\n    more indented\n  y\n",
    "a: |\n\n  leading blank line\n",
    "a: |\n  x\n  \n  y\n",
    "a: \"\\ud800\"\n",
    "a: \"\\q\"\n",
    "a: [\n1]\n",
    "a: 1\nb: 2\n\u{85}",
    "[a, b]\n",
    "just a scalar\n",
    "",
    "# only a comment\n",
    "   a: indented root\n",
    "- [a, b]: c\n",
    "- a: 1\n  b:\n  - c\n",
    "a: |\n  x\n  y\n   \n",
    "a: >-\n   x\n  y\n",
];

#[test]
fn texts_at_the_edges_read_alike_or_are_left_to_the_full_parser() {
    for text in READ_FAST {
        assert_eq!(check(text), Ok(true), "{text:?}");
    }
    for text in DECLINED {
        assert_eq!(check(text), Ok(false), "{text:?}");
    }
}

#[test]
fn the_limits_hold_on_the_fast_path() {
    // The root and 63 nested sequences are 64 collections: the most YAML is read with.
    let nested = |depth: usize| format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(check(&nested(63)), Ok(true));
    assert_eq!(check(&nested(64)), Ok(false));
    let block = |depth: usize| -> String {
        (0..depth)
            .map(|level| format!("{}-\n", "  ".repeat(level)))
            .collect()
    };
    assert_eq!(check(&block(64)), Ok(true));
    assert_eq!(check(&block(65)), Ok(false));
    // A root sequence of n entries is n + 1 nodes.
    let entries = |n: usize| "- a\n".repeat(n);
    assert_eq!(check(&entries(249_999)), Ok(true));
    assert_eq!(check(&entries(250_000)), Ok(false));
    // YAML reads a key of at most 1024 characters.
    assert_eq!(check(&format!("{}: 1\n", "k".repeat(1000))), Ok(true));
    assert_eq!(check(&format!("{}: 1\n", "k".repeat(1500))), Ok(false));
    // The limit runs to the `:`, spaces before it included, at the root and nested.
    let spaced = format!("{}{}: 1\n", "k".repeat(1000), " ".repeat(25));
    assert_eq!(check(&spaced), Ok(false));
    assert_eq!(check(&format!("a:\n  {spaced}")), Ok(false));
    assert_eq!(check(&format!("a:\n  {}: 1\n", "k".repeat(990))), Ok(true));
}

#[test]
fn columns_count_characters_on_a_long_line_of_wide_ones() {
    // Many nodes after many characters of more than one byte, on one line.
    let wide = "é".repeat(20_000);
    let entries = vec!["ü"; 20_000].join(", ");
    assert_eq!(check(&format!("k: [{wide}, {entries}]\n")), Ok(true));
    assert_eq!(
        check(&format!("ä: {{ ö: [{entries}], 🦀: x }}\n")),
        Ok(true)
    );
}

/// Small documents cut from the real and a synthetic spec: each top-level line, and each
/// entry of a top-level mapping or sequence moved to the root.
fn pieces(text: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for line in text.lines() {
        let starts = !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty()
            || line.len() > 2 && line.starts_with("  ") && !line[2..].starts_with([' ', '#']);
        if starts || pieces.is_empty() {
            pieces.push(String::new());
        }
        let piece = pieces.last_mut().expect("a piece");
        piece.push_str(line.strip_prefix("  ").unwrap_or(line));
        piece.push('\n');
    }
    pieces
}

static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let files = repository_yaml();
    let mut corpus = pieces(&files[0].1);
    corpus.extend(pieces(&synthetic::spec(6)));
    corpus.extend(files.into_iter().skip(1).map(|(_, text)| text));
    corpus
});

/// What an edit inserts or puts in place of a byte: YAML's indicators, spaces, breaks and tabs,
/// indentation, escapes, characters the fast path declines, wide characters, and plain text.
const INSERTED: &[&str] = &[
    " ",
    ":",
    "-",
    "#",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "|",
    ">",
    "\n",
    "\t",
    "&",
    "*",
    "!",
    "?",
    ",",
    "\\",
    "\r",
    "%",
    ".",
    "~",
    "@",
    "`",
    "  ",
    "- ",
    ": ",
    " #",
    "|-",
    ">-",
    "---",
    "\n  ",
    "\n- ",
    "\n  - ",
    "\n\n",
    "\n#",
    "\\u",
    "\\x4",
    "\\U0001F600",
    "\u{85}",
    "\u{feff}",
    "\u{2028}",
    "\0",
    "é",
    "😀",
    "a",
    "0",
];

/// One edit: where, what (0 deletes, 1 inserts, 2 replaces) and which of [`INSERTED`].
type Edit = (prop::sample::Index, u8, prop::sample::Index);

fn edit(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (at, what, inserted) in edits {
        let at = at.index(bytes.len() + 1);
        let inserted = inserted.get(INSERTED).as_bytes();
        let end = if *what == 1 {
            at
        } else {
            (at + 1).min(bytes.len())
        };
        let new: &[u8] = if *what == 0 { &[] } else { inserted };
        bytes.splice(at..end, new.iter().copied());
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `cases` cases from a fixed seed, unless `PROPTEST_CASES` or `PROPTEST_RNG_SEED` say
/// otherwise.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(14);
    }
    config
}

proptest! {
    #![proptest_config(config(4000))]

    #[test]
    fn edited_texts_read_alike_or_are_left_to_the_full_parser(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<prop::sample::Index>()), 1..4),
    ) {
        let original: &String = which.get(&CORPUS);
        let text = edit(original, &edits);
        if let Err(difference) = check(&text) {
            prop_assert!(false, "{text:?}\n{difference}");
        }
    }
}

/// Writes random block-style documents: mappings and sequences nested in every way YAML
/// allows (compact entries, indentless sequences, uneven indentation), with scalars of every
/// style, flow collections over one or more lines, block scalars, comments and blank lines.
/// Most are valid; some are not, on purpose.
struct Writer {
    state: u64,
    out: String,
}

impl Writer {
    /// A xorshift step: the document is a function of the seed.
    fn below(&mut self, n: usize) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state % n as u64) as usize
    }

    fn pick(&mut self, options: &[&str]) {
        let chosen = options[self.below(options.len())];
        self.out.push_str(chosen);
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    /// Sometimes a blank line or a comment line, at any indentation.
    fn filler(&mut self, indent: usize) {
        match self.below(12) {
            0 => self.out.push('\n'),
            1 => {
                let n = self.below(indent + 3);
                self.spaces(n);
                self.out.push_str("# a comment\n");
            }
            _ => {}
        }
    }

    /// A value after `key:` or `- `, on the same line, inside a collection at `parent`.
    fn inline_value(&mut self, parent: usize) {
        self.out.push(' ');
        if self.below(6) == 0 {
            self.pick(&["|", "|-", ">", ">-"]);
            self.out.push('\n');
            let indent = parent + 1 + self.below(2);
            for _ in 0..=self.below(3) {
                if self.below(4) == 0 {
                    self.out.push('\n');
                }
                self.spaces(indent);
                self.pick(&[
                    "text",
                    "more text",
                    "# hash",
                    "é",
                    "  deeper",
                    "a: b",
                    "trail  ",
                ]);
                self.out.push('\n');
            }
            return;
        }
        let continued = format!("\n{}", " ".repeat(parent + 1 + self.below(3)));
        let value = match self.below(8) {
            0 => ["'a'", "'it''s'", "''", "' x '", "'a: b'", "'#c'", "'é'"][self.below(7)],
            1 => [
                "\"a\"",
                "\"x\\ty\"",
                "\"\\u00e9\\x41\\/\"",
                "\"\"",
                "\"a: b\"",
                "\"\\\"q\\\"\"",
            ][self.below(6)],
            2 => [
                "[a, b]",
                "[]",
                "{}",
                "{a: b, c: 'd'}",
                "[a, [b, c], {d: e}]",
                "{\"a\":1, \"b\": [x]}",
                "[a,~ b]",
                "{~ a: b~}",
                "[ # c~a]",
                "[a, {b: c,~  d: [e,~f]}]",
            ][self.below(10)],
            _ => [
                "a",
                "b c",
                "x:y",
                "-1",
                "a#b",
                "1.5",
                "~",
                "é",
                "a, b",
                "b]c",
                "http://x/y",
                "true",
                "a  ",
                "ü ö",
                "-",
                "a b: c",
                "a:",
                "x #y",
            ][self.below(18)],
        };
        self.out.push_str(&value.replace('~', &continued));
        if self.below(5) == 0 {
            self.out.push_str(" # c");
        }
        self.out.push('\n');
    }

    /// A mapping (`mapping`) or sequence whose first entry is at `indent`, where the writer
    /// is (after `- `, when `compact`) or at the start of a line.
    fn collection(&mut self, mapping: bool, indent: usize, depth: usize, compact: bool) {
        for entry in 0..=self.below(3) {
            if compact && entry == 0 {
                self.out.push(' ');
            } else {
                self.filler(indent);
                self.spaces(indent);
            }
            if mapping {
                self.pick(&[
                    "a", "b", "key", "'q'", "\"d\"", "é", "a b", "x-y", "a:b", "k1", "k2",
                ]);
                self.out.push(':');
                match self.below(6) {
                    0 => self.out.push('\n'),
                    1 | 2 if depth < 5 => {
                        self.pick(&["\n", " # c\n"]);
                        // On the next lines, indented more (or, for a sequence, maybe not).
                        let mapping = self.below(2) == 0;
                        let child = if !mapping && self.below(5) == 0 {
                            indent
                        } else {
                            indent + [1, 2, 2, 4][self.below(4)]
                        };
                        self.collection(mapping, child, depth + 1, false);
                    }
                    _ => self.inline_value(indent),
                }
            } else {
                self.out.push('-');
                match self.below(5) {
                    0 => self.out.push('\n'),
                    1 | 2 if depth < 5 => {
                        let mapping = self.below(2) == 0;
                        self.collection(mapping, indent + 2, depth + 1, true);
                    }
                    _ => self.inline_value(indent),
                }
            }
        }
    }
}

proptest! {
    // A document is cheaper to read than an edited spec: more of them.
    #![proptest_config(config(20_000))]

    #[test]
    fn written_documents_read_alike_or_are_left_to_the_full_parser(
        seed in 1..u64::MAX,
        mapping: bool,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<prop::sample::Index>()), 0..2),
    ) {
        let mut writer = Writer { state: seed, out: String::new() };
        writer.collection(mapping, 0, 0, false);
        let text = edit(&writer.out, &edits);
        if let Err(difference) = check(&text) {
            prop_assert!(false, "{text:?}\n{difference}");
        }
    }
}
