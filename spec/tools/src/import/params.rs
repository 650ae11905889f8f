//! Parameter tables to fields: type names mapped to the spec's types, the Description column's
//! facts ("integer; default 50; min 1; max 100", "one of: a, b", "format yyyy-mm-dd") turned
//! into type, default and enum, and `↳` rows nested under their parent.
//!
//! The pages mark one level of nesting only (`↳ name`), so a `↳` row of type `object` is taken
//! to own the plain `↳` rows after it (as `addons → <addon id> → checked`); more levels can be
//! written `↳ ↳ name`. Children whose names are all ids make their parent a map.

use pabbly_spec::naming;

use super::note::{NoteKind, Notes};
use super::page::{ParamRow, ParamTable};
use super::schema::{Field, Schema, Ty, is_id_like};
use pabbly_spec::Diagnostic;

/// The fields of one section (path, query or body), from all its tables in page order.
/// `wire_names` are the keys of the page's example request: a row named by a label (`Plan ID`)
/// is matched to the one of them it spells (`plan_id`).
pub(crate) fn fields(
    tables: &[&ParamTable],
    wire_names: &[String],
    notes: &mut Notes<'_>,
) -> Result<Vec<Field>, Diagnostic> {
    let rows: Vec<&ParamRow> = tables.iter().flat_map(|t| t.rows.iter()).collect();
    let nodes = nest(&rows, notes)?;
    Ok(to_fields(nodes, wire_names, notes))
}

/// A row and the rows nested under it.
struct Node<'r> {
    row: &'r ParamRow,
    children: Vec<Node<'r>>,
}

fn nest<'r>(rows: &[&'r ParamRow], notes: &mut Notes<'_>) -> Result<Vec<Node<'r>>, Diagnostic> {
    let explicit = rows.iter().any(|r| r.depth > 1);
    let mut roots: Vec<Node<'r>> = Vec::new();
    // Under the current top-level row, the last `↳` object row, which takes the plain `↳` rows.
    let mut open_object: Option<&str> = None;
    let mut guessed: Vec<&str> = Vec::new();
    for row in rows {
        let depth = if explicit || row.depth == 0 {
            row.depth
        } else if row.type_name == "object" {
            open_object = Some(&row.name);
            1
        } else if let Some(owner) = open_object {
            if !guessed.contains(&owner) {
                guessed.push(owner);
                notes.add(
                    row.line,
                    NoteKind::Structure,
                    format!("`{}` and the `↳` rows after it are taken as fields of `{owner}` (the page marks one level only)", row.name),
                );
            }
            2
        } else {
            1
        };
        if depth == 0 {
            open_object = None;
        }
        let mut siblings = &mut roots;
        for _ in 0..depth {
            match siblings.last_mut() {
                Some(parent) => siblings = &mut parent.children,
                None => {
                    return Err(notes.error(
                        row.line,
                        format!("nested row `{}` has no parent row above it", row.name),
                    ));
                }
            }
        }
        siblings.push(Node {
            row,
            children: Vec::new(),
        });
    }
    Ok(roots)
}

fn to_fields(nodes: Vec<Node<'_>>, wire_names: &[String], notes: &mut Notes<'_>) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut labels: Vec<&ParamRow> = Vec::new();
    for node in nodes {
        let row = node.row;
        if row.name.contains(char::is_whitespace) {
            labels.push(row);
            continue;
        }
        if fields.iter().any(|f| f.name == row.name) {
            notes.add(
                row.line,
                NoteKind::Skipped,
                format!("`{}` is listed twice; the first row counts", row.name),
            );
            continue;
        }
        let mut schema = row_schema(row, notes);
        let children = to_fields(node.children, &[], notes);
        attach_children(&mut schema, children, row, notes);
        fields.push(Field {
            name: row.name.clone(),
            schema,
            required: row.required,
            rust_name: None,
            line: Some(row.line),
        });
    }
    for row in labels {
        label_row(&mut fields, row, wire_names, notes);
    }
    fields
}

