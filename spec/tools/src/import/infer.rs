//! Schemas inferred from the docs' example bodies, and the response envelope they show.
//!
//! Every value seen for a position counts: the items of an array are inferred from all its
//! elements (the first decides the field order), so a field missing from one element is optional
//! and one that is `null` in another is nullable. The result accepts the example it came from
//! under the spec's own example check (`conform`), which is what lets an imported page load.

use pabbly_spec::ir::Envelope;

use super::json::Json;
use super::schema::{Field, Schema, Ty, is_id_like};

/// The schema of one example value.
pub(crate) fn infer(value: &Json) -> Schema {
    infer_many(&[value], false)
}

/// What a response example shows: its envelope and the data's schema (`None` for `message`).
/// `None` when the example is cut before it shows which envelope it is.
pub(crate) fn infer_response(body: &Json) -> Option<(Envelope, Option<Schema>)> {
    let Json::Object(entries, closed) = body else {
        return Some((Envelope::Bare, Some(infer(body))));
    };
    let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    if let Some(data) = get("data") {
        return Some((Envelope::Data, Some(infer(data))));
    }
    let enveloped = ["status", "message", "success"]
        .iter()
        .any(|k| get(k).is_some());
    match get("message") {
        Some(list @ Json::Array(..)) => Some((Envelope::MessageList, Some(infer(list)))),
        _ if !enveloped => Some((Envelope::Bare, Some(infer(body)))),
        _ if *closed => Some((Envelope::Message, None)),
        // Cut after `status`/`message`: a `data` may have followed.
        _ => None,
    }
}

/// One schema for every value seen at a position. `element`: the values are array items or map
/// values, which the spec cannot mark nullable, so a `null` among them makes the type `any`.
pub(crate) fn infer_many(values: &[&Json], element: bool) -> Schema {
    let present: Vec<&Json> = values
        .iter()
        .copied()
        .filter(|v| **v != Json::Null)
        .collect();
    let has_null = present.len() < values.len();
    if present.is_empty() || (element && has_null) {
        let mut any = Schema::of(Ty::Any);
        any.nullable = has_null && !element;
        return any;
    }
    let objects: Vec<(&[(String, Json)], bool)> = present
        .iter()
        .filter_map(|v| match v {
            Json::Object(entries, closed) => Some((entries.as_slice(), *closed)),
            _ => None,
        })
        .collect();
    let arrays: Vec<&[Json]> = present
        .iter()
        .filter_map(|v| match v {
            Json::Array(items, _) => Some(items.as_slice()),
            _ => None,
        })
        .collect();
    let mut schema = if objects.len() == present.len() {
        object(&objects)
    } else if arrays.len() == present.len() {
        let items: Vec<&Json> = arrays.iter().flat_map(|a| a.iter()).collect();
        let items = if items.is_empty() {
            Schema::of(Ty::Any)
        } else {
            infer_many(&items, true)
        };
        Schema::of(Ty::Array(Box::new(items)))
    } else if objects.is_empty() && arrays.is_empty() {
        scalar(&present)
    } else {
        Schema::of(Ty::Any)
    };
    schema.nullable |= has_null;
    schema
}

fn object(objects: &[(&[(String, Json)], bool)]) -> Schema {
    let mut keys: Vec<&str> = Vec::new();
    for (entries, _) in objects {
        for (key, _) in *entries {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    let complete = objects.iter().any(|(_, closed)| *closed);
    if keys.is_empty() {
        let mut any = Schema::of(Ty::Any);
        if complete {
            any.description = Some("Always empty in the docs' example.".to_owned());
        }
        return any;
    }
    let values_of = |key: &str| -> Vec<&Json> {
        objects
            .iter()
            .filter_map(|(entries, _)| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v))
            .collect()
    };
    if keys.iter().all(|k| is_id_like(k)) {
        // Keyed by ids (add-ons by add-on id): the keys are data, not field names.
        let values: Vec<&Json> = keys.iter().flat_map(|k| values_of(k)).collect();
        return Schema::of(Ty::Map(Box::new(infer_many(&values, true))));
    }
    let fields = keys
        .iter()
        .map(|key| {
            // Absent from an object that was cut off says nothing about the field.
            let required = objects
                .iter()
                .all(|(entries, closed)| !closed || entries.iter().any(|(k, _)| k == key));
            Field::new(*key, infer_many(&values_of(key), false), Some(required))
        })
        .collect();
    let mut schema = Schema::of(Ty::Object(fields));
    schema.complete = complete;
    schema
}

/// How one scalar example value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Bool,
    Integer,
    Number,
    Empty,
    DateTime,
    Date,
    Numeric,
    BoolWord,
    Text,
}

