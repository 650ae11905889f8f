//! A doc page turned into a spec operation: id, method, path, summary, links, parameters,
//! response and examples, each decided from the page and every guess reported as a note.

use pabbly_spec::Diagnostic;
use pabbly_spec::ir::{Envelope, Method};
use pabbly_spec::naming;

use super::hoist::singular;
use super::infer::{infer, infer_response};
use super::json::{self, Json, Parsed};
use super::note::{NoteKind, Notes};
use super::page::{CodeBlock, Completeness, DocPage, ParamSection};
use super::params;
use super::reconcile::{fit_fields, missing_required};
use super::schema::{Field, Schema, Ty};

/// The operation a page describes, ready to be written as spec YAML or compared with the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The page's file name, written as `doc_page`.
    pub doc_page: String,
    /// How much of the page was recovered.
    pub completeness: Option<Completeness>,
    /// `resource.action`, from the page's canonical slug.
    pub id: String,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` placeholders.
    pub path: String,
    /// One line, from the title.
    pub summary: String,
    /// Link to the page on pabbly.com.
    pub docs: Option<String>,
    /// Path parameters in template order.
    pub path_params: Vec<Field>,
    /// Query parameters. When a page has body parameters too, the spec cannot hold both: the
    /// YAML keeps the ones the method usually takes and writes the others as a comment.
    pub query: Vec<Field>,
    /// Body parameters.
    pub body: Vec<Field>,
    /// What a successful call answers.
    pub response: DraftResponse,
    /// The example request as JSON text, when the page has a whole one that fits the tables.
    pub example_request: Option<String>,
    /// The example response as JSON text, when the page has a whole one.
    pub example_response: Option<String>,
    /// Deliberate differences from the page, as (location, reason): a shared type's fields
    /// that this page does not show (see [`hoist`](super::hoist())).
    pub overrides: Vec<(String, String)>,
}

/// The response a page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftResponse {
    /// The page shows no usable response.
    Unknown,
    /// The page's example shows this envelope and, unless it is `message`, this data.
    Known {
        /// How the body wraps the data.
        envelope: Envelope,
        /// The data's schema; `None` for the `message` envelope.
        data: Option<Schema>,
    },
}

/// Where the docs site serves the pages; the canonical path is relative to it.
const DOCS_SITE: &str = "https://www.pabbly.com";

/// Examples longer than this are written over several lines.
const ONE_LINE: usize = 100;

pub(crate) fn draft(
    page: &DocPage,
    doc_page: &str,
    notes: &mut Notes<'_>,
) -> Result<Draft, Diagnostic> {
    for cut in &page.cuts {
        notes.add(
            cut.line,
            NoteKind::NotRecovered,
            format!("the page lacks {}", cut.value),
        );
    }
    if let Some(table) = page.tables.iter().find(|t| t.secondary) {
        notes.add(
            table.line,
            NoteKind::RequiredUnknown,
            "parameters from a secondary listing: a parameter it does not call required is left optional",
        );
    }
    let id = operation_id(page, doc_page, notes);
    let path = page.path.replace("{{", "{").replace("}}", "}");
    let placeholders = match pabbly_spec::path_placeholders(&path) {
        Ok(names) => names.into_iter().map(str::to_owned).collect::<Vec<_>>(),
        Err(problem) => {
            return Err(notes.error(
                page.heading_line,
                format!("path \"{}\": {problem}", page.path),
            ));
        }
    };
    if path.starts_with("/api/") {
        notes.add(
            page.heading_line,
            NoteKind::Reconciled,
            format!("path \"{path}\" looks absolute; spec paths are relative to the base URL"),
        );
    }
    let wire_names = page
        .request_example
        .as_ref()
        .map(|block| example_keys(&block.text))
        .unwrap_or_default();
    let section = |which: ParamSection, notes: &mut Notes<'_>| {
        let tables: Vec<_> = page.tables.iter().filter(|t| t.section == which).collect();
        params::fields(&tables, &wire_names, notes)
    };
    let path_table = section(ParamSection::Path, notes)?;
    let path_params = path_params(path_table, &placeholders, page.heading_line, notes);
    let mut query = section(ParamSection::Query, notes)?;
    pages_are_integers(&mut query, notes);
    let mut body = section(ParamSection::Body, notes)?;
    if !query.is_empty() && !body.is_empty() {
        notes.add(
            page.heading_line,
            NoteKind::Reconciled,
            format!(
                "the page has query and body parameters; the spec takes one, so the {} ones are written as a comment",
                if sends_body(page.method) { "query" } else { "body" }
            ),
        );
    }
    let example_request = page
        .request_example
        .as_ref()
        .and_then(|block| request_example(block, &mut query, &mut body, notes));
    let (response, example_response) = response(page, notes);
    let mut draft = Draft {
        doc_page: doc_page.to_owned(),
        completeness: page.completeness,
        id,
        method: page.method,
        path,
        summary: summary(&page.title),
        docs: page
            .canonical
            .as_ref()
            .map(|c| format!("{DOCS_SITE}{}", c.value)),
        path_params,
        query,
        body,
        response,
        example_request,
        example_response,
        overrides: Vec::new(),
    };
    let line = page.heading_line;
    for fields in [&mut draft.path_params, &mut draft.query, &mut draft.body] {
        distinct_rust_names(fields, line, notes);
    }
    if let DraftResponse::Known {
        data: Some(data), ..
    } = &mut draft.response
    {
        distinct_rust_names_in(data, line, notes);
    }
    Ok(draft)
}

/// The tables type `page` and `limit` as strings; their values are integers (NOTES §5).
fn pages_are_integers(query: &mut [Field], notes: &mut Notes<'_>) {
    for field in query
        .iter_mut()
        .filter(|f| matches!(f.name.as_str(), "page" | "limit") && f.schema.ty == Ty::String)
    {
        field.schema.ty = Ty::Integer;
        if let Some(line) = field.line {
            notes.add(
                line,
                NoteKind::Reconciled,
                format!(
                    "`{}` is typed string; page and limit are integers (NOTES §5)",
                    field.name
                ),
            );
        }
    }
}

/// The top-level keys of an example request, if it reads as a JSON object.
fn example_keys(text: &str) -> Vec<String> {
    match json::parse(text, 1).map(|parsed| parsed.value) {
        Ok(Json::Object(entries, _)) => entries.into_iter().map(|(key, _)| key).collect(),
        _ => Vec::new(),
    }
}

/// Whether an operation with both kinds of parameters keeps its body ones (else its query ones).
pub(crate) fn sends_body(method: Method) -> bool {
    !matches!(method, Method::Get | Method::Delete)
}

/// `/subscription-billing/<section>/<title-slug>` → `section.title_slug`; without a canonical
/// link the file name (`section__title-slug.md`) or the path and title stand in.
fn operation_id(page: &DocPage, doc_page: &str, notes: &mut Notes<'_>) -> String {
    let from_canonical = page.canonical.as_ref().and_then(|c| {
        let parts: Vec<&str> = c.value.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [.., resource, action] if parts.len() >= 2 => {
                Some((resource.to_string(), action.to_string()))
            }
            _ => None,
        }
    });
    let (resource, action) = match from_canonical {
        Some(pair) => pair,
        None => {
            let from_file = doc_page
                .strip_suffix(".md")
                .and_then(|stem| stem.split_once("__"))
                .map(|(r, a)| (r.to_owned(), a.to_owned()));
            let pair = from_file.unwrap_or_else(|| {
                let first = page
                    .path
                    .split('/')
                    .find(|s| !s.is_empty() && !s.contains('{'))
                    .unwrap_or("api");
                (first.to_owned(), page.title.clone())
            });
            notes.add(
                page.heading_line,
                NoteKind::Reconciled,
                format!(
                    "no `> Canonical:` link; the id comes from {}",
                    if doc_page.contains("__") {
                        "the file name"
                    } else {
                        "the path and title"
                    }
                ),
            );
            pair
        }
    };
    let resource = naming::snake(&resource);
    format!(
        "{resource}.{}",
        action_name(&resource, &naming::snake(&action))
    )
}

/// The action without the resource it names (`licenses`, `create_license` → `create`;
/// `get_single_license` → `get`; `list_all_licenses` → `list`; `delete_license_code` →
/// `delete_code`): the resource in the singular or plural (its words, or them run together as
/// in `addons` for `add_on`), right after the verb or after its `single`/`all`, is dropped with
/// that `single`/`all`.
fn action_name(resource: &str, action: &str) -> String {
    let words: Vec<&str> = action.split('_').collect();
    let noun: Vec<&str> = resource.split('_').collect();
    let same = |word: &str, noun: &str| singular(word) == singular(noun);
    let start = 1 + usize::from(words.get(1).is_some_and(|w| matches!(*w, "single" | "all")));
    let run = |len: usize| -> bool {
        let Some(found) = words.get(start..start + len) else {
            return false;
        };
        if len == 1 && noun.len() > 1 {
            return same(found[0], &noun.concat());
        }
        found.iter().zip(&noun).enumerate().all(|(i, (w, n))| {
            if i + 1 == noun.len() {
                same(w, n)
            } else {
                w == n
            }
        })
    };
    match [noun.len(), 1].into_iter().find(|&len| run(len)) {
        Some(len) => {
            let kept: Vec<&str> = words[..1]
                .iter()
                .chain(&words[start + len..])
                .copied()
                .collect();
            kept.join("_")
        }
        _ => action.to_owned(),
    }
}

/// "Get single Plan by Plan ID" → "Get single plan by plan ID.": plain words, acronyms kept.
fn summary(title: &str) -> String {
    let words: Vec<String> = title
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let acronym = word.chars().filter(char::is_ascii_uppercase).count() > 1;
            if acronym {
                word.to_owned()
            } else if i == 0 {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| {
                        c.to_uppercase()
                            .chain(chars.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                word.to_lowercase()
            }
        })
        .collect();
    let mut summary = words.join(" ");
    if summary.is_empty() {
        summary = "Undocumented operation".to_owned();
    }
    if !summary.ends_with('.') {
        summary.push('.');
    }
    summary
}

/// The path's placeholders in order, typed from the table where it has them.
fn path_params(
    table: Vec<Field>,
    placeholders: &[String],
    line: usize,
    notes: &mut Notes<'_>,
) -> Vec<Field> {
    for field in &table {
        if !placeholders.contains(&field.name) {
            notes.add(
                field.line.unwrap_or(line),
                NoteKind::Skipped,
                format!(
                    "path parameter `{}` is not in the path; left out",
                    field.name
                ),
            );
        }
    }
    placeholders
        .iter()
        .map(|name| match table.iter().find(|f| f.name == *name) {
            Some(field) => {
                let mut field = field.clone();
                if !matches!(field.schema.ty, Ty::String | Ty::Integer) {
                    notes.add(
                        field.line.unwrap_or(line),
                        NoteKind::Reconciled,
                        format!(
                            "path parameter `{name}` is typed {}; a path parameter is a string",
                            field.schema.describe()
                        ),
                    );
                    field.schema = Schema::of(Ty::String);
                }
                // Path parameters are always required, whatever a secondary listing says.
                field.required = Some(true);
                field
            }
            None => {
                notes.add(
                    line,
                    NoteKind::Reconciled,
                    format!("path placeholder `{name}` has no table row; added as a string"),
                );
                Field::new(name.clone(), Schema::of(Ty::String), Some(true))
            }
        })
        .collect()
}

/// Reads a JSON example, reporting comments, trailing commas and what makes it unusable.
fn read_example(block: &CodeBlock, which: &str, notes: &mut Notes<'_>) -> Option<Parsed> {
    match json::parse(&block.text, block.line) {
        Ok(parsed) => {
            if let Some(first) = parsed.comment_lines.first() {
                notes.add(
                    *first,
                    NoteKind::Comments,
                    format!("the example {which} has comments (not JSON) on line(s) {}; read without them", join_lines(&parsed.comment_lines)),
                );
            }
            if let Some(first) = parsed.trailing_commas.first() {
                notes.add(
                    *first,
                    NoteKind::TrailingComma,
                    format!(
                        "the example {which} has a trailing comma on line(s) {}; read without it",
                        join_lines(&parsed.trailing_commas)
                    ),
                );
            }
            Some(parsed)
        }
        Err(error) => {
            notes.add(
                error.line,
                NoteKind::Unusable,
                format!(
                    "the example {which} is not JSON ({}); ignored",
                    error.message
                ),
            );
            None
        }
    }
}

fn join_lines(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fits the tables to a whole example request and returns the example to copy, if it fits.
fn request_example(
    block: &CodeBlock,
    query: &mut Vec<Field>,
    body: &mut Vec<Field>,
    notes: &mut Notes<'_>,
) -> Option<String> {
    let parsed = read_example(block, "request", notes)?;
    if let Some(cut) = parsed.cut_at {
        notes.add(
            cut,
            NoteKind::Truncated,
            format!("the example request is cut off at line {cut}; not used"),
        );
        return None;
    }
    let Json::Object(entries, _) = &parsed.value else {
        notes.add(
            block.line,
            NoteKind::Unusable,
            "the example request is not a JSON object; ignored",
        );
        return None;
    };
    let (target, at) = if !query.is_empty() && body.is_empty() {
        (query, "query")
    } else {
        (body, "body")
    };
    if target.is_empty() {
        notes.add(
            block.line,
            NoteKind::Reconciled,
            "no parameter table: the body parameters are taken from the example request, all optional",
        );
        for (key, value) in entries {
            if target.iter().all(|f| f.name != *key) {
                let mut schema = infer(value);
                schema.nullable = false;
                target.push(Field::new(key.clone(), schema, Some(false)));
            }
        }
    } else {
        fit_fields(target, entries, at, block.line, notes);
    }
    if let Some(missing) = missing_required(target, entries, at) {
        notes.add(
            block.line,
            NoteKind::Reconciled,
            format!(
                "the example request lacks the required `{missing}`; the example is not copied"
            ),
        );
        return None;
    }
    copyable(&parsed.value, "request", block.line, notes).then(|| render(&parsed.value))
}

fn response(page: &DocPage, notes: &mut Notes<'_>) -> (DraftResponse, Option<String>) {
    let Some(block) = &page.response_example else {
        let why = if page.completeness == Some(Completeness::Stub) {
            "the page is a stub"
        } else {
            "the page has none"
        };
        notes.add(
            page.heading_line,
            NoteKind::NoResponse,
            format!("no response example ({why}); the response is `type: any`"),
        );
        return (DraftResponse::Unknown, None);
    };
    let Some(parsed) = read_example(block, "response", notes) else {
        return (DraftResponse::Unknown, None);
    };
    if let Some(cut) = parsed.cut_at {
        notes.add(
            cut,
            NoteKind::Truncated,
            format!("the example response is cut off at line {cut}; the schema covers what is there and the example is not copied"),
        );
    }
    let Some((envelope, data)) = infer_response(&parsed.value) else {
        notes.add(
            block.line,
            NoteKind::NoResponse,
            "the example response is cut off before it shows its envelope; the response is `type: any`",
        );
        return (DraftResponse::Unknown, None);
    };
    let data = data.map(|mut data| {
        // `required`/`nullable` belong to fields; the response's data is not one.
        data.nullable = false;
        mark_cut(&mut data);
        data
    });
    let has_status = matches!(&parsed.value, Json::Object(entries, _) if entries.iter().any(|(k, _)| k == "status"));
    let example = if parsed.cut_at.is_some() {
        None
    } else if envelope != Envelope::Bare && !has_status {
        notes.add(
            block.line,
            NoteKind::Reconciled,
            "the example response has no `status`, which the spec's envelope check needs; not copied",
        );
        None
    } else {
        copyable(&parsed.value, "response", block.line, notes).then(|| render(&parsed.value))
    };
    (DraftResponse::Known { envelope, data }, example)
}

/// The spec's YAML refuses repeated keys, so an example with one is not copied.
fn copyable(value: &Json, which: &str, line: usize, notes: &mut Notes<'_>) -> bool {
    fn repeated(value: &Json) -> Option<&str> {
        match value {
            Json::Object(entries, _) => entries
                .iter()
                .enumerate()
                .find(|(i, (k, _))| entries[..*i].iter().any(|(seen, _)| seen == k))
                .map(|(_, (k, _))| k.as_str())
                .or_else(|| entries.iter().find_map(|(_, v)| repeated(v))),
            Json::Array(items, _) => items.iter().find_map(repeated),
            _ => None,
        }
    }
    match repeated(value) {
        Some(key) => {
            notes.add(
                line,
                NoteKind::Skipped,
                format!("the example {which} repeats the key \"{key}\"; not copied"),
            );
            false
        }
        None => true,
    }
}

fn render(value: &Json) -> String {
    let compact = value.to_compact();
    if compact.chars().count() <= ONE_LINE {
        compact
    } else {
        value.to_pretty()
    }
}

/// Says on each object the example was cut inside that its field list is partial.
fn mark_cut(schema: &mut Schema) {
    match &mut schema.ty {
        Ty::Object(fields) => {
            for field in fields.iter_mut() {
                mark_cut(&mut field.schema);
            }
            if !schema.complete {
                let note = "The docs' example is cut off here; further fields are not known.";
                schema.description = Some(match schema.description.take() {
                    Some(text) => format!("{text} {note}"),
                    None => note.to_owned(),
                });
            }
        }
        Ty::Array(inner) | Ty::Map(inner) => mark_cut(inner),
        _ => {}
    }
}

fn distinct_rust_names_in(schema: &mut Schema, line: usize, notes: &mut Notes<'_>) {
    match &mut schema.ty {
        Ty::Object(fields) => distinct_rust_names(fields, line, notes),
        Ty::Array(inner) | Ty::Map(inner) => distinct_rust_names_in(inner, line, notes),
        _ => {}
    }
}

/// Fields whose names have the same snake_case (`createdAt`, `created_at`), or the name of a
/// member every generated struct has (`new`, `extra`), get a `rust_name`, which lowering would
/// otherwise demand.
fn distinct_rust_names(fields: &mut [Field], line: usize, notes: &mut Notes<'_>) {
    let mut taken: Vec<String> = naming::RESERVED_FIELD_NAMES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    for field in fields.iter_mut() {
        distinct_rust_names_in(&mut field.schema, line, notes);
        let natural = naming::snake(&field.name);
        let mut name = natural.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{natural}_{n}");
            n += 1;
        }
        if name != natural {
            notes.add(
                field.line.unwrap_or(line),
                NoteKind::Structure,
                format!(
                    "`{}` would be `{natural}` in Rust like an earlier field; named `{name}`",
                    field.name
                ),
            );
            field.rust_name = Some(name.clone());
        }
        taken.push(name);
    }
}