/// A row named by a label (`Plan ID`, NOTES §11) describes the parameter whose wire name it
/// spells in snake_case: it fills in that row's description, or becomes the parameter when only
/// the example request has it. The parameter's own row keeps its Required flag. A label that
/// spells no parameter is skipped.
fn label_row(
    fields: &mut Vec<Field>,
    row: &ParamRow,
    wire_names: &[String],
    notes: &mut Notes<'_>,
) {
    let wire = naming::snake(&row.name);
    // The label's own remark in parentheses ("row name as listed; …") is about the table.
    let description = match row.description.trim_end().rsplit_once(" (") {
        Some((text, remark)) if remark.ends_with(')') || remark.ends_with(").") => text,
        _ => row.description.as_str(),
    };
    let schema = row_schema(
        &ParamRow {
            description: description.to_owned(),
            ..row.clone()
        },
        notes,
    );
    if let Some(field) = fields.iter_mut().find(|f| f.name == wire) {
        if field.schema.description.is_none() {
            field.schema.description = schema.description;
        }
        let conflict = match (row.required, field.required) {
            (Some(label), Some(own)) if label != own => format!(
                "; it says {}, the `{wire}` row {}, which counts",
                if label { "required" } else { "optional" },
                if own { "required" } else { "optional" },
            ),
            _ => String::new(),
        };
        notes.add(
            row.line,
            NoteKind::Reconciled,
            format!(
                "\"{}\" is a label for `{wire}`; read as its description{conflict}",
                row.name
            ),
        );
    } else if wire_names.contains(&wire) {
        notes.add(
            row.line,
            NoteKind::Reconciled,
            format!(
                "\"{}\" is a label; named `{wire}` after the example request",
                row.name
            ),
        );
        fields.push(Field {
            name: wire,
            schema,
            required: row.required,
            rust_name: None,
            line: Some(row.line),
        });
    } else {
        notes.add(
            row.line,
            NoteKind::Skipped,
            format!(
                "\"{}\" is not a parameter name (it has spaces) and names no field of the example; row skipped",
                row.name
            ),
        );
    }
}

/// Gives a row's nested rows to its schema: object fields, array items of objects, or map
/// values when the children are named by ids.
fn attach_children(
    schema: &mut Schema,
    children: Vec<Field>,
    row: &ParamRow,
    notes: &mut Notes<'_>,
) {
    if children.is_empty() {
        if let Ty::Object(_) = schema.ty {
            // An object without fields is not a type the spec can name.
            schema.ty = Ty::Any;
            push_sentence(
                &mut schema.description,
                "An object; the docs list no fields.",
            );
        }
        return;
    }
    let inner = if children.iter().all(|c| is_id_like(&c.name)) {
        notes.add(
            row.line,
            NoteKind::Structure,
            format!(
                "the nested rows of `{}` are named by ids: read as a map keyed by id",
                row.name
            ),
        );
        Ty::Map(Box::new(merge_values(children)))
    } else {
        Ty::Object(children)
    };
    match &mut schema.ty {
        Ty::Array(items) => items.ty = inner,
        Ty::Object(_) => schema.ty = inner,
        other => {
            notes.add(
                row.line,
                NoteKind::Reconciled,
                format!(
                    "`{}` is a {} with nested rows; taken as an object",
                    row.name,
                    other.name()
                ),
            );
            schema.ty = inner;
            schema.lenient = false;
            schema.values.clear();
        }
    }
}

/// One schema for the values of an id-keyed map: the union of the example entries' fields.
fn merge_values(children: Vec<Field>) -> Schema {
    let mut merged: Option<Schema> = None;
    for child in children {
        match (&mut merged, child.schema) {
            (None, schema) => merged = Some(schema),
            (
                Some(Schema {
                    ty: Ty::Object(into),
                    ..
                }),
                Schema {
                    ty: Ty::Object(more),
                    ..
                },
            ) => {
                for field in more {
                    if !into.iter().any(|f| f.name == field.name) {
                        into.push(field);
                    }
                }
            }
            (Some(_), _) => {}
        }
    }
    merged.unwrap_or_else(|| Schema::of(Ty::Any))
}

