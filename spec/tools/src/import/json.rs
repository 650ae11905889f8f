//! A forgiving JSON reader for the docs' example bodies: keeps key order, reads `//` and `/* */`
//! comments, and closes an example that is cut off instead of rejecting it.
//!
//! serde_json cannot do any of the three (and without `preserve_order` it sorts keys), while the
//! pages routinely have all of them; what was repaired is reported so the importer can warn.

use std::fmt::Write as _;

/// A JSON value in source order. Containers record whether their closing bracket was seen.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written, so it is emitted unchanged.
    Number(String),
    String(String),
    Array(Vec<Json>, Closed),
    Object(Vec<(String, Json)>, Closed),
}

/// Whether a container was complete in the source (`false`: the example was cut inside it).
pub(crate) type Closed = bool;

/// A parsed example and what had to be forgiven to read it.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) value: Json,
    /// The line where the text ends inside the value, when it was cut off.
    pub(crate) cut_at: Option<usize>,
    /// Lines holding comments, which JSON does not allow.
    pub(crate) comment_lines: Vec<usize>,
    /// Lines with a comma before a closing bracket.
    pub(crate) trailing_commas: Vec<usize>,
}

/// Text that is not JSON even when forgiven (e.g. an unquoted `{{placeholder}}`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Parses `text`, whose first line is line `first_line` of the page.
pub(crate) fn parse(text: &str, first_line: usize) -> Result<Parsed, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
        line: first_line,
        cut_at: None,
        comment_lines: Vec::new(),
        trailing_commas: Vec::new(),
    };
    parser.skip_space()?;
    if parser.peek().is_none() {
        return Err(JsonError {
            line: first_line,
            message: "the example is empty".to_owned(),
        });
    }
    let value = parser.value()?;
    if parser.cut_at.is_none() {
        parser.skip_space()?;
        if let Some(c) = parser.peek() {
            return Err(parser.error(format!("unexpected `{}` after the JSON value", c as char)));
        }
    }
    let Some(value) = value else {
        return Err(JsonError {
            line: first_line,
            message: "the example is cut off before its first value".to_owned(),
        });
    };
    Ok(Parsed {
        value,
        cut_at: parser.cut_at,
        comment_lines: parser.comment_lines,
        trailing_commas: parser.trailing_commas,
    })
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    cut_at: Option<usize>,
    comment_lines: Vec<usize>,
    trailing_commas: Vec<usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.at += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn error(&self, message: String) -> JsonError {
        JsonError {
            line: self.line,
            message,
        }
    }

    /// Records that the text ended inside a value; every open container unwinds as unclosed.
    fn cut(&mut self) {
        self.cut_at.get_or_insert(self.line);
    }

    fn skip_space(&mut self) -> Result<(), JsonError> {
        loop {
            match (self.peek(), self.bytes.get(self.at + 1)) {
                (Some(c), _) if c.is_ascii_whitespace() => {
                    self.bump();
                }
                (Some(b'/'), Some(b'/')) => {
                    self.note_comment();
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.bump();
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.note_comment();
                    self.at += 2;
                    loop {
                        match self.bump() {
                            None => {
                                self.cut();
                                return Ok(());
                            }
                            Some(b'*') if self.peek() == Some(b'/') => {
                                self.bump();
                                break;
                            }
                            Some(_) => {}
                        }
                    }
                }
                (Some(b'/'), _) => return Err(self.error("a lone `/` is not JSON".to_owned())),
                _ => return Ok(()),
            }
        }
    }

    fn note_comment(&mut self) {
        if self.comment_lines.last() != Some(&self.line) {
            self.comment_lines.push(self.line);
        }
    }

    /// One value; `None` when the text ends before anything usable.
    fn value(&mut self) -> Result<Option<Json>, JsonError> {
        self.skip_space()?;
        match self.peek() {
            None => {
                self.cut();
                Ok(None)
            }
            Some(b'{') => self.object().map(Some),
            Some(b'[') => self.array().map(Some),
            // A string cut off inside still tells its type, so it is kept.
            Some(b'"') => self.string().map(|(s, _)| Some(Json::String(s))),
            Some(b't' | b'f' | b'n') => self.literal(),
            Some(c) if c == b'-' || c.is_ascii_digit() => self.number().map(Some),
            Some(c) => Err(self.error(format!("unexpected `{}`", char_at(self.bytes, self.at, c)))),
        }
    }

    fn object(&mut self) -> Result<Json, JsonError> {
        self.bump();
        let mut entries = Vec::new();
        loop {
            self.skip_space()?;
            match self.peek() {
                None => {
                    self.cut();
                    return Ok(Json::Object(entries, false));
                }
                Some(b'}') => {
                    self.bump();
                    return Ok(Json::Object(entries, true));
                }
                Some(b'"') => {}
                Some(c) => {
                    return Err(self.error(format!(
                        "expected a quoted key, found `{}`",
                        char_at(self.bytes, self.at, c)
                    )));
                }
            }
            let (key, closed) = self.string()?;
            if !closed {
                return Ok(Json::Object(entries, false));
            }
            self.skip_space()?;
            match self.peek() {
                None => {
                    self.cut();
                    return Ok(Json::Object(entries, false));
                }
                Some(b':') => {
                    self.bump();
                }
                Some(_) => return Err(self.error(format!("expected `:` after key \"{key}\""))),
            }
            let value = self.value()?;
            if let Some(value) = value {
                entries.push((key, value));
            }
            if self.cut_at.is_some() {
                return Ok(Json::Object(entries, false));
            }
            if !self.separator(b'}')? {
                return Ok(Json::Object(entries, self.cut_at.is_none()));
            }
        }
    }

    fn array(&mut self) -> Result<Json, JsonError> {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_space()?;
            match self.peek() {
                None => {
                    self.cut();
                    return Ok(Json::Array(items, false));
                }
                Some(b']') => {
                    self.bump();
                    return Ok(Json::Array(items, true));
                }
                Some(_) => {}
            }
            let value = self.value()?;
            if let Some(value) = value {
                items.push(value);
            }
            if self.cut_at.is_some() {
                return Ok(Json::Array(items, false));
            }
            if !self.separator(b']')? {
                return Ok(Json::Array(items, self.cut_at.is_none()));
            }
        }
    }

    /// After an entry: `true` when another entry follows, `false` when the container ended
    /// (its closing bracket consumed) or the text did.
    fn separator(&mut self, close: u8) -> Result<bool, JsonError> {
        self.skip_space()?;
        match self.peek() {
            None => {
                self.cut();
                Ok(false)
            }
            Some(b',') => {
                let comma_line = self.line;
                self.bump();
                self.skip_space()?;
                if self.peek() == Some(close) {
                    self.trailing_commas.push(comma_line);
                    self.bump();
                    return Ok(false);
                }
                Ok(true)
            }
            Some(c) if c == close => {
                self.bump();
                Ok(false)
            }
            Some(c) => Err(self.error(format!(
                "expected `,` or `{}`, found `{}`",
                close as char,
                char_at(self.bytes, self.at, c)
            ))),
        }
    }

    /// A quoted string and whether its closing quote was seen.
    fn string(&mut self) -> Result<(String, bool), JsonError> {
        self.bump();
        let mut bytes = Vec::new();
        loop {
            match self.bump() {
                None => {
                    self.cut();
                    return Ok((String::from_utf8_lossy(&bytes).into_owned(), false));
                }
                Some(b'"') => return Ok((String::from_utf8_lossy(&bytes).into_owned(), true)),
                Some(b'\\') => match self.bump() {
                    None => {
                        self.cut();
                        return Ok((String::from_utf8_lossy(&bytes).into_owned(), false));
                    }
                    Some(escaped) => {
                        let c = match escaped {
                            b'n' => '\n',
                            b't' => '\t',
                            b'r' => '\r',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'u' => self.unicode_escape()?,
                            other => other as char,
                        };
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                },
                Some(b'\n') => return Err(self.error("a line break inside a string".to_owned())),
                Some(c) => bytes.push(c),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high)
            && self.bytes.get(self.at..self.at + 2) == Some(b"\\u")
        {
            self.at += 2;
            let low = self.hex4()?;
            0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
        } else {
            high
        };
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.at..self.at + 4).unwrap_or_default();
        let parsed = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match parsed {
            Some(value) if digits.len() == 4 => {
                self.at += 4;
                Ok(value)
            }
            _ => Err(self.error("a `\\u` escape needs four hex digits".to_owned())),
        }
    }

    fn literal(&mut self) -> Result<Option<Json>, JsonError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.bump();
        }
        let word = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        match word.as_str() {
            "true" => Ok(Some(Json::Bool(true))),
            "false" => Ok(Some(Json::Bool(false))),
            "null" => Ok(Some(Json::Null)),
            partial
                if self.peek().is_none()
                    && ["true", "false", "null"]
                        .iter()
                        .any(|w| w.starts_with(partial)) =>
            {
                self.cut();
                Ok(None)
            }
            other => Err(self.error(format!("unexpected `{other}`"))),
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.bump();
        }
        let raw = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        if self.peek().is_none() {
            // Possibly only the first digits of a longer number; its type is still a number.
            self.cut();
            let usable = raw.trim_end_matches(['-', '+', '.', 'e', 'E']);
            if usable.parse::<f64>().is_ok() {
                return Ok(Json::Number(usable.to_owned()));
            }
        }
        if raw.parse::<f64>().is_err() || raw.starts_with('+') {
            return Err(self.error(format!("`{raw}` is not a number")));
        }
        Ok(Json::Number(raw))
    }
}

