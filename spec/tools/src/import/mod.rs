//! Importing Pabbly's doc pages into the spec, and checking the spec against them for drift.
//!
//! # Import
//! [`import_page`] reads one page (`spec/docs/<section>__<title-slug>.md`, the format described
//! in the docs' `NOTES.md`) into a [`DocPage`], drafts the operation it describes ([`Draft`]) and
//! [`to_yaml`] writes that as a spec entry to paste under `operations:`:
//!
//! - the id is `<section>.<action>` from the canonical link, the action without the resource it
//!   names (`licenses/create-license` → `licenses.create`, `list-all-licenses` → `list`;
//!   a person may still rename it), the summary is the title in plain words, `docs` links the
//!   page on pabbly.com and `doc_page` names the file;
//! - parameters come from the tables: type names mapped to the spec's types (unknown ones become
//!   `any`), facts in the Description column ("integer; default 50; min 1; max 100",
//!   "an integer: default 10", "one of: a, b", "format yyyy-mm-dd") to type, default, enum and
//!   description (one sentence; "e.g." ends none), `↳` rows to nested `fields` (or a `map` when
//!   the nested names are ids); `page` and `limit` are integers whatever the table says
//!   (NOTES §5); a row named by a label (`Plan ID`) is matched to the wire name it spells in the
//!   example request (`plan_id`); in a table from secondary sources `No` means "not known to be
//!   required" and is left unset;
//! - a whole example request is copied and the tables are fitted to it (a value the table calls
//!   `string` but sent as a number makes the parameter lenient);
//! - the response schema and envelope are inferred from the example response (see `infer`); a
//!   cut-off example still gives the fields it shows, its cut objects are marked open and the
//!   example itself is not copied; without an example the response is `type: any`;
//! - pages imported together ([`to_spec_yaml`]) share a named type for an object they repeat
//!   ([`hoist`]), written first to paste under `types:`.
//!
//! Incomplete pages are normal: everything missing, cut, guessed or left out is a [`Note`] with
//! the page's `file:line`. A page that cannot be read (no `# METHOD /path — Title` heading, a
//! broken table row) is an error [`Diagnostic`].
//!
//! # Check
//! [`check`] compares every operation that names a `doc_page` with the operation drafted from
//! that page today (see `drift` for what is compared and how locations are written). Only
//! linked operations are compared: an operation without `doc_page` is listed as unchecked, and
//! a page no operation names is listed as an endpoint the spec does not have. Those pages count
//! as drift only in strict mode (`check --strict`), because the project imports the API page by
//! page: the spec is in step when what it covers matches the docs, and `--strict` asks whether
//! it covers everything. A linked page that is gone is always drift (endpoint removed).
//!
//! Deliberate differences are recorded on the operation as
//! `overrides: [{ at: query.limit, reason: … }]`; drift at that location or below it is not
//! reported, and an override that silences nothing is reported as a note.
//!
//! # Limitations
//! The pages mark one level of `↳` nesting, so deeper nesting is guessed (an object row owns
//! the plain rows after it). Response scalar types are inferred from one example and not
//! compared. Fields missing from a cut-off object are never reported as removed. Parameters
//! missing from a page whose table was cut are reported as removed; override them.

mod draft;
mod drift;
mod emit;
mod hoist;
mod infer;
mod json;
mod note;
mod page;
mod params;
mod reconcile;
mod schema;
#[cfg(test)]
mod tests;

pub use draft::{Draft, DraftResponse};
pub use drift::{Change, Drift, OperationReport, Report, Uncovered, check, check_api, compare};
pub use emit::{to_spec_yaml, to_yaml};
pub use hoist::{NamedType, hoist};
pub use note::{Note, NoteKind};
pub use page::{CodeBlock, Completeness, DocPage, Located, ParamRow, ParamSection, ParamTable};
pub use schema::{Field, Schema, Ty};

use note::Notes;
use pabbly_spec::Diagnostic;

/// A page's operation and what the importer had to say about the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The operation.
    pub draft: Draft,
    /// Everything missing, cut, guessed or left out, in the order found.
    pub notes: Vec<Note>,
}

/// Imports one page. `file` names the page in notes and errors (as the user gave it); its last
/// path component becomes `doc_page`.
///
/// # Errors
/// When the page has no usable heading, a malformed table or a path that cannot be a template.
pub fn import_page(text: &str, file: &str) -> Result<Imported, Diagnostic> {
    let mut notes = Notes::new(file);
    let page = page::parse(text, &mut notes)?;
    let doc_page = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let draft = draft::draft(&page, doc_page, &mut notes)?;
    let mut notes = notes.found;
    notes.sort_by_key(|n| n.line());
    Ok(Imported { draft, notes })
}
