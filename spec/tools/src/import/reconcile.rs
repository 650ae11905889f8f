//! Makes a page's parameter tables agree with its example request, so the imported spec passes
//! the spec's own example check: the tables call most scalars `string` while the example sends
//! numbers, and examples carry keys the tables leave out.
//!
//! The table has the say except where the example contradicts it: a value the table's type
//! reads in its string form makes the parameter `lenient`; a value of another shape replaces the
//! type with the example's; a key no table lists is added as optional. Each change is a note.

use pabbly_spec::ir::{Scalar, Type, WireKind};

/// Whether the wire rules take `value` as a `kind` (what the client decodes).
fn wire_accepts(kind: WireKind, value: &serde_json::Value) -> bool {
    kind.accepts(value.into())
}

use super::infer::{infer, infer_many};
use super::json::Json;
use super::note::{NoteKind, Notes};
use super::schema::{Field, Schema, Ty};

/// Fits `example`'s entries into `fields`, reporting at `line`; `at` names the place (`body`).
pub(crate) fn fit_fields(
    fields: &mut Vec<Field>,
    example: &[(String, Json)],
    at: &str,
    line: usize,
    notes: &mut Notes<'_>,
) {
    for (key, value) in example {
        let place = format!("{at}.{key}");
        match fields.iter_mut().find(|f| f.name == *key) {
            Some(field) => {
                if *value == Json::Null && field.required == Some(true) {
                    field.schema.nullable = true;
                }
                fit(&mut field.schema, value, &place, line, notes);
            }
            None => {
                let mut schema = infer(value);
                schema.nullable = false;
                notes.add(
                    line,
                    NoteKind::Reconciled,
                    format!("the example sends `{place}`, which no table lists; added as an optional {}", schema.describe()),
                );
                fields.push(Field::new(key.clone(), schema, Some(false)));
            }
        }
    }
}

fn fit(schema: &mut Schema, value: &Json, at: &str, line: usize, notes: &mut Notes<'_>) {
    if *value == Json::Null {
        return;
    }
    match (&mut schema.ty, value) {
        (Ty::Any, _) => {}
        (Ty::Object(fields), Json::Object(entries, _)) => {
            fit_fields(fields, entries, at, line, notes)
        }
        (Ty::Map(values), Json::Object(entries, _)) => {
            for (_, entry) in entries {
                fit(values, entry, at, line, notes);
            }
        }
        (Ty::Array(items), Json::Array(elements, _)) => {
            if items.ty == Ty::Any && !elements.is_empty() {
                let refs: Vec<&Json> = elements.iter().collect();
                let description = items.description.take();
                **items = infer_many(&refs, true);
                items.description = description;
            } else {
                for element in elements {
                    fit(items, element, at, line, notes);
                }
            }
        }
        (ty, value)
            if !matches!(value, Json::Object(..) | Json::Array(..)) && scalar_of(ty).is_some() =>
        {
            let json = value.to_value();
            if accepts(schema, &json) {
                return;
            }
            let lenient_scalar = scalar_of(&schema.ty).filter(|_| schema.ty.is_lenient_scalar());
            if lenient_scalar
                .and_then(|scalar| wire_kind(scalar, true))
                .is_some_and(|kind| wire_accepts(kind, &json))
            {
                schema.lenient = true;
                notes.add(
                    line,
                    NoteKind::Reconciled,
                    format!(
                        "the table types `{at}` {} but the example sends {json}; made lenient",
                        schema.type_name()
                    ),
                );
                return;
            }
            replace(schema, value, at, line, notes);
        }
        _ => replace(schema, value, at, line, notes),
    }
}

/// The example's shape wins over the table's, keeping what the table said about the parameter.
fn replace(schema: &mut Schema, value: &Json, at: &str, line: usize, notes: &mut Notes<'_>) {
    let mut inferred = infer(value);
    notes.add(
        line,
        NoteKind::Reconciled,
        format!(
            "the table types `{at}` {} but the example sends {}; using the example's type",
            schema.describe(),
            inferred.describe()
        ),
    );
    inferred.nullable = schema.nullable;
    inferred.description = schema.description.take();
    *schema = inferred;
}

