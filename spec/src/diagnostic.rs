//! Problems found in a spec, each tied to a file position, collected rather than thrown.

use std::fmt;

/// A 1-based line and column in the spec file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line; 0 when the position is unknown.
    pub line: u64,
    /// 1-based column; 0 when the position is unknown.
    pub column: u64,
}

impl Position {
    /// Takes the position out of a serde-saphyr location.
    pub fn from_location(location: serde_saphyr::Location) -> Self {
        Self {
            line: location.line(),
            column: location.column(),
        }
    }
}

/// One problem in a spec: where it is, what is wrong and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the user named it.
    pub file: String,
    /// Where in the file the problem is.
    pub position: Position,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when there is a useful suggestion.
    pub help: Option<String>,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Position { line, column } = self.position;
        if line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(f, "{}:{line}:{column}: {}", self.file, self.message)?;
        }
        if let Some(source) = &self.source_line {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret = " ".repeat(usize::try_from(column.saturating_sub(1)).unwrap_or(0));
            write!(f, "\n{pad} |\n{gutter} | {source}\n{pad} | {caret}^")?;
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

/// Gathers diagnostics for one file (serde_derive's `Ctxt`, but for YAML positions).
#[derive(Debug)]
pub(crate) struct Collector<'a> {
    file: &'a str,
    text: &'a str,
    found: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
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
        let source_line = usize::try_from(position.line)
            .ok()
            .and_then(|line| line.checked_sub(1))
            .and_then(|index| self.text.lines().nth(index))
            .map(str::to_owned);
        self.found.push(Diagnostic {
            file: self.file.to_owned(),
            position,
            message: message.into(),
            help,
            source_line,
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
