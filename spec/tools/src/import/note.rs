//! What the importer tells its user about a page: warnings it carried on past ([`Note`]), and
//! the errors that stop it, each a [`Diagnostic`] at the page's `file:line`.

use std::fmt;

use pabbly_spec::{Diagnostic, Position, Severity};

/// Something missing, unusable or guessed on a page; the import carried on. A warning
/// [`Diagnostic`] at the page's line, with the sort of problem for grouping and counting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// What sort of problem.
    pub kind: NoteKind,
    /// Where on the page, the problem and what the importer did about it.
    pub diagnostic: Diagnostic,
}

impl Note {
    /// The 1-based line on the page.
    pub fn line(&self) -> u64 {
        self.diagnostic.position.line
    }
}

/// The sorts of [`Note`]; `check` and the summary count them by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// The page marks text that was not recovered (`<!-- not recovered: … -->`).
    NotRecovered,
    /// An example is cut off; what is there was used.
    Truncated,
    /// An example has comments, which JSON does not allow; they were skipped.
    Comments,
    /// An example has a comma before a closing bracket; it was skipped.
    TrailingComma,
    /// An example is not JSON even when forgiven; it was ignored.
    Unusable,
    /// The page shows no response; the response is `type: any`.
    NoResponse,
    /// A table comes from a secondary listing: required flags are not known.
    RequiredUnknown,
    /// A type name the importer does not know; the parameter is `type: any`.
    UnknownType,
    /// The table and the example disagree, or a table is missing; the importer reconciled them.
    Reconciled,
    /// Nesting guessed from one-level `↳` markers, or id-like keys read as a map.
    Structure,
    /// A row, section or value that cannot be used was left out.
    Skipped,
}

impl NoteKind {
    /// A short label for output.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::NotRecovered => "not recovered",
            NoteKind::Truncated => "truncated example",
            NoteKind::Comments => "commented example",
            NoteKind::TrailingComma => "trailing comma",
            NoteKind::Unusable => "unusable example",
            NoteKind::NoResponse => "no response",
            NoteKind::RequiredUnknown => "required unknown",
            NoteKind::UnknownType => "unknown type",
            NoteKind::Reconciled => "reconciled",
            NoteKind::Structure => "structure",
            NoteKind::Skipped => "skipped",
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.diagnostic, self.kind.label())
    }
}

/// Collects the notes of one page.
#[derive(Debug)]
pub(crate) struct Notes<'a> {
    file: &'a str,
    pub(crate) found: Vec<Note>,
}

impl<'a> Notes<'a> {
    pub(crate) fn new(file: &'a str) -> Self {
        Self {
            file,
            found: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, line: usize, kind: NoteKind, message: impl Into<String>) {
        let diagnostic = self.at(Severity::Warning, line, message);
        self.found.push(Note { kind, diagnostic });
    }

    /// The error that stops the import of the page (no heading, a broken table row).
    pub(crate) fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        self.at(Severity::Error, line, message)
    }

    fn at(&self, severity: Severity, line: usize, message: impl Into<String>) -> Diagnostic {
        let line = u64::try_from(line).unwrap_or(u64::MAX);
        Diagnostic::new(severity, self.file, Position { line, column: 0 }, message)
    }
}