/// The schema one row states: its Type column refined by its Description column.
fn row_schema(row: &ParamRow, notes: &mut Notes<'_>) -> Schema {
    let mut ty = match row.type_name.as_str() {
        "string" | "str" | "text" => Ty::String,
        "integer" | "int" | "long" => Ty::Integer,
        "number" | "float" | "double" | "decimal" => Ty::Number,
        "boolean" | "bool" => Ty::Boolean,
        "object" | "json" => Ty::Object(Vec::new()),
        "array" | "list" => Ty::Array(Box::new(Schema::of(Ty::Any))),
        "date" => Ty::Date,
        "date-time" | "datetime" | "timestamp" => Ty::DateTime,
        "any" => Ty::Any,
        other => {
            notes.add(
                row.line,
                NoteKind::UnknownType,
                format!("unknown type \"{other}\" for `{}`; using `any`", row.name),
            );
            Ty::Any
        }
    };
    let facts = Facts::read(&row.description);
    if let Some(hint) = facts.type_hint {
        // The tables call most scalars `string` and give the real type in the description.
        if matches!(
            ty,
            Ty::String | Ty::Integer | Ty::Number | Ty::Boolean | Ty::Any
        ) {
            ty = hint;
        }
    }
    let mut format = None;
    match facts.format.as_deref() {
        Some("date") if matches!(ty, Ty::String | Ty::Any) => ty = Ty::Date,
        Some("date-time") if matches!(ty, Ty::String | Ty::Any) => ty = Ty::DateTime,
        Some(f @ ("url" | "email")) if ty == Ty::String => format = Some(f.to_owned()),
        _ => {}
    }
    let mut schema = Schema::of(ty);
    schema.format = format;
    let mut description = facts.prose;
    if !facts.values.is_empty() {
        if schema.ty == Ty::String {
            schema.values = valid_enum_values(facts.values, row, notes);
        } else {
            push_sentence(
                &mut description,
                &format!("One of: {}.", facts.values.join(", ")),
            );
        }
    }
    if let Some(raw) = facts.default {
        match default_value(&raw, &schema.ty) {
            Some(value) if !facts.default_in_prose || schema.ty == Ty::Integer => {
                schema.default = Some(value);
            }
            Some(_) => {}
            None if facts.default_in_prose => {}
            None => push_sentence(&mut description, &format!("Default {raw}.")),
        }
    }
    if !facts.limits.is_empty() {
        let limits = facts.limits.join(", ");
        let mut chars = limits.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        push_sentence(&mut description, &format!("{capital}."));
    }
    schema.description = description;
    schema
}

/// Enum values lowering can name: not empty, not `Unknown`, no two alike in PascalCase.
fn valid_enum_values(values: Vec<String>, row: &ParamRow, notes: &mut Notes<'_>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        let variant = naming::pascal(&value);
        if variant == "_"
            || variant == "Unknown"
            || kept.iter().any(|k| naming::pascal(k) == variant)
        {
            notes.add(
                row.line,
                NoteKind::Skipped,
                format!(
                    "enum value \"{value}\" of `{}` cannot be a Rust variant; left out",
                    row.name
                ),
            );
        } else {
            kept.push(value);
        }
    }
    kept
}

fn default_value(raw: &str, ty: &Ty) -> Option<serde_json::Value> {
    match ty {
        Ty::Integer => raw.parse::<i64>().ok().map(serde_json::Value::from),
        Ty::Number => raw.parse::<f64>().ok().map(serde_json::Value::from),
        Ty::Boolean => raw.parse::<bool>().ok().map(serde_json::Value::from),
        _ => Some(serde_json::Value::from(raw.trim_matches(['"', '\'', '`']))),
    }
}

/// The facts a Description cell states, split on `;`.
#[derive(Debug, Default, PartialEq)]
struct Facts {
    type_hint: Option<Ty>,
    default: Option<String>,
    limits: Vec<String>,
    values: Vec<String>,
    format: Option<String>,
    prose: Option<String>,
    /// The default was read from the prose, which keeps saying it.
    default_in_prose: bool,
}

