//! The fast reader: block-style YAML as specs are written, read straight from the bytes into
//! the same [`Node`] tree as granit's events give, or declined.
//!
//! It reads block mappings and sequences indented with spaces, comments, one-line plain and
//! quoted scalars (double-quoted with YAML's escapes), flow collections of those over one or more
//! lines, and literal and folded block scalars (`|`, `|-`, `>`, `>-`) whose lines are all indented
//! alike. Anything else, and anything YAML could read in a way it is not sure of, is declined
//! (`None`), usually at once: tabs, control characters, a byte-order mark, anchors, aliases, tags,
//! directives, document markers, explicit keys, multi-line plain or quoted scalars, empty flow
//! entries, indentless sequences, block scalars with blank first or whitespace-only lines, keys
//! whose line runs more than a thousand bytes to their `:`, duplicate keys and breaches of [`MAX_DEPTH`] and [`MAX_NODES`].
//! It never reports a problem: the full reader reads what it declines and says what is wrong.

use std::borrow::Cow;

use super::{Kind, MAX_DEPTH, MAX_NODES, Node, is_duplicate};
use crate::diagnostic::Position;

/// The longest key read, in bytes; YAML's limit for an implicit key is 1024 characters.
const MAX_KEY_BYTES: usize = 1000;

/// The root's parent column: every line of the document is indented more than it.
const ROOT_PARENT: usize = 0;

/// What [`Reader::next_content`] returns at the end of the text: less than every column.
const END: usize = 0;

/// The tree of `text`, or `None` when the text is outside what this reader reads.
pub(super) fn read(text: &str) -> Option<Node<'_>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        wide: wide_chars(text.as_bytes())?,
        nodes: 0,
    };
    if reader.next_content()? != 1 || matches!(reader.peek(), b'[' | b'{' | b'|' | b'>') {
        return None;
    }
    let (root, next) = reader.block_node(1, ROOT_PARENT, 0)?;
    if next != END || matches!(root.kind, Kind::Scalar { .. }) {
        return None;
    }
    Some(root)
}

/// Where the characters of more than one byte are, each with the extra bytes of all up to it,
/// so that columns count characters; `None` if the text holds a character this reader declines.
fn wide_chars(bytes: &[u8]) -> Option<Vec<(usize, usize)>> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let (words, _) = bytes.as_chunks::<8>();
    let mut wide = Vec::new();
    let mut extra = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i % 8 == 0 && i / 8 < words.len() {
            // Eight bytes at once when each is printable ASCII or a line break. Per byte, with
            // its high bit cleared (`low`), adding 0x60 sets the high bit from 0x20 up, adding
            // 1 from 0x7f up, and adding 0x7f unless it was zero (a line break, once xored).
            let word = u64::from_le_bytes(words[i / 8]);
            let low = word & !HIGH;
            let from_space = (low + ONES * 0x60) | word;
            let from_del = (low + ONES) | word;
            let breaks = word ^ (ONES * u64::from(b'\n'));
            let not_break = ((breaks & !HIGH) + !HIGH) | breaks;
            if (from_del | (!from_space & not_break)) & HIGH == 0 {
                i += 8;
                continue;
            }
        }
        let byte = bytes[i];
        if byte < 0x80 {
            // Control characters (tab and carriage return included) and DEL.
            if (byte < 0x20 && byte != b'\n') || byte == 0x7f {
                return None;
            }
            i += 1;
            continue;
        }
        // `text` is UTF-8, so a lead byte is followed by its continuation bytes.
        let len = if byte >= 0xf0 {
            4
        } else if byte >= 0xe0 {
            3
        } else {
            2
        };
        let second = bytes[i + 1];
        let third = if len > 2 { bytes[i + 2] } else { 0 };
        // C1 controls (NEL among them), the line and paragraph separators, the byte-order mark,
        // and the non-characters U+FFFE and U+FFFF.
        let declined = (byte == 0xc2 && second < 0xa0)
            || (byte == 0xe2 && second == 0x80 && (third == 0xa8 || third == 0xa9))
            || (byte == 0xef && second == 0xbb && third == 0xbf)
            || (byte == 0xef && second == 0xbf && third >= 0xbe);
        if declined {
            return None;
        }
        extra += len - 1;
        wide.push((i, extra));
        i += len;
    }
    Some(wide)
}

