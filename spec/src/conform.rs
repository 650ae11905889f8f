//! Checks the docs' example bodies against the lowered types, so a spec that contradicts its own
//! examples fails to build instead of failing to decode in production.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::{Collector, Position};
use crate::ir::{
    Api, Envelope, Field, Operation, Resource, Scalar, Scope, Type, TypeDef, TypeKind, WireKind,
};
use crate::lower::pos;
use crate::raw::{RawExamples, RawSpec};

/// Checks every operation's examples; problems are reported at the example's position.
pub(crate) fn check_examples(api: &Api, raw: &RawSpec, diag: &mut Collector<'_>) {
    let models: HashMap<&str, &TypeDef> = api.models.iter().map(|t| (t.name.as_str(), t)).collect();
    // The first operation with each id is the one lowered (a repeated id is an error already).
    let mut examples_of: HashMap<&str, &RawExamples> = HashMap::new();
    for op in raw.operations.iter().flatten() {
        if let (Some(id), Some(examples)) = (&op.value.id, &op.value.examples) {
            examples_of
                .entry(id.value.as_str())
                .or_insert(&examples.value);
        }
    }
    for resource in &api.resources {
        let checker = Checker::new(&models, resource);
        for op in &resource.operations {
            let Some(examples) = examples_of.get(op.id.as_str()) else {
                continue;
            };
            if let Some(example) = &examples.request {
                report(
                    diag,
                    pos(example),
                    "request",
                    checker.request(op, &example.value),
                );
            }
            if let Some(example) = &examples.response {
                report(
                    diag,
                    pos(example),
                    "response",
                    checker.response(op, &example.value),
                );
            }
        }
    }
}

/// Checks a request's query or body object against `op`'s parameters (the mock server's request
/// validation). Each problem names the offending field by its JSON path, e.g.
/// `$.customer_id: expected a string, found number 5`.
pub fn check_request(api: &Api, op: &Operation, value: &Value) -> Vec<String> {
    with_checker(api, op, |checker| checker.request(op, value))
}

/// Checks a whole response body (the envelope and its payload) against `op`'s response type,
/// as the examples are checked (the mock server's validation of canned answers). Each problem
/// names the offending field by its JSON path, e.g. `$.data.id: expected a string, found
/// number 5`.
pub fn check_response(api: &Api, op: &Operation, body: &Value) -> Vec<String> {
    with_checker(api, op, |checker| checker.response(op, body))
}

/// Runs `check` with a checker for `op`'s resource.
fn with_checker(
    api: &Api,
    op: &Operation,
    check: impl FnOnce(&Checker<'_>) -> Vec<String>,
) -> Vec<String> {
    let models: HashMap<&str, &TypeDef> = api.models.iter().map(|t| (t.name.as_str(), t)).collect();
    let Some(resource) = api
        .resources
        .iter()
        .find(|r| r.operations.iter().any(|o| o.id == op.id))
    else {
        return vec![format!("operation `{}` is not part of this API", op.id)];
    };
    check(&Checker::new(&models, resource))
}

fn report(diag: &mut Collector<'_>, at: Position, which: &str, problems: Vec<String>) {
    for problem in problems {
        diag.error(
            at,
            format!("example {which} does not match its schema: {problem}"),
            Some("fix the schema (or the example, if the docs are wrong)".to_owned()),
        );
    }
}

struct Checker<'a> {
    models: &'a HashMap<&'a str, &'a TypeDef>,
    local: HashMap<&'a str, &'a TypeDef>,
}

impl<'a> Checker<'a> {
    fn new(models: &'a HashMap<&'a str, &'a TypeDef>, resource: &'a Resource) -> Self {
        let local = resource
            .types
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        Self { models, local }
    }

    fn request(&self, op: &Operation, example: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        match &op.request {
            Some(request) => self.object(example, &request.fields, "$", &mut problems),
            None => problems.push("the operation takes no query or body parameters".to_owned()),
        }
        problems
    }

    fn response(&self, op: &Operation, example: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let data = &op.response.data;
        match op.response.envelope {
            Envelope::Bare => self.value(example, data, "$", &mut problems),
            envelope => {
                let Some(object) = example.as_object() else {
                    problems.push(format!(
                        "$: expected an envelope object, found {}",
                        kind(example)
                    ));
                    return problems;
                };
                if !object.contains_key("status") {
                    problems.push("$: the envelope has no `status`".to_owned());
                }
                let (key, value) = match envelope {
                    Envelope::MessageList => ("message", object.get("message")),
                    _ => ("data", object.get("data")),
                };
                match (value, data) {
                    (None | Some(Value::Null), Type::Unit) => {}
                    (_, Type::Unit) => {}
                    (None, _) => problems.push(format!("$: the envelope has no `{key}`")),
                    (Some(value), ty) => self.value(value, ty, &format!("$.{key}"), &mut problems),
                }
            }
        }
        problems
    }

