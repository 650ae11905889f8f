//! Problems found in a spec or in the doc pages it comes from, each tied to a file position,
//! collected rather than thrown. The spec's loader reports errors; the maintainer tools
//! (`pabbly-spec-tools`) report their page errors and warnings with the same type.

use std::fmt;

/// A 1-based line and column in the spec file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line; 0 when the position is unknown.
    pub line: u64,
    /// 1-based column; 0 when the position is unknown.
    pub column: u64,
}

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used: a spec that does not load, a page that cannot be read.
    Error,
    /// Something was missing, guessed or left out; the work carried on.
    Warning,
}

/// One problem in a spec (or a doc page): where it is, what is wrong and how to fix it.
///
/// Shown as `file:line:column: message` for an error and `file:line:column: warning: message`
/// for a warning, then the source line with a caret and the help when there are:
///
/// ```
/// use pabbly_spec::{Diagnostic, Position, Severity};
///
/// let page = Position { line: 12, column: 0 };
/// let warning = Diagnostic::new(Severity::Warning, "page.md", page, "the example is cut off");
/// assert_eq!(warning.to_string(), "page.md:12: warning: the example is cut off");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error or a warning.
    pub severity: Severity,
    /// The spec file as the user named it.
    pub file: String,
    /// Where in the file the problem is.
    pub position: Position,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when there is a useful suggestion.
    pub help: Option<String>,
    /// The offending source line (an excerpt around the column when the line is long), shown
    /// under the message (boxed: most diagnostics are passed around more than they are shown).
    pub source_line: Option<Box<Excerpt>>,
}

/// The part of a source line shown under a diagnostic, with the caret's place in it.
///
/// A line longer than [`Excerpt::MAX_CHARS`] is cut to a window around the column, with `…`
/// where text was left out, so one mistake on a megabyte-long line prints a short line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The text shown, `…` marking cut ends.
    pub text: String,
    /// 0-based character offset of the caret in `text`.
    pub caret: usize,
}

impl Excerpt {
    /// The longest line shown whole, in characters; a longer one is cut around the column.
    pub const MAX_CHARS: usize = 120;

    /// The excerpt of `line` around the 1-based character `column` (0: unknown, the start).
    ///
    /// ```
    /// use pabbly_spec::Excerpt;
    ///
    /// let line = format!("{}FETCH{}", "x".repeat(1_000), "y".repeat(1_000));
    /// let excerpt = Excerpt::around(&line, 1_001);
    /// assert_eq!(excerpt.text.chars().count(), Excerpt::MAX_CHARS + 2); // with both `…`
    /// let at_caret: String = excerpt.text.chars().skip(excerpt.caret).take(5).collect();
    /// assert_eq!(at_caret, "FETCH");
    /// ```
    pub fn around(line: &str, column: u64) -> Self {
        Self::cut(line, column, line.is_ascii())
    }

    /// [`Excerpt::around`], told whether `line` is ASCII: then a column is a byte offset and
    /// the window is found without walking the line, however long it is.
    fn cut(line: &str, column: u64, ascii: bool) -> Self {
        let caret = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        if line.len() <= Self::MAX_CHARS {
            return Self {
                text: line.to_owned(),
                caret: caret.min(line.chars().count()),
            };
        }
        let first = caret.saturating_sub(Self::MAX_CHARS / 2);
        let (start, end) = if ascii {
            let start = first.min(line.len() - Self::MAX_CHARS);
            (start, start + Self::MAX_CHARS)
        } else {
            let offsets: Vec<usize> = line
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(line.len()))
                .take(first.saturating_add(Self::MAX_CHARS) + 1)
                .collect();
            let last = offsets.len() - 1;
            let start = first.min(last.saturating_sub(Self::MAX_CHARS));
            (offsets[start], offsets[(start + Self::MAX_CHARS).min(last)])
        };
        // In characters: the window's first one, and the caret relative to it.
        let first_shown = if ascii {
            start
        } else {
            line[..start].chars().count()
        };
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.push_str(&line[start..end]);
        if end < line.len() {
            text.push('…');
        }
        let shown = text.chars().count();
        Self {
            caret: (caret - first_shown.min(caret) + usize::from(start > 0)).min(shown),
            text,
        }
    }
}

