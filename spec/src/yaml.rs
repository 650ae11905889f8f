//! YAML text to a tree of nodes with their positions, and the scalar rules the spec's raw
//! structures are read with (`raw.rs`).
//!
//! The `include_api!` macro runs unoptimized in a default build, so reading must be cheap
//! there. Two readers give the same tree:
//!
//! - a fast path (`fast.rs`) for the block-style YAML specs are written in, straight-line code
//!   over the bytes that reads a 1,000-operation spec about ten times faster than granit does
//!   unoptimized; it declines, cheaply and without a message, anything outside its subset or
//!   that it is not sure of;
//! - the full reader, which reads what the fast path declines from the events of
//!   `granit-parser` (the parser serde-saphyr is built on) and reports every problem; so error
//!   messages come from it alone.
//!
//! Tests hold the two to the same tree, positions and text included, on every YAML file of the
//! repository and on thousands of random edits of them (`tests/fast_yaml.rs`).
//!
//! The rules are serde-saphyr's defaults, so a spec reads as before: YAML 1.1 booleans (`yes`,
//! `off`), plain `~`, `null` or nothing as null, integers in decimal, `0x`, `0o` or `0b`, and
//! the messages of its user-facing formatter. Anchors and aliases work; a tag (`!!str`) is
//! refused at its node rather than applied. Hostile input is bounded: at most
//! [`MAX_DEPTH`] nested collections and [`MAX_NODES`] nodes, aliases' copies included, each
//! breach a located error.

use std::borrow::Cow;
use std::collections::HashSet;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use crate::diagnostic::Position;

mod fast;

/// The deepest nesting of collections read (serde-saphyr's default budget).
pub(crate) const MAX_DEPTH: usize = 64;

/// The most nodes read, counting each node an alias copies (serde-saphyr's default budget).
pub(crate) const MAX_NODES: usize = 250_000;

/// One YAML node and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node<'a> {
    pub(crate) at: Position,
    pub(crate) kind: Kind<'a>,
}

/// What a [`Node`] holds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind<'a> {
    /// A scalar's text; `plain` when unquoted and not a block scalar, the only scalars that
    /// can mean null, a boolean or a number.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Sequence(Vec<Node<'a>>),
    /// Entries in document order.
    Mapping(Vec<(Node<'a>, Node<'a>)>),
}

/// Why the text is not YAML the spec can be read from, and where.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub(crate) at: Position,
    pub(crate) message: String,
}

impl YamlError {
    pub(crate) fn new(at: Position, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
        }
    }
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line() as u64,
        column: span.start.col() as u64 + 1,
    }
}

fn scan_error(error: &ScanError) -> YamlError {
    let mark = error.marker();
    let at = Position {
        line: mark.line() as u64,
        column: mark.col() as u64 + 1,
    };
    let message = match error.kind() {
        granit_parser::ErrorKind::UnknownAnchor => "reference to unknown value".to_owned(),
        _ => error.info(),
    };
    YamlError::new(at, message)
}

/// A collection being read: its node, and for a mapping the key waiting for its value.
struct Open<'a> {
    node: Node<'a>,
    anchor: usize,
    key: Option<Node<'a>>,
    /// A mapping's scalar keys, once it has too many to compare one by one.
    seen: Option<HashSet<Cow<'a, str>>>,
}

/// What the text reads as: its one document's root (`None` when it has no content), and the
/// first problem if there is one, with the root as far as it was read before it.
pub(crate) struct Parsed<'a> {
    pub(crate) root: Option<Node<'a>>,
    pub(crate) error: Option<YamlError>,
}

/// Reads the one document of `text`, stopping at the first problem: a syntax error, a second
/// document, a tag, a duplicate key, or a breach of the limits.
pub(crate) fn parse(text: &str) -> Parsed<'_> {
    if let Some(root) = fast::read(text) {
        return Parsed {
            root: Some(root),
            error: None,
        };
    }
    parse_events(text)
}