impl Facts {
    fn read(description: &str) -> Self {
        let mut facts = Facts::default();
        let mut prose: Vec<&str> = Vec::new();
        for (i, part) in description.split(';').map(str::trim).enumerate() {
            let lower = part.to_ascii_lowercase();
            let after = |prefixes: &[&str]| {
                prefixes
                    .iter()
                    .find_map(|p| lower.strip_prefix(p).map(|_| part[p.len()..].trim()))
            };
            if part.is_empty() {
                continue;
            } else if let (0, Some(ty)) = (i, scalar_word(&lower)) {
                facts.type_hint = Some(ty);
            } else if let Some(value) = after(&["default:", "default "]) {
                facts.default = Some(value.to_owned());
            } else if lower.starts_with("min ")
                || lower.starts_with("max ")
                || lower.starts_with("minimum")
                || lower.starts_with("maximum")
            {
                facts.limits.push(part.to_owned());
            } else if let Some(list) =
                after(&["one of:", "one of ", "values:", "allowed values:", "enum:"])
            {
                // The list ends with its sentence: "One of `a`, `b`. Gateways … use `a`."
                let list = list.split(". ").next().unwrap_or(list);
                facts.values = list
                    .split(',')
                    .map(|v| {
                        let v = v.trim();
                        let v = v.strip_prefix("or ").unwrap_or(v);
                        v.trim_end_matches('.')
                            .trim_matches(['`', '"', '\''])
                            .to_owned()
                    })
                    .filter(|v| !v.is_empty())
                    .collect();
            } else if let Some(format) = after(&["format:", "format "]) {
                facts.format = Some(match format.to_ascii_lowercase().as_str() {
                    "yyyy-mm-dd" | "date" => "date".to_owned(),
                    "date-time" | "datetime" | "iso 8601" | "iso-8601" | "rfc 3339" => {
                        "date-time".to_owned()
                    }
                    "url" | "uri" => "url".to_owned(),
                    "email" => "email".to_owned(),
                    _ => {
                        prose.push(part);
                        continue;
                    }
                });
            } else {
                prose.push(part);
            }
        }
        let prose = prose.join("; ");
        // Facts stated in a sentence: "Page size, an integer: default 50, range 1–100."
        let lower = prose.to_ascii_lowercase();
        if facts.type_hint.is_none() && lower.contains("an integer") {
            facts.type_hint = Some(Ty::Integer);
        }
        if facts.default.is_none() {
            facts.default = lower.split("default ").nth(1).and_then(|rest| {
                let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
                (!number.is_empty()).then_some(number)
            });
            facts.default_in_prose = facts.default.is_some();
        }
        facts.prose = shorten(&prose);
        facts
    }
}

fn scalar_word(word: &str) -> Option<Ty> {
    match word {
        "string" => Some(Ty::String),
        "integer" => Some(Ty::Integer),
        "number" => Some(Ty::Number),
        "boolean" => Some(Ty::Boolean),
        _ => None,
    }
}

/// A description cut to its first sentence and at most about a line, ending in a full stop.
pub(crate) fn shorten(text: &str) -> Option<String> {
    const LIMIT: usize = 120;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sentence = match sentence_end(&text) {
        Some(end) => text[..=end].to_owned(),
        None => text,
    };
    if sentence.is_empty() {
        return None;
    }
    if sentence.chars().count() > LIMIT {
        let cut: String = sentence.chars().take(LIMIT).collect();
        let cut = cut
            .rsplit_once(' ')
            .map_or(cut.as_str(), |(head, _)| head)
            .to_owned();
        sentence = format!("{}…", cut.trim_end_matches([',', ';', ':']));
    } else if !sentence.ends_with(['.', '!', '?', '…']) {
        sentence.push('.');
    }
    Some(sentence)
}