/// Whether `byte` (0 at the end of the text) ends a token: a space, a line break or the end.
fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\n' || byte == 0
}

fn is_flow_indicator(byte: u8) -> bool {
    matches!(byte, b',' | b'[' | b']' | b'{' | b'}')
}

fn empty(at: Position) -> Node<'static> {
    Node {
        at,
        kind: Kind::Scalar {
            text: Cow::Borrowed("~"),
            plain: true,
        },
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The byte being read.
    at: usize,
    /// The line of `at`, from 1, and the offset its line starts at.
    line: u64,
    line_start: usize,
    /// Where the characters of more than one byte are, each with the extra bytes of all up to
    /// it.
    wide: Vec<(usize, usize)>,
    nodes: usize,
}

impl<'a> Reader<'a> {
    /// The byte at `at`, or 0 at the end of the text (the text holds no NUL).
    fn peek(&self) -> u8 {
        self.byte(self.at)
    }

    fn byte(&self, offset: usize) -> u8 {
        if offset < self.bytes.len() {
            self.bytes[offset]
        } else {
            0
        }
    }

    /// Where `offset`, on the current line, is; the column counts characters.
    fn position(&self, offset: usize) -> Position {
        let extra = self.extra_bytes_before(offset) - self.extra_bytes_before(self.line_start);
        Position {
            line: self.line,
            column: (offset - self.line_start + 1 - extra) as u64,
        }
    }

    /// The extra bytes of the wide characters before `offset` (a binary search, so that a
    /// long line of them costs no more per node than a short one).
    fn extra_bytes_before(&self, offset: usize) -> usize {
        match self.wide.partition_point(|&(at, _)| at < offset) {
            0 => 0,
            k => self.wide[k - 1].1,
        }
    }

    /// Counts one more node, declining past [`MAX_NODES`].
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// Steps over the line break at `at`.
    fn newline(&mut self) {
        self.at += 1;
        self.line += 1;
        self.line_start = self.at;
    }

    // The loops below index `bytes` directly: they run unoptimized, where each call counts.

    fn skip_spaces(&mut self) {
        let bytes = self.bytes;
        let mut i = self.at;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        self.at = i;
    }

    /// Goes to the end of the line: its line break, or the end of the text.
    fn skip_line(&mut self) {
        let bytes = self.bytes;
        let mut i = self.at;
        while i < bytes.len() && bytes[i] != b'\n' {
            i += 1;
        }
        self.at = i;
    }

    /// Steps over what may end a line after a token: spaces and a comment. Declines anything
    /// else before the line break.
    fn end_line(&mut self) -> Option<()> {
        self.skip_spaces();
        match self.peek() {
            b'\n' | 0 => Some(()),
            b'#' if self.bytes[self.at - 1] == b' ' => {
                self.skip_line();
                Some(())
            }
            _ => None,
        }
    }

    /// From the end of a line (or the start of the text), goes to the first character of the
    /// next line with content, past blank and comment lines, and returns its column ([`END`]
    /// at the end of the text). Declines document markers and directives.
    fn next_content(&mut self) -> Option<usize> {
        if self.peek() == b'\n' {
            self.newline();
        }
        loop {
            self.skip_spaces();
            match self.peek() {
                0 => return Some(END),
                b'\n' => self.newline(),
                b'#' => {
                    self.skip_line();
                    if self.peek() == 0 {
                        return Some(END);
                    }
                    self.newline();
                }
                first => {
                    let column = self.at - self.line_start + 1;
                    let rest = &self.bytes[self.at..];
                    if column == 1
                        && (first == b'%' || rest.starts_with(b"---") || rest.starts_with(b"..."))
                    {
                        return None;
                    }
                    return Some(column);
                }
            }
        }
    }