/// Whether the fast reader reads `text` (`Ok(true)`) or declines it (`Ok(false)`); an error
/// describes both trees when it reads it otherwise than granit's events do, a bug.
pub(crate) fn check_fast(text: &str) -> Result<bool, String> {
    let Some(fast) = fast::read(text) else {
        return Ok(false);
    };
    let full = parse_events(text);
    if full.error.is_none() && full.root.as_ref() == Some(&fast) {
        return Ok(true);
    }
    // The first node that differs, in document order, with the nodes before it.
    let (mut fast_nodes, mut full_nodes) = (Vec::new(), Vec::new());
    outline(&fast, 0, &mut fast_nodes);
    if let Some(root) = &full.root {
        outline(root, 0, &mut full_nodes);
    }
    let same = fast_nodes
        .iter()
        .zip(&full_nodes)
        .take_while(|(fast, full)| fast == full)
        .count();
    let context = same.saturating_sub(3);
    let end = |nodes: &[String]| nodes[context..(same + 1).min(nodes.len())].join("\n");
    Err(format!(
        "the fast reader read\n{}\nwhere granit read\n{}\nand stopped with {:?}",
        end(&fast_nodes),
        end(&full_nodes),
        full.error
    ))
}

/// One line per node: indented by depth, its position, its kind and a scalar's text.
fn outline(node: &Node<'_>, depth: usize, out: &mut Vec<String>) {
    let at = format!("{}{}:{}", "  ".repeat(depth), node.at.line, node.at.column);
    match &node.kind {
        Kind::Scalar { text, plain } => out.push(format!("{at} plain={plain} {text:?}")),
        Kind::Sequence(items) => {
            out.push(format!("{at} sequence"));
            for item in items {
                outline(item, depth + 1, out);
            }
        }
        Kind::Mapping(entries) => {
            out.push(format!("{at} mapping"));
            for (key, value) in entries {
                outline(key, depth + 1, out);
                outline(value, depth + 2, out);
            }
        }
    }
}

/// [`parse`] from granit's events.
fn parse_events(text: &str) -> Parsed<'_> {
    let mut parser = Parser::new_from_str_with_options(text, granit_parser::Options::default());
    let mut reader = Reader::default();
    let error = reader.read(&mut parser).err();
    // What was read before the problem, so that a reader finds the problems in file order.
    while !reader.stack.is_empty() {
        reader.close().ok();
    }
    Parsed {
        root: reader.root,
        error,
    }
}

fn refuse_tag(tagged: bool, at: Position) -> Result<(), YamlError> {
    if tagged {
        return Err(YamlError::new(
            at,
            "YAML tags (such as `!!str`) are not used in a spec: write the value alone",
        ));
    }
    Ok(())
}

#[derive(Default)]
struct Reader<'a> {
    documents: usize,
    stack: Vec<Open<'a>>,
    root: Option<Node<'a>>,
    /// Anchored nodes by the parser's anchor id, for aliases to copy.
    anchors: Vec<(usize, Node<'a>)>,
    nodes: usize,
}