impl Diagnostic {
    /// A diagnostic without help or source line; `position` may have an unknown (0) column or
    /// line. Messages longer than 400 characters are cut with a closing `…`.
    pub fn new(
        severity: Severity,
        file: impl Into<String>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            file: file.into(),
            position,
            message: shorten(message.into(), MAX_MESSAGE_CHARS),
            help: None,
            source_line: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Position { line, column } = self.position;
        write!(f, "{}", self.file)?;
        if line != 0 {
            write!(f, ":{line}")?;
        }
        if line != 0 && column != 0 {
            write!(f, ":{column}")?;
        }
        if self.severity == Severity::Warning {
            write!(f, ": warning")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(Excerpt { text, caret }) = self.source_line.as_deref() {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret = " ".repeat(*caret);
            write!(f, "\n{pad} |\n{gutter} | {text}\n{pad} | {caret}^")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one spec, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The longest message or help kept, in characters: they quote the spec's own text (a key, a
/// type name, a path), which may be any length.
const MAX_MESSAGE_CHARS: usize = 400;

/// `text`, cut to `max` characters with a closing `…`.
fn shorten(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Where each line of a text starts, computed once so that finding the line of a diagnostic
/// costs a lookup, not a scan: thousands of diagnostics stay linear in the file's size.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first character; the first is 0.
    starts: Vec<usize>,
    /// Whether each line is ASCII (then its columns are byte offsets).
    ascii: Vec<bool>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut ascii = vec![true];
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                starts.push(i + 1);
                ascii.push(true);
            } else if let (false, Some(last)) = (byte.is_ascii(), ascii.last_mut()) {
                *last = false;
            }
        }
        Self {
            text,
            starts,
            ascii,
        }
    }

    /// The 1-based line `line` without its line break, if the text has it.
    pub(crate) fn line(&self, line: u64) -> Option<&'a str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        if start == self.text.len() {
            return None;
        }
        let line = &self.text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The excerpt of the line at `position`, if the text has that line.
    pub(crate) fn excerpt(&self, position: Position) -> Option<Excerpt> {
        let line = self.line(position.line)?;
        let ascii = usize::try_from(position.line - 1)
            .ok()
            .and_then(|i| self.ascii.get(i))
            .is_some_and(|&ascii| ascii);
        Some(Excerpt::cut(line, position.column, ascii))
    }
}

/// Gathers diagnostics for one file (serde_derive's `Ctxt`, but for YAML positions).
#[derive(Debug)]
pub(crate) struct Collector<'a> {
    file: &'a str,
    text: &'a str,
    /// Built at the first problem: a spec without any never pays for it.
    lines: std::cell::OnceCell<LineIndex<'a>>,
    found: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            lines: std::cell::OnceCell::new(),
            found: Vec::new(),
        }
    }

    /// Records a problem at `position`, with an optional fix.
    pub(crate) fn error(
        &mut self,
        position: Position,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.found.push(Diagnostic {
            help: help.map(|help| shorten(help, MAX_MESSAGE_CHARS)),
            source_line: self
                .lines
                .get_or_init(|| LineIndex::new(self.text))
                .excerpt(position)
                .map(Box::new),
            ..Diagnostic::new(Severity::Error, self.file, position, message)
        });
    }

    /// Ends collection: `Ok(value)` when nothing was found, else every problem in file order.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.found.is_empty() {
            Ok(value)
        } else {
            Err(self.into_diagnostics())
        }
    }

    /// Every problem found so far, in file order.
    pub(crate) fn into_diagnostics(mut self) -> Diagnostics {
        self.found.sort_by_key(|d| d.position);
        Diagnostics(self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_is_built_once_and_finds_every_line() {
        let text = "first\r\nsecond\n\nfourth";
        let index = LineIndex::new(text);
        // One start per line, found in one pass: a lookup never scans the text again.
        assert_eq!(index.starts, [0, 7, 14, 15]);
        let lines: Vec<Option<&str>> = (0..=5).map(|n| index.line(n)).collect();
        assert_eq!(
            lines,
            [
                None,
                Some("first"),
                Some("second"),
                Some(""),
                Some("fourth"),
                None
            ]
        );
        assert_eq!(LineIndex::new("a\n").line(2), None);
        assert_eq!(LineIndex::new("").line(1), None);
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let excerpt = Excerpt::around("    method: FETCH", 13);
        assert_eq!(excerpt.text, "    method: FETCH");
        assert_eq!(excerpt.caret, 12);
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("{}TARGET{}", "a".repeat(1000), "b".repeat(1000));
        let excerpt = Excerpt::around(&line, 1001);
        assert_eq!(excerpt.text.chars().count(), Excerpt::MAX_CHARS + 2);
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        let at: String = excerpt.text.chars().skip(excerpt.caret).take(6).collect();
        assert_eq!(at, "TARGET");
    }

    #[test]
    fn a_long_line_with_wide_characters_is_cut_on_character_boundaries() {
        let line = format!("{}TARGET{}", "é".repeat(1000), "ß".repeat(1000));
        let excerpt = Excerpt::around(&line, 1001);
        let at: String = excerpt.text.chars().skip(excerpt.caret).take(6).collect();
        assert_eq!(at, "TARGET");
        let at_end = Excerpt::around(&line, 2006);
        assert!(at_end.text.starts_with('…') && !at_end.text.ends_with('…'));
        assert_eq!(at_end.text.chars().nth(at_end.caret), Some('ß'));
        assert_eq!(at_end.text.chars().count(), Excerpt::MAX_CHARS + 1);
    }

    #[test]
    fn the_start_and_the_end_of_a_long_line_keep_one_marker() {
        let line = "x".repeat(500);
        let start = Excerpt::around(&line, 1);
        assert_eq!((start.text.chars().next(), start.caret), (Some('x'), 0));
        assert!(start.text.ends_with('…'));
        let past_end = Excerpt::around(&line, 10_000);
        assert!(past_end.text.starts_with('…') && !past_end.text.ends_with('…'));
        assert_eq!(past_end.caret, past_end.text.chars().count());
    }

    #[test]
    fn long_messages_are_shortened() {
        assert_eq!(shorten("abcdef".to_owned(), 3), "abc…");
        assert_eq!(shorten("abc".to_owned(), 3), "abc");
        assert_eq!(shorten("ééé".to_owned(), 2), "éé…");
    }
}