fn seen(value: &Json) -> Seen {
    match value {
        Json::Bool(_) => Seen::Bool,
        Json::Number(raw) if raw.contains(['.', 'e', 'E']) => Seen::Number,
        Json::Number(_) => Seen::Integer,
        Json::String(s) if s.is_empty() => Seen::Empty,
        Json::String(s) if pabbly_wire::date_time(s).is_some() => Seen::DateTime,
        Json::String(s) if pabbly_wire::date(s).is_some() => Seen::Date,
        Json::String(s) if pabbly_wire::lenient_number(pabbly_wire::Json::String(s)).is_some() => {
            Seen::Numeric
        }
        Json::String(s) if s == "true" || s == "false" => Seen::BoolWord,
        _ => Seen::Text,
    }
}

fn scalar(values: &[&Json]) -> Schema {
    let kinds: Vec<Seen> = values.iter().map(|v| seen(v)).collect();
    let all = |allowed: &[Seen]| kinds.iter().all(|k| allowed.contains(k));
    let has_empty = kinds.contains(&Seen::Empty);
    let shape = |ty: Ty, lenient: bool, nullable: bool| {
        let mut schema = Schema::of(ty);
        schema.lenient = lenient;
        schema.nullable = nullable;
        schema
    };
    let strings = [
        Seen::Empty,
        Seen::DateTime,
        Seen::Date,
        Seen::Numeric,
        Seen::BoolWord,
        Seen::Text,
    ];
    if all(&[Seen::Bool]) {
        shape(Ty::Boolean, false, false)
    } else if all(&[Seen::Integer]) {
        shape(Ty::Integer, false, false)
    } else if all(&[Seen::Integer, Seen::Number]) {
        shape(Ty::Number, false, false)
    } else if all(&[Seen::Empty]) {
        shape(Ty::String, false, false)
    } else if all(&[Seen::DateTime, Seen::Empty]) {
        // Pabbly writes an unset date as "": nullable dates accept it.
        shape(Ty::DateTime, false, has_empty)
    } else if all(&[Seen::Date, Seen::Empty]) {
        shape(Ty::Date, false, has_empty)
    } else if all(&[Seen::BoolWord, Seen::Empty]) || all(&[Seen::Bool, Seen::BoolWord, Seen::Empty])
    {
        shape(Ty::Boolean, true, has_empty)
    } else if all(&[Seen::Numeric, Seen::Empty]) {
        shape(Ty::String, true, false)
    } else if all(&strings) {
        shape(Ty::String, false, false)
    } else {
        // Numbers or booleans mixed with text: a lenient string reads them all.
        shape(Ty::String, true, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::json::parse;

    fn infer_text(text: &str) -> Schema {
        let parsed = parse(text, 1).expect("test JSON parses");
        infer(&parsed.value)
    }

    fn fields(schema: &Schema) -> &[Field] {
        match &schema.ty {
            Ty::Object(fields) => fields,
            other => panic!("expected an object, found {other:?}"),
        }
    }

    fn field<'a>(schema: &'a Schema, name: &str) -> &'a Field {
        fields(schema)
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    #[test]
    fn scalars_by_their_json_and_string_forms() {
        let schema = infer_text(
            r#"{"n": 10, "x": 9.5, "b": false, "at": "2020-03-04T07:19:13.685Z", "on": "2022-10-02",
                "mrr": "33590.75", "active": "true", "name": "Plan", "gone": null, "empty": ""}"#,
        );
        let ty = |name: &str| {
            let f = field(&schema, name);
            (f.schema.type_name(), f.schema.lenient, f.schema.nullable)
        };
        assert_eq!(ty("n"), ("integer", false, false));
        assert_eq!(ty("x"), ("number", false, false));
        assert_eq!(ty("b"), ("boolean", false, false));
        assert_eq!(ty("at"), ("date-time", false, false));
        assert_eq!(ty("on"), ("date", false, false));
        assert_eq!(ty("mrr"), ("string", true, false));
        assert_eq!(ty("active"), ("boolean", true, false));
        assert_eq!(ty("name"), ("string", false, false));
        assert_eq!(ty("gone"), ("any", false, true));
        assert_eq!(ty("empty"), ("string", false, false));
        assert!(fields(&schema).iter().all(|f| f.required == Some(true)));
    }

    #[test]
    fn array_items_merge_every_element() {
        let schema = infer_text(
            r#"[{"id": "a", "price": 10, "expiry": "2020-03-04T07:19:13.685Z", "num": null},
                {"id": "b", "price": 9.5, "expiry": "", "extra": true, "num": "2"}]"#,
        );
        let Ty::Array(items) = &schema.ty else {
            panic!("an array")
        };
        let names: Vec<_> = fields(items)
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            names,
            [
                ("id", Some(true)),
                ("price", Some(true)),
                ("expiry", Some(true)),
                ("num", Some(true)),
                ("extra", Some(false))
            ]
        );
        assert_eq!(field(items, "price").schema.type_name(), "number");
        let expiry = &field(items, "expiry").schema;
        assert_eq!((expiry.type_name(), expiry.nullable), ("date-time", true));
        let num = &field(items, "num").schema;
        assert_eq!(
            (num.type_name(), num.lenient, num.nullable),
            ("string", true, true)
        );
    }

    #[test]
    fn cut_objects_are_incomplete_and_do_not_make_fields_optional() {
        let schema = infer_text("[{\"a\": 1, \"b\": 2}, {\"a\": 3");
        let Ty::Array(items) = &schema.ty else {
            panic!("an array")
        };
        assert!(items.complete, "one element was whole");
        assert_eq!(field(items, "b").required, Some(true));
        let schema = infer_text("{\"a\": {\"b\": 1");
        assert!(!schema.complete);
        assert!(!field(&schema, "a").schema.complete);
    }

    #[test]
    fn id_keys_make_a_map_and_empty_objects_any() {
        let schema = infer_text(
            r#"{"addons": {"5e3aac363c92e44b424b6dfc": {"checked": true}, "5e3aac9424b63d4b28410d4e": {"checked": false, "quantity": 2}},
                "bump_offer": {}, "tags": [], "mixed": [1, null]}"#,
        );
        let addons = &field(&schema, "addons").schema;
        let Ty::Map(values) = &addons.ty else {
            panic!("a map: {addons:?}")
        };
        assert_eq!(fields(values).len(), 2);
        assert_eq!(field(&schema, "bump_offer").schema.type_name(), "any");
        let Ty::Array(items) = &field(&schema, "tags").schema.ty else {
            panic!("an array")
        };
        assert_eq!(items.ty, Ty::Any);
        let Ty::Array(items) = &field(&schema, "mixed").schema.ty else {
            panic!("an array")
        };
        assert_eq!(
            items.ty,
            Ty::Any,
            "items cannot be nullable, so a null makes them any"
        );
    }

    #[test]
    fn envelopes_are_told_apart() {
        let envelope = |text: &str| {
            let parsed = parse(text, 1).expect("test JSON parses");
            infer_response(&parsed.value)
                .map(|(e, data)| (e, data.map(|d| d.type_name().to_owned())))
        };
        assert_eq!(
            envelope(r#"{"status": "success", "message": "m", "data": {"a": 1}}"#),
            Some((Envelope::Data, Some("object".to_owned())))
        );
        assert_eq!(
            envelope(r#"{"status": "success", "message": "m", "data": "Created"}"#),
            Some((Envelope::Data, Some("string".to_owned())))
        );
        assert_eq!(
            envelope(r#"{"status": "success", "message": "m"}"#),
            Some((Envelope::Message, None))
        );
        assert_eq!(
            envelope(r#"{"status": "success", "message": [{"a": 1}]}"#),
            Some((Envelope::MessageList, Some("array".to_owned())))
        );
        assert_eq!(
            envelope(r#"[{"month": "Jan"}]"#),
            Some((Envelope::Bare, Some("array".to_owned())))
        );
        assert_eq!(
            envelope(r#"{"month": "Jan"}"#),
            Some((Envelope::Bare, Some("object".to_owned())))
        );
        assert_eq!(
            envelope(r#"{"status": "success", "message": "m","#),
            None,
            "cut before data"
        );
    }
}