impl<'a> Reader<'a> {
    fn read(
        &mut self,
        parser: &mut Parser<'a, granit_parser::StrInput<'a>>,
    ) -> Result<(), YamlError> {
        for next in parser {
            let (event, span) = next.map_err(|error| scan_error(&error))?;
            let at = position(&span);
            if self.documents > 1 {
                return Err(YamlError::new(
                    at,
                    "only single YAML document expected but multiple found",
                ));
            }
            match event {
                Event::DocumentStart(..) => self.documents += 1,
                Event::Scalar(text, style, anchor, tag) => {
                    refuse_tag(tag.is_some(), at)?;
                    let plain = style == ScalarStyle::Plain;
                    let node = self.count(Node {
                        at,
                        kind: Kind::Scalar { text, plain },
                    })?;
                    self.complete(node, anchor)?;
                }
                Event::SequenceStart(_, anchor, tag) => {
                    refuse_tag(tag.is_some(), at)?;
                    self.open(at, Kind::Sequence(Vec::new()), anchor)?;
                }
                Event::MappingStart(_, anchor, tag) => {
                    refuse_tag(tag.is_some(), at)?;
                    self.open(at, Kind::Mapping(Vec::new()), anchor)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => {
                    let node = self.alias(id, at)?;
                    self.complete(node, 0)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn count(&mut self, node: Node<'a>) -> Result<Node<'a>, YamlError> {
        self.charge(1, node.at)?;
        Ok(node)
    }

    /// Counts `nodes` more nodes in memory, refusing more than [`MAX_NODES`] in all.
    fn charge(&mut self, nodes: usize, at: Position) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(YamlError::new(
                at,
                format!("YAML document too large or too complex: more than {MAX_NODES} nodes"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, at: Position, kind: Kind<'a>, anchor: usize) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError::new(
                at,
                format!("YAML document too large or too complex: nested deeper than {MAX_DEPTH}"),
            ));
        }
        let node = self.count(Node { at, kind })?;
        self.stack.push(Open {
            node,
            anchor,
            key: None,
            seen: None,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        match self.stack.pop() {
            Some(open) => self.complete(open.node, open.anchor),
            None => Ok(()),
        }
    }

    /// A copy of the anchored node `id`, at the alias's position, counted node by node.
    fn alias(&mut self, id: usize, at: Position) -> Result<Node<'a>, YamlError> {
        let Some(index) = self.anchors.iter().rposition(|(anchor, _)| *anchor == id) else {
            return Err(YamlError::new(at, "reference to unknown value"));
        };
        // Counted before it is made, so that no copy is ever made past the limit.
        self.charge(size(&self.anchors[index].1), at)?;
        let mut copy = self.anchors[index].1.clone();
        copy.at = at;
        Ok(copy)
    }

    /// Puts a finished node into its parent (or makes it the root).
    fn complete(&mut self, node: Node<'a>, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            // The copy kept for aliases counts too, so nested anchors cannot multiply memory.
            self.charge(size(&node), node.at)?;
            self.anchors.push((anchor, node.clone()));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.node.kind {
            Kind::Sequence(items) => items.push(node),
            Kind::Mapping(entries) => match parent.key.take() {
                None => parent.key = Some(node),
                Some(key) => {
                    if let Kind::Scalar { text, .. } = &key.kind
                        && is_duplicate(entries, &mut parent.seen, text.clone())
                    {
                        return Err(YamlError::new(
                            key.at,
                            format!("duplicate mapping key `{text}` is not allowed here"),
                        ));
                    }
                    entries.push((key, node));
                }
            },
            Kind::Scalar { .. } => {}
        }
        Ok(())
    }
}

/// Whether a mapping with `entries` already has the scalar key `text`; `seen` takes over from
/// comparing key by key once the mapping is large, so that reading stays linear.
fn is_duplicate<'a>(
    entries: &[(Node<'a>, Node<'a>)],
    seen: &mut Option<HashSet<Cow<'a, str>>>,
    text: Cow<'a, str>,
) -> bool {
    const COMPARED_ONE_BY_ONE: usize = 16;
    let scalar = |(key, _): &(Node<'a>, Node<'a>)| match &key.kind {
        Kind::Scalar { text, .. } => Some(text.clone()),
        _ => None,
    };
    if seen.is_none() {
        if entries.len() < COMPARED_ONE_BY_ONE {
            return entries.iter().filter_map(scalar).any(|seen| seen == text);
        }
        *seen = Some(entries.iter().filter_map(scalar).collect());
    }
    seen.as_mut().is_some_and(|seen| !seen.insert(text))
}

/// The nodes in `node`, itself included.
fn size(node: &Node<'_>) -> usize {
    match &node.kind {
        Kind::Scalar { .. } => 1,
        Kind::Sequence(items) => 1 + items.iter().map(size).sum::<usize>(),
        Kind::Mapping(entries) => {
            1 + entries
                .iter()
                .map(|(key, value)| size(key) + size(value))
                .sum::<usize>()
        }
    }
}

/// Plain text YAML reads as null.
pub(crate) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Trims the padding scalar conversion accepts.
pub(crate) fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

/// A YAML 1.1 boolean: `true`, `yes`, `y`, `on` and their `false` counterparts, any case.
pub(crate) fn boolean(text: &str) -> Option<bool> {
    let text = trim(text);
    let any = |words: [&str; 4]| words.iter().any(|word| text.eq_ignore_ascii_case(word));
    if any(["true", "yes", "y", "on"]) {
        Some(true)
    } else if any(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// A YAML integer: an optional sign, then decimal digits without a leading zero, or `0x`,
/// `0o` or `0b` digits; single underscores may separate digits.
pub(crate) fn integer(text: &str) -> Option<i128> {
    let text = trim(text);
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let prefixed = |lower: &str, upper: &str| {
        rest.strip_prefix(lower)
            .or_else(|| rest.strip_prefix(upper))
    };
    let (radix, digits) = if let Some(digits) = prefixed("0x", "0X") {
        (16, digits)
    } else if let Some(digits) = prefixed("0o", "0O") {
        (8, digits)
    } else if let Some(digits) = prefixed("0b", "0B") {
        (2, digits)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let bytes = digits.as_bytes();
    let mut value: i128 = 0;
    let mut any = false;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b'_' {
            let between =
                i > 0 && bytes[i - 1] != b'_' && bytes.get(i + 1).is_some_and(|b| *b != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let digit = char::from(byte).to_digit(radix)?;
        value = value
            .checked_mul(i128::from(radix))?
            .checked_add(i128::from(digit))?;
        any = true;
    }
    if !any {
        return None;
    }
    if negative {
        value.checked_neg()
    } else {
        Some(value)
    }
}

/// A YAML 1.2 float: `.inf`, `.nan` and their signed forms, or Rust's decimal syntax; a
/// numeral too large for `f64` is infinite. `None` for anything else.
fn float(text: &str) -> Option<f64> {
    let text = trim(text);
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    let value: f64 = text.parse().ok()?;
    let numeral = unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (value.is_finite() || numeral).then_some(value)
}

/// The JSON value of a node, typed as serde-saphyr types untyped YAML: a plain scalar is null,
/// a boolean, an integer or a float when it reads as one, any other scalar a string.
///
/// # Errors
/// A null or collection key, or a number that is not finite.
pub(crate) fn json(node: Node<'_>) -> Result<serde_json::Value, YamlError> {
    use serde_json::Value;
    Ok(match node.kind {
        Kind::Scalar { text, plain: false } => Value::String(text.into_owned()),
        Kind::Scalar { text, plain: true } => {
            if is_null(&text) {
                return Ok(Value::Null);
            }
            if let Some(value) = boolean(&text) {
                return Ok(Value::Bool(value));
            }
            let trimmed = trim(&text);
            let unsigned = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
            let upper_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
            let signed_nan = unsigned != trimmed && matches!(unsigned, ".nan" | ".NaN" | ".NAN");
            if upper_radix || signed_nan {
                return Ok(Value::String(text.into_owned()));
            }
            let leading_zero = unsigned.len() > 1
                && unsigned.starts_with('0')
                && unsigned.bytes().all(|b| b.is_ascii_digit());
            let int = match integer(&text) {
                Some(value) if trimmed.starts_with('-') && !leading_zero => {
                    i64::try_from(value).ok().map(Value::from)
                }
                Some(value) if !trimmed.starts_with('-') => {
                    u64::try_from(value).ok().map(Value::from)
                }
                _ => None,
            };
            if let Some(value) = int {
                return Ok(value);
            }
            match float(&text) {
                Some(value) if value.is_finite() => Value::from(value),
                Some(_) => {
                    return Err(YamlError::new(
                        node.at,
                        format!("value `{text}` is not a finite number"),
                    ));
                }
                None => Value::String(text.into_owned()),
            }
        }
        Kind::Sequence(items) => {
            Value::Array(items.into_iter().map(json).collect::<Result<_, _>>()?)
        }
        Kind::Mapping(entries) => {
            let mut map = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = string(key)?;
                map.insert(key, json(value)?);
            }
            Value::Object(map)
        }
    })
}

/// A scalar's text as a string.
///
/// # Errors
/// For null, or a sequence or mapping.
pub(crate) fn string(node: Node<'_>) -> Result<String, YamlError> {
    match node.kind {
        Kind::Scalar { text, plain } => {
            if plain && is_null(&text) {
                Err(YamlError::new(node.at, "null is not allowed here"))
            } else {
                Ok(text.into_owned())
            }
        }
        Kind::Sequence(_) | Kind::Mapping(_) => Err(expected(&node, "string scalar")),
    }
}

/// The message for a node of the wrong kind: `expected mapping start`, `expected sequence
/// start` or `expected string scalar`.
pub(crate) fn expected(node: &Node<'_>, what: &str) -> YamlError {
    YamlError::new(node.at, format!("expected {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node<'_> {
        let parsed = parse(text);
        assert!(parsed.error.is_none(), "{:?}", parsed.error);
        parsed.root.expect("a document")
    }

    fn error(text: &str) -> YamlError {
        parse(text).error.expect("a problem")
    }

    #[test]
    fn an_alias_copies_its_anchor_at_the_alias() {
        let node = root("a: &x {k: v}\nb: *x\n");
        let Kind::Mapping(entries) = node.kind else {
            panic!("a mapping")
        };
        let (_, copy) = &entries[1];
        assert_eq!(copy.at, Position { line: 2, column: 4 });
        let Kind::Mapping(inner) = &copy.kind else {
            panic!("the anchored mapping")
        };
        assert!(matches!(&inner[0].1.kind, Kind::Scalar { text, .. } if text == "v"));
    }

    #[test]
    fn aliases_cannot_multiply_the_document_past_the_node_limit() {
        // Each level doubles the nodes: 2^20 copies of `a` would be read without the limit.
        let mut text = String::from("l0: &l0 [a, a]\n");
        for level in 1..=20 {
            let previous = level - 1;
            text.push_str(&format!(
                "l{level}: &l{level} [*l{previous}, *l{previous}]\n"
            ));
        }
        let problem = error(&text);
        assert!(
            problem.message.contains("too large or too complex"),
            "{problem:?}"
        );
        assert!(problem.at.line > 1);
    }

    #[test]
    fn tags_duplicate_keys_and_second_documents_are_refused_where_they_are() {
        let tag = error("a: !!str 5\n");
        assert_eq!((tag.at.line, tag.at.column), (1, 10));
        assert!(tag.message.starts_with("YAML tags"), "{tag:?}");
        let duplicate = error("a: 1\nb: 2\na: 3\n");
        assert_eq!((duplicate.at.line, duplicate.at.column), (3, 1));
        assert_eq!(
            duplicate.message,
            "duplicate mapping key `a` is not allowed here"
        );
        // A large mapping keeps its keys in a set: the same answer, in linear time.
        let mut large: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        large.push_str("k7: again\n");
        let duplicate = error(&large);
        assert_eq!((duplicate.at.line, duplicate.at.column), (41, 1));
        assert_eq!(
            duplicate.message,
            "duplicate mapping key `k7` is not allowed here"
        );
        let second = error("a: 1\n---\nb: 2\n");
        assert_eq!(second.at.line, 3);
    }

    #[test]
    fn the_root_read_before_a_syntax_error_is_kept() {
        let parsed = parse("a: [1, 2]\nb: {c: 3\n");
        assert!(parsed.error.is_some());
        let Some(Node {
            kind: Kind::Mapping(entries),
            ..
        }) = parsed.root
        else {
            panic!("the mapping read so far")
        };
        assert!(matches!(&entries[0].1.kind, Kind::Sequence(items) if items.len() == 2));
    }

    #[test]
    fn untyped_scalars_read_as_yaml_types_them() {
        use serde_json::json;
        let value = json(root(
            "[~, '', yes, Off, 0x1F, 0X1F, 1_000, -5, 007, 2.5, '7', abc, -.nan]",
        ))
        .expect("JSON");
        assert_eq!(
            value,
            json!([
                null, "", true, false, 31, "0X1F", 1000, -5, 7.0, 2.5, "7", "abc", "-.nan"
            ])
        );
        let infinite = json(root("x: .inf")).expect_err("not finite");
        assert_eq!(infinite.message, "value `.inf` is not a finite number");
        let null_key = json(root("~: 1")).expect_err("a null key");
        assert_eq!(null_key.message, "null is not allowed here");
    }

    #[test]
    fn integers_follow_yaml() {
        assert_eq!(integer("0o17"), Some(15));
        assert_eq!(integer("0b101"), Some(5));
        assert_eq!(integer("+7"), Some(7));
        assert_eq!(integer("-0x10"), Some(-16));
        assert_eq!(integer("007"), None);
        assert_eq!(integer("1__0"), None);
        assert_eq!(integer("_1"), None);
        assert_eq!(integer("0x"), None);
        assert_eq!(boolean(" ON "), Some(true));
        assert_eq!(boolean("maybe"), None);
    }
}