fn scalar_of(ty: &Ty) -> Option<Scalar> {
    match ty {
        Ty::String => Some(Scalar::String),
        Ty::Integer => Some(Scalar::Integer),
        Ty::Number => Some(Scalar::Number),
        Ty::Boolean => Some(Scalar::Boolean),
        Ty::Date => Some(Scalar::Date),
        Ty::DateTime => Some(Scalar::DateTime),
        _ => None,
    }
}

/// The wire rule of a scalar, leniently read or not (see `ir::Type::wire_kind`).
fn wire_kind(scalar: Scalar, lenient: bool) -> Option<WireKind> {
    let ty = if lenient {
        Type::Lenient(scalar)
    } else {
        Type::Scalar(scalar)
    };
    ty.wire_kind()
}

/// Whether the spec's example check would accept `value` for `schema` (see `conform`): by the
/// wire rules, with Pabbly's "unset" on a nullable date or lenient scalar.
fn accepts(schema: &Schema, value: &serde_json::Value) -> bool {
    let Some(scalar) = scalar_of(&schema.ty) else {
        return true;
    };
    if !schema.values.is_empty() {
        return wire_accepts(WireKind::OpenEnum, value);
    }
    let blank_is_unset =
        schema.nullable && (schema.lenient || matches!(scalar, Scalar::Date | Scalar::DateTime));
    if blank_is_unset && pabbly_wire::is_unset(value.into()) {
        return true;
    }
    wire_kind(scalar, schema.lenient).is_some_and(|kind| wire_accepts(kind, value))
}

/// The first required field `example` lacks, as `body.a.b`, which the spec's example check
/// would reject.
pub(crate) fn missing_required(
    fields: &[Field],
    example: &[(String, Json)],
    at: &str,
) -> Option<String> {
    fields.iter().find_map(|field| {
        let place = format!("{at}.{}", field.name);
        match (
            example.iter().find(|(k, _)| *k == field.name),
            &field.schema.ty,
        ) {
            (None, _) if field.required == Some(true) => Some(place),
            (Some((_, Json::Object(entries, _))), Ty::Object(inner)) => {
                missing_required(inner, entries, &place)
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::json::parse;

    fn object(text: &str) -> Vec<(String, Json)> {
        match parse(text, 1).expect("test JSON parses").value {
            Json::Object(entries, _) => entries,
            other => panic!("an object: {other:?}"),
        }
    }

    fn field(name: &str, ty: Ty, required: bool) -> Field {
        Field::new(name, Schema::of(ty), Some(required))
    }

    #[test]
    fn the_example_narrows_the_table() {
        let mut fields = vec![
            field("quantity", Ty::String, false),
            field("price", Ty::Integer, false),
            field("addons", Ty::String, false),
            field("plans", Ty::Array(Box::new(Schema::of(Ty::Any))), false),
            field("note", Ty::String, true),
        ];
        let example = object(
            r#"{"quantity": 2, "price": "150.50", "addons": [{"id": "a", "quantity": 1}],
                "plans": ["p1"], "note": null, "extra": true}"#,
        );
        let mut notes = Notes::new("t.md");
        fit_fields(&mut fields, &example, "body", 9, &mut notes);
        let summary: Vec<_> = fields
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.schema.describe(),
                    f.schema.nullable,
                    f.required,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("quantity", "lenient string".to_owned(), false, Some(false)),
                ("price", "lenient string".to_owned(), false, Some(false)),
                ("addons", "array of object".to_owned(), false, Some(false)),
                ("plans", "array of string".to_owned(), false, Some(false)),
                ("note", "string".to_owned(), true, Some(true)),
                ("extra", "boolean".to_owned(), false, Some(false)),
            ]
        );
        assert!(
            notes
                .found
                .iter()
                .all(|n| n.line() == 9 && n.kind == NoteKind::Reconciled)
        );
        assert_eq!(notes.found.len(), 4, "{:?}", notes.found);
    }

    #[test]
    fn finds_a_required_field_the_example_lacks() {
        let mut address = field(
            "address",
            Ty::Object(vec![field("city", Ty::String, true)]),
            false,
        );
        address.required = Some(false);
        let fields = vec![field("id", Ty::String, false), address];
        assert_eq!(
            missing_required(&fields, &object(r#"{"address": {}}"#), "body"),
            Some("body.address.city".to_owned())
        );
        assert_eq!(
            missing_required(&fields, &object(r#"{"id": "x"}"#), "body"),
            None
        );
    }
}