/// The whole character at `at` for messages (the byte may start a multi-byte character).
fn char_at(bytes: &[u8], at: usize, first: u8) -> char {
    let end = (at + 4).min(bytes.len());
    (at + 1..=end)
        .find_map(|e| std::str::from_utf8(&bytes[at..e]).ok())
        .and_then(|s| s.chars().next())
        .unwrap_or(first as char)
}

impl Json {
    /// The value as serde_json sees it (key order is lost), for the shared schema checks.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(raw) => serde_json::from_str(raw).unwrap_or(Value::Null),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items, _) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(entries, _) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// One-line JSON: `{"a": 1, "b": [true]}`.
    pub(crate) fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None, 0);
        out
    }

    /// JSON over several lines, two spaces per level.
    pub(crate) fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(2), 0);
        out
    }

    fn write(&self, out: &mut String, indent: Option<usize>, level: usize) {
        let (open, close, empty) = match self {
            Json::Null => return out.push_str("null"),
            Json::Bool(b) => return out.push_str(if *b { "true" } else { "false" }),
            Json::Number(raw) => return out.push_str(raw),
            Json::String(s) => return out.push_str(&quote(s)),
            Json::Array(items, _) => ('[', ']', items.is_empty()),
            Json::Object(entries, _) => ('{', '}', entries.is_empty()),
        };
        out.push(open);
        if empty {
            out.push(close);
            return;
        }
        let newline = |out: &mut String, level: usize| {
            if let Some(width) = indent {
                out.push('\n');
                out.push_str(&" ".repeat(width * level));
            }
        };
        let separator = if indent.is_some() { "," } else { ", " };
        match self {
            Json::Array(items, _) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(separator);
                    }
                    newline(out, level + 1);
                    item.write(out, indent, level + 1);
                }
            }
            Json::Object(entries, _) => {
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(separator);
                    }
                    newline(out, level + 1);
                    let _ = write!(out, "{}: ", quote(key));
                    value.write(out, indent, level + 1);
                }
            }
            _ => {}
        }
        newline(out, level);
        out.push(close);
    }
}