    /// The block node at `at`, in column `column`, inside a block collection at column
    /// `parent`, with `depth` collections open; returns it with the column of the next line
    /// with content, where it leaves `at`.
    fn block_node(
        &mut self,
        column: usize,
        parent: usize,
        depth: usize,
    ) -> Option<(Node<'a>, usize)> {
        let node = match self.peek() {
            b'-' if is_blank(self.byte(self.at + 1)) => {
                return self.block_sequence(column, depth);
            }
            b'|' | b'>' => {
                let node = self.block_scalar(parent)?;
                return Some((node, self.next_content()?));
            }
            b'[' | b'{' => self.flow(parent, depth)?,
            b'\'' | b'"' => self.quoted()?,
            _ => self.plain(false)?,
        };
        self.skip_spaces();
        if self.peek() == b':' && is_blank(self.byte(self.at + 1)) {
            // YAML's limit runs from the key to its `:`, spaces before it included.
            if !matches!(node.kind, Kind::Scalar { .. })
                || self.at - self.line_start > MAX_KEY_BYTES
            {
                return None;
            }
            self.at += 1;
            return self.block_mapping(column, node, depth);
        }
        self.end_line()?;
        Some((node, self.next_content()?))
    }

    /// A block mapping at `column` whose first key, `key`, has been read up to its `:`.
    fn block_mapping(
        &mut self,
        column: usize,
        mut key: Node<'a>,
        depth: usize,
    ) -> Option<(Node<'a>, usize)> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let at = key.at;
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let mut seen = None;
        loop {
            let (value, next) = self.mapping_value(column, depth + 1)?;
            if let Kind::Scalar { text, .. } = &key.kind
                && is_duplicate(&entries, &mut seen, text.clone())
            {
                return None;
            }
            entries.push((key, value));
            if next < column {
                let node = Node {
                    at,
                    kind: Kind::Mapping(entries),
                };
                return Some((node, next));
            }
            if next > column {
                return None;
            }
            key = self.block_key()?;
        }
    }