/// The byte index of the full stop that ends the first sentence, if another one follows; the
/// stop of an abbreviation ("e.g. `active`") ends none.
fn sentence_end(text: &str) -> Option<usize> {
    const ABBREVIATIONS: [&str; 6] = ["e.g.", "i.e.", "etc.", "vs.", "approx.", "no."];
    text.match_indices(". ").map(|(i, _)| i).find(|&i| {
        let word = text[..=i].rsplit(' ').next().unwrap_or_default();
        !ABBREVIATIONS.contains(&word.trim_start_matches('(').to_ascii_lowercase().as_str())
    })
}

fn push_sentence(description: &mut Option<String>, sentence: &str) {
    match description {
        Some(text) => {
            text.push(' ');
            text.push_str(sentence);
        }
        None => *description = Some(sentence.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::page::ParamSection;

    fn row(
        line: usize,
        name: &str,
        type_name: &str,
        required: Option<bool>,
        description: &str,
    ) -> ParamRow {
        let depth = name.matches('↳').count();
        ParamRow {
            line,
            depth,
            name: name.trim_start_matches(['↳', ' ']).to_owned(),
            type_name: type_name.to_owned(),
            required,
            description: description.to_owned(),
        }
    }

    fn table(rows: Vec<ParamRow>) -> ParamTable {
        ParamTable {
            section: ParamSection::Body,
            line: 1,
            secondary: false,
            rows,
        }
    }

    fn run(rows: Vec<ParamRow>) -> (Vec<Field>, Vec<crate::import::Note>) {
        let mut notes = Notes::new("t.md");
        let table = table(rows);
        let fields = fields(&[&table], &[], &mut notes).expect("rows nest");
        (fields, notes.found)
    }

    #[test]
    fn every_type_name_maps() {
        let names = [
            "string", "integer", "number", "boolean", "object", "array", "date", "datetime",
            "float", "bool", "widget",
        ];
        let rows = names
            .iter()
            .enumerate()
            .map(|(i, t)| row(i + 1, &format!("f{i}"), t, Some(false), ""))
            .collect();
        let (fields, notes) = run(rows);
        let types: Vec<_> = fields.iter().map(|f| f.schema.type_name()).collect();
        assert_eq!(
            types,
            [
                "string",
                "integer",
                "number",
                "boolean",
                "any",
                "array",
                "date",
                "date-time",
                "number",
                "boolean",
                "any"
            ]
        );
        assert_eq!(
            fields[4].schema.description.as_deref(),
            Some("An object; the docs list no fields.")
        );
        let Ty::Array(items) = &fields[5].schema.ty else {
            panic!("an array")
        };
        assert_eq!(items.ty, Ty::Any);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].line(), notes[0].kind),
            (11, NoteKind::UnknownType)
        );
    }

    #[test]
    fn description_facts_become_type_default_enum_and_limits() {
        let (fields, _) = run(vec![
            row(
                1,
                "limit",
                "string",
                Some(false),
                "integer; default 50; min 1; max 100",
            ),
            row(
                2,
                "status",
                "string",
                Some(false),
                "one of: live, pending, cancelled",
            ),
            row(3, "period", "string", Some(true), "values: m, y, w"),
            row(4, "start_date", "string", None, "format yyyy-mm-dd"),
            row(5, "count", "integer", None, "one of: 1, 2"),
            row(
                6,
                "redirect_url",
                "string",
                None,
                "Enter the Url where you want to redirect your customer. More text here.",
            ),
        ]);
        let limit = &fields[0].schema;
        assert_eq!(limit.ty, Ty::Integer);
        assert_eq!(limit.default, Some(serde_json::Value::from(50)));
        assert_eq!(limit.description.as_deref(), Some("Min 1, max 100."));
        assert_eq!(fields[1].schema.values, ["live", "pending", "cancelled"]);
        assert_eq!(fields[2].schema.values, ["m", "y", "w"]);
        assert_eq!(fields[2].required, Some(true));
        assert_eq!(fields[3].schema.ty, Ty::Date);
        assert_eq!(fields[3].required, None);
        assert!(
            fields[4].schema.values.is_empty(),
            "enum applies to strings only"
        );
        assert_eq!(
            fields[4].schema.description.as_deref(),
            Some("One of: 1, 2.")
        );
        assert_eq!(
            fields[5].schema.description.as_deref(),
            Some("Enter the Url where you want to redirect your customer.")
        );
    }

    #[test]
    fn nested_rows_become_fields_and_id_rows_a_map() {
        let (fields, notes) = run(vec![
            row(1, "billing_address", "object", Some(false), ""),
            row(2, "↳ city", "string", Some(false), ""),
            row(3, "↳ zip_code", "string", Some(true), ""),
            row(4, "addons", "object", Some(false), ""),
            row(5, "↳ 5e3aac363c92e44b424b6dfc", "object", Some(false), ""),
            row(6, "↳ checked", "boolean", Some(false), ""),
            row(7, "↳ quantity", "integer", Some(false), ""),
            row(8, "↳ 5e3aac9424b63d4b28410d4e", "object", Some(false), ""),
            row(9, "↳ checked", "boolean", Some(false), ""),
            row(10, "email_id", "string", Some(false), ""),
        ]);
        let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["billing_address", "addons", "email_id"]);
        let Ty::Object(address) = &fields[0].schema.ty else {
            panic!("an object")
        };
        assert_eq!(
            address.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["city", "zip_code"]
        );
        assert_eq!(address[1].required, Some(true));
        let Ty::Map(values) = &fields[1].schema.ty else {
            panic!("a map: {:?}", fields[1].schema)
        };
        let Ty::Object(entry) = &values.ty else {
            panic!("map of objects")
        };
        assert_eq!(
            entry.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["checked", "quantity"]
        );
        let kinds: Vec<_> = notes.iter().map(|n| (n.line(), n.kind)).collect();
        assert_eq!(
            kinds,
            [
                (6, NoteKind::Structure),
                (9, NoteKind::Structure),
                (4, NoteKind::Structure)
            ]
        );
    }

    #[test]
    fn explicit_levels_and_orphans() {
        let (fields, _) = run(vec![
            row(1, "meta", "object", None, ""),
            row(2, "↳ inner", "object", None, ""),
            row(3, "↳↳ deep", "string", None, ""),
            row(4, "↳ sibling", "string", None, ""),
        ]);
        let Ty::Object(meta) = &fields[0].schema.ty else {
            panic!("an object")
        };
        assert_eq!(
            meta.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["inner", "sibling"]
        );
        let mut notes = Notes::new("t.md");
        let orphan = table(vec![row(7, "↳ city", "string", None, "")]);
        let error = match fields_of(&orphan, &mut notes) {
            Ok(_) => panic!("an orphan row is an error"),
            Err(error) => error,
        };
        assert_eq!((error.file.as_str(), error.position.line), ("t.md", 7));
    }

    fn fields_of(table: &ParamTable, notes: &mut Notes<'_>) -> Result<Vec<Field>, Diagnostic> {
        fields(&[table], &[], notes)
    }

    #[test]
    fn bad_names_and_duplicates_are_skipped() {
        let (fields, notes) = run(vec![
            row(1, "plan_id", "string", Some(true), ""),
            row(2, "Card Details", "string", Some(false), ""),
            row(3, "plan_id", "string", Some(false), ""),
            row(4, "period", "string", Some(false), "one of: m, M, unknown"),
        ]);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1].schema.values, ["m"]);
        assert!(notes.iter().all(|n| n.kind == NoteKind::Skipped));
        assert_eq!(notes.len(), 4);
    }

    #[test]
    fn shorten_keeps_one_sentence() {
        assert_eq!(
            shorten("  Customer Id for   which. And more."),
            Some("Customer Id for which.".to_owned())
        );
        assert_eq!(shorten(""), None);
        let long = "word ".repeat(40);
        let short = shorten(&long).expect("text");
        assert!(
            short.ends_with('…') && short.chars().count() <= 121,
            "{short}"
        );
    }
}