/// A JSON string literal; also a valid YAML double-quoted scalar (control characters are
/// escaped as `\uXXXX`, which both accept).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Parsed {
        match parse(text, 1) {
            Ok(parsed) => parsed,
            Err(e) => panic!("line {}: {}", e.line, e.message),
        }
    }

    #[test]
    fn keeps_key_order_and_numbers_as_written() {
        let parsed = ok(r#"{"b": 1.50, "a": [true, null, "x"]}"#);
        assert_eq!(
            parsed.value.to_compact(),
            r#"{"b": 1.50, "a": [true, null, "x"]}"#
        );
        assert!(parsed.cut_at.is_none());
    }

    #[test]
    fn closes_a_cut_example_and_says_where() {
        let parsed = ok(
            "{\n  \"status\": \"success\",\n  \"data\": {\n    \"id\": \"5e5f\",\n    \"plan_description\": \"<p>This is",
        );
        assert_eq!(parsed.cut_at, Some(5));
        let Json::Object(entries, closed) = &parsed.value else {
            panic!("an object")
        };
        assert!(!closed);
        let Json::Object(data, _) = &entries[1].1 else {
            panic!("data is an object")
        };
        assert_eq!(data.len(), 2, "the cut string still counts: {data:?}");
    }

    #[test]
    fn a_cut_key_or_literal_is_dropped() {
        let parsed = ok("{\n    \"first_na");
        assert_eq!(parsed.value, Json::Object(Vec::new(), false));
        let parsed = ok(r#"{"a": 1, "b": tr"#);
        assert_eq!(parsed.value.to_compact(), r#"{"a": 1}"#);
        let parsed = ok(r#"{"a": 1, "b":"#);
        assert_eq!(parsed.value.to_compact(), r#"{"a": 1}"#);
        let parsed = ok(r#"[{"a": 1}, {"#);
        assert_eq!(parsed.value.to_compact(), r#"[{"a": 1}, {}]"#);
    }

    #[test]
    fn reads_comments_and_trailing_commas() {
        let parsed =
            ok("{\n  \"amount\": 200, //Invoice amount\n  /* note */ \"date\": \"2023-01-22\",\n}");
        assert_eq!(parsed.comment_lines, [2, 3]);
        assert_eq!(parsed.trailing_commas, [3]);
        assert_eq!(
            parsed.value.to_compact(),
            r#"{"amount": 200, "date": "2023-01-22"}"#
        );
        // A `//` inside a string is text, not a comment.
        let parsed = ok(r#"{"url": "https://www.pabbly.com/"}"#);
        assert!(parsed.comment_lines.is_empty());
    }

    #[test]
    fn rejects_what_is_not_json() {
        let err = parse("{\n  \"id\": {{customer_id}}\n}", 10).expect_err("a placeholder");
        assert_eq!(err.line, 11);
        assert!(parse("{'a': 1}", 1).is_err());
        assert!(parse("{\"a\": 1} trailing", 1).is_err());
        assert!(parse("   ", 1).is_err());
    }

    #[test]
    fn escapes_round_trip() {
        let parsed = ok(r#"["a\"b\\c\n\u00e9\ud83d\ude00"]"#);
        let Json::Array(items, _) = &parsed.value else {
            panic!("an array")
        };
        assert_eq!(items[0], Json::String("a\"b\\c\né😀".to_owned()));
        assert_eq!(quote("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
    }

    #[test]
    fn pretty_printing_indents_two_spaces() {
        let parsed = ok(r#"{"a": {"b": []}, "c": [1, 2]}"#);
        assert_eq!(
            parsed.value.to_pretty(),
            "{\n  \"a\": {\n    \"b\": []\n  },\n  \"c\": [\n    1,\n    2\n  ]\n}"
        );
    }
}