    /// A key of a block mapping and its `:`, at the start of a line.
    fn block_key(&mut self) -> Option<Node<'a>> {
        let key = match self.peek() {
            b'\'' | b'"' => self.quoted()?,
            _ => self.plain(false)?,
        };
        self.skip_spaces();
        if self.peek() != b':' || !is_blank(self.byte(self.at + 1)) {
            return None;
        }
        if self.at - self.line_start > MAX_KEY_BYTES {
            return None;
        }
        self.at += 1;
        Some(key)
    }

    /// The value after the `:` of a key in the block mapping at `column`.
    fn mapping_value(&mut self, column: usize, depth: usize) -> Option<(Node<'a>, usize)> {
        let colon = self.position(self.at - 1);
        self.skip_spaces();
        match self.peek() {
            b'\n' | 0 | b'#' => {
                self.end_line()?;
                let next = self.next_content()?;
                if next > column {
                    return self.block_node(next, column, depth);
                }
                // An indentless sequence, `key:` then `- item` in the key's column.
                if next == column && self.peek() == b'-' && is_blank(self.byte(self.at + 1)) {
                    return None;
                }
                self.count()?;
                Some((empty(colon), next))
            }
            b'|' | b'>' => {
                let node = self.block_scalar(column)?;
                Some((node, self.next_content()?))
            }
            b'-' if is_blank(self.byte(self.at + 1)) => None,
            _ => {
                let node = match self.peek() {
                    b'[' | b'{' => self.flow(column, depth)?,
                    b'\'' | b'"' => self.quoted()?,
                    _ => self.plain(false)?,
                };
                self.end_line()?;
                Some((node, self.next_content()?))
            }
        }
    }

    /// A block sequence whose first `-` is at `at`, in `column`.
    fn block_sequence(&mut self, column: usize, depth: usize) -> Option<(Node<'a>, usize)> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let at = self.position(self.at);
        let mut items = Vec::new();
        loop {
            // Past the `-`.
            self.at += 1;
            self.skip_spaces();
            let (item, next) = match self.peek() {
                b'\n' | 0 | b'#' => {
                    self.end_line()?;
                    // An empty entry is where its line ends.
                    let end = self.position(self.at);
                    let next = self.next_content()?;
                    if next > column {
                        self.block_node(next, column, depth + 1)?
                    } else {
                        self.count()?;
                        (empty(end), next)
                    }
                }
                // Only spaces and `- ` come before it on its line: bytes are characters.
                _ => self.block_node(self.at - self.line_start + 1, column, depth + 1)?,
            };
            items.push(item);
            if next < column {
                let node = Node {
                    at,
                    kind: Kind::Sequence(items),
                };
                return Some((node, next));
            }
            if next > column || self.peek() != b'-' || !is_blank(self.byte(self.at + 1)) {
                return None;
            }
        }
    }

    /// A literal or folded block scalar whose indicator is at `at`, inside a block collection
    /// at column `parent`; leaves `at` at the end of its last line with content.
    fn block_scalar(&mut self, parent: usize) -> Option<Node<'a>> {
        let literal = self.peek() == b'|';
        self.at += 1;
        let strip = self.peek() == b'-';
        if strip {
            self.at += 1;
        }
        self.skip_spaces();
        if self.peek() != b'\n' {
            return None;
        }
        self.newline();
        self.skip_spaces();
        let indent = self.at - self.line_start;
        if indent < parent || is_blank(self.peek()) {
            return None;
        }
        let at = self.position(self.at);
        let mut text = String::new();
        loop {
            let start = self.at;
            self.skip_line();
            if !literal && self.bytes[start] == b' ' {
                // A more indented line of a folded scalar keeps its breaks: not read here.
                return None;
            }
            text.push_str(&self.text[start..self.at]);
            // Blank lines, then a line indented at least as much continues the scalar.
            let mut i = self.at;
            let mut breaks = 0;
            let continues = loop {
                if i >= self.bytes.len() {
                    break false;
                }
                i += 1;
                let line_start = i;
                while self.byte(i) == b' ' {
                    i += 1;
                }
                let blank = matches!(self.byte(i), b'\n' | 0);
                if blank && i > line_start {
                    // Whitespace-only lines may be content or not: not read here.
                    return None;
                }
                if !blank {
                    break i - line_start >= indent;
                }
                breaks += 1;
            };
            if !continues {
                break;
            }
            if literal || breaks > 0 {
                for _ in 0..breaks + usize::from(literal) {
                    text.push('\n');
                }
            } else {
                text.push(' ');
            }
            for _ in 0..=breaks {
                self.newline();
            }
            self.at += indent;
        }
        if !strip {
            text.push('\n');
        }
        self.count()?;
        Some(Node {
            at,
            kind: Kind::Scalar {
                text: Cow::Owned(text),
                plain: false,
            },
        })
    }

    /// A flow sequence or mapping, whose every line is indented past column `parent`.
    fn flow(&mut self, parent: usize, depth: usize) -> Option<Node<'a>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let at = self.position(self.at);
        let sequence = self.peek() == b'[';
        self.at += 1;
        let close = if sequence { b']' } else { b'}' };
        let mut items = Vec::new();
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let mut seen = None;
        self.flow_space(parent)?;
        if self.peek() == close {
            self.at += 1;
        } else {
            loop {
                if sequence {
                    items.push(self.flow_node(parent, depth + 1)?);
                } else {
                    let key = self.flow_key()?;
                    self.flow_space(parent)?;
                    if matches!(self.peek(), b',' | b'}') {
                        return None;
                    }
                    let value = self.flow_node(parent, depth + 1)?;
                    if let Kind::Scalar { text, .. } = &key.kind
                        && is_duplicate(&entries, &mut seen, text.clone())
                    {
                        return None;
                    }
                    entries.push((key, value));
                }
                self.flow_space(parent)?;
                let next = self.peek();
                self.at += 1;
                if next == close {
                    break;
                }
                if next != b',' {
                    return None;
                }
                self.flow_space(parent)?;
            }
        }
        let kind = if sequence {
            Kind::Sequence(items)
        } else {
            Kind::Mapping(entries)
        };
        Some(Node { at, kind })
    }

    /// An entry of a flow collection: a scalar or a collection.
    fn flow_node(&mut self, parent: usize, depth: usize) -> Option<Node<'a>> {
        match self.peek() {
            b'[' | b'{' => self.flow(parent, depth),
            b'\'' | b'"' => self.quoted(),
            _ => self.plain(true),
        }
    }

    /// A key of a flow mapping and its `:`, on one line.
    fn flow_key(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let key = match self.peek() {
            b'\'' | b'"' => self.quoted()?,
            _ => self.plain(true)?,
        };
        let quoted = matches!(key.kind, Kind::Scalar { plain: false, .. });
        self.skip_spaces();
        if self.peek() != b':' || self.at - start > MAX_KEY_BYTES {
            return None;
        }
        self.at += 1;
        // A value may touch the `:` after a quoted key (`"a":1`), but not a collection's.
        match self.peek() {
            b' ' | b'\n' => Some(key),
            b'[' | b'{' => None,
            _ => quoted.then_some(key),
        }
    }

    /// Steps over spaces, line breaks and comments inside a flow collection; declines a line
    /// with content that is not indented past column `parent`.
    fn flow_space(&mut self, parent: usize) -> Option<()> {
        loop {
            self.skip_spaces();
            match self.peek() {
                b'\n' => {
                    self.newline();
                    self.skip_spaces();
                    if self.at - self.line_start < parent && self.peek() != b'\n' {
                        return None;
                    }
                }
                b'#' if matches!(self.bytes[self.at - 1], b' ' | b'\n') => self.skip_line(),
                _ => return Some(()),
            }
        }
    }

    /// A plain scalar on one line; `flow` when inside a flow collection, where `,[]{}` end it.
    /// Leaves `at` after its last character.
    fn plain(&mut self, flow: bool) -> Option<Node<'a>> {
        let start = self.at;
        let second = self.byte(start + 1);
        match self.peek() {
            b'-' if is_blank(second) || (flow && is_flow_indicator(second)) => return None,
            0 | b'\n' | b' ' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%'
            | b'@' | b'`' | b',' | b'[' | b']' | b'{' | b'}' | b'?' | b':' => return None,
            _ => {}
        }
        let bytes = self.bytes;
        let mut i = start + 1;
        let mut end = i;
        while i < bytes.len() {
            let byte = bytes[i];
            // Letters and most punctuation first, in one comparison.
            if byte > b':' && !(flow && is_flow_indicator(byte)) {
                i += 1;
                end = i;
                continue;
            }
            match byte {
                b'\n' => break,
                b' ' => {
                    i += 1;
                    continue;
                }
                b'#' if bytes[i - 1] == b' ' => break,
                b':' => {
                    let next = self.byte(i + 1);
                    if is_blank(next) || (flow && is_flow_indicator(next)) {
                        break;
                    }
                }
                b',' | b'[' | b']' | b'{' | b'}' if flow => break,
                _ => {}
            }
            i += 1;
            end = i;
        }
        self.at = end;
        self.count()?;
        Some(Node {
            at: self.position(start),
            kind: Kind::Scalar {
                text: Cow::Borrowed(&self.text[start..end]),
                plain: true,
            },
        })
    }

    /// A single- or double-quoted scalar on one line; leaves `at` after its closing quote.
    fn quoted(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let quote = self.peek();
        let mut i = start + 1;
        // The text so far when it differs from the source (escapes), and where the source
        // resumes.
        let mut owned: Option<String> = None;
        let mut from = i;
        let bytes = self.bytes;
        loop {
            if i >= bytes.len() || bytes[i] == b'\n' {
                return None;
            }
            let byte = bytes[i];
            if byte == quote {
                if quote == b'\'' && self.byte(i + 1) == b'\'' {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(&self.text[from..=i]);
                    i += 2;
                    from = i;
                    continue;
                }
                break;
            }
            if byte == b'\\' && quote == b'"' {
                let text = owned.get_or_insert_with(String::new);
                text.push_str(&self.text[from..i]);
                let (escaped, len) = self.escape(i)?;
                text.push(escaped);
                i += len;
                from = i;
                continue;
            }
            i += 1;
        }
        let text = match owned {
            Some(mut text) => {
                text.push_str(&self.text[from..i]);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(&self.text[start + 1..i]),
        };
        self.at = i + 1;
        self.count()?;
        Some(Node {
            at: self.position(start),
            kind: Kind::Scalar { text, plain: false },
        })
    }

    /// The character the escape at `offset` (a `\`) stands for, and its length in bytes.
    fn escape(&self, offset: usize) -> Option<(char, usize)> {
        let simple = match self.byte(offset + 1) {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return self.hex(offset, 2),
            b'u' => return self.hex(offset, 4),
            b'U' => return self.hex(offset, 8),
            _ => return None,
        };
        Some((simple, 2))
    }

    /// A `\x`, `\u` or `\U` escape at `offset` with `digits` hex digits; declines surrogates.
    fn hex(&self, offset: usize, digits: usize) -> Option<(char, usize)> {
        let mut value = 0;
        for k in 0..digits {
            let digit = char::from(self.byte(offset + 2 + k)).to_digit(16)?;
            value = value * 16 + digit;
        }
        Some((char::from_u32(value)?, 2 + digits))
    }
}