    fn named(&self, name: &str, scope: Scope) -> Option<&'a TypeDef> {
        match scope {
            Scope::Models => self.models.get(name).copied(),
            Scope::Resource => self.local.get(name).copied(),
        }
    }

    fn object(&self, value: &Value, fields: &[Field], path: &str, out: &mut Vec<String>) {
        let Some(object) = value.as_object() else {
            out.push(format!("{path}: expected an object, found {}", kind(value)));
            return;
        };
        for field in fields {
            match object.get(&field.wire_name) {
                Some(v) => {
                    let at = format!("{path}.{}", field.wire_name);
                    if v.is_null() && field.is_optional()
                        || field.blank_is_unset() && pabbly_wire::is_unset(v.into())
                    {
                        continue;
                    }
                    match field.wire_kind() {
                        Some(kind) => scalar(v, kind, &field.ty, &at, out),
                        None => self.value(v, &field.ty, &at, out),
                    }
                }
                None if field.required => {
                    out.push(format!(
                        "{path}: required field `{}` is missing",
                        field.wire_name
                    ));
                }
                None => {}
            }
        }
        for key in object.keys() {
            if !fields.iter().any(|f| &f.wire_name == key) {
                out.push(format!("{path}.{key}: field `{key}` is not declared"));
            }
        }
    }

    /// Checks a value in a place that takes no "unset" (an array item, a map value, a required
    /// field): `null` only where anything goes.
    fn value(&self, value: &Value, ty: &Type, path: &str, out: &mut Vec<String>) {
        if value.is_null() && !matches!(ty, Type::Any | Type::Unit) {
            out.push(mismatch(value, ty, path));
            return;
        }
        let ok = match ty {
            Type::Any | Type::Unit => true,
            Type::Scalar(_) | Type::Lenient(_) => {
                if let Some(kind) = ty.wire_kind() {
                    scalar(value, kind, ty, path, out);
                }
                true
            }
            Type::Array(item) => match value.as_array() {
                Some(items) => {
                    for (i, v) in items.iter().enumerate() {
                        self.value(v, item, &format!("{path}[{i}]"), out);
                    }
                    true
                }
                None => false,
            },
            Type::Map(item) => match value.as_object() {
                Some(entries) => {
                    for (k, v) in entries {
                        self.value(v, item, &format!("{path}.{k}"), out);
                    }
                    true
                }
                None => false,
            },
            Type::Named(reference) => match self.named(&reference.name, reference.scope) {
                Some(TypeDef {
                    kind: TypeKind::Struct(fields),
                    ..
                }) => {
                    self.object(value, fields, path, out);
                    true
                }
                Some(TypeDef {
                    kind: TypeKind::Enum(_),
                    ..
                }) => {
                    scalar(value, WireKind::OpenEnum, ty, path, out);
                    true
                }
                None => true,
            },
        };
        if !ok {
            out.push(mismatch(value, ty, path));
        }
    }
}

/// Checks a scalar by its wire rule.
fn scalar(value: &Value, kind: WireKind, ty: &Type, path: &str, out: &mut Vec<String>) {
    if !accepts(kind, value) {
        out.push(mismatch(value, ty, path));
    }
}

fn mismatch(value: &Value, ty: &Type, path: &str) -> String {
    if value.is_null() {
        return format!("{path}: null, but the field is not nullable");
    }
    format!("{path}: expected {}, found {}", describe(ty), kind(value))
}

/// Whether the wire rules take `value` as a `kind` (what the client decodes).
pub(crate) fn accepts(kind: WireKind, value: &Value) -> bool {
    kind.accepts(value.into())
}

fn describe(ty: &Type) -> String {
    match ty {
        Type::Scalar(s) => scalar_name(*s).to_owned(),
        Type::Lenient(s) => format!("{} (lenient)", scalar_name(*s)),
        Type::Any | Type::Unit => "anything".to_owned(),
        Type::Array(_) => "an array".to_owned(),
        Type::Map(_) => "an object (map)".to_owned(),
        Type::Named(r) => format!("`{}`", r.name),
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "a string",
        Scalar::Integer => "an integer",
        Scalar::Number => "a number",
        Scalar::Money => "an amount (a number or its decimal text)",
        Scalar::Boolean => "a boolean",
        Scalar::Date => "a date (yyyy-mm-dd)",
        Scalar::DateTime => "a date-time (RFC 3339)",
    }
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("a {}-character string", s.chars().count())
        }
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_checked_by_the_wire_rules() {
        assert!(accepts(WireKind::LenientBoolean, &Value::from("true")));
        assert!(!accepts(WireKind::LenientBoolean, &Value::from("maybe")));
        assert!(accepts(WireKind::LenientInteger, &Value::from(1.0)));
        assert!(!accepts(WireKind::LenientNumber, &Value::from("NaN")));
        assert!(!accepts(
            WireKind::DateTime,
            &Value::from("2020-13-04T07:19:13Z")
        ));
        assert!(accepts(WireKind::OpenEnum, &Value::from(3)));
    }
}
