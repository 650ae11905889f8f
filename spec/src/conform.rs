//! Checks the docs' example bodies against the lowered types, so a spec that contradicts its own
//! examples fails to build instead of failing to decode in production.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::{Collector, Position};
use crate::ir::{
    Api, Envelope, Field, Operation, Resource, Scalar, Scope, Type, TypeDef, TypeKind,
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
            Envelope::Bare => self.value(example, data, false, "$", &mut problems),
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
                    (Some(value), ty) => {
                        self.value(value, ty, false, &format!("$.{key}"), &mut problems)
                    }
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
                    let nullable = field.nullable || !field.required;
                    // A boolean sent as text is read back leniently.
                    let ty = match (&field.ty, field.sent_as) {
                        (Type::Scalar(Scalar::Boolean), Some(_)) => &Type::Lenient(Scalar::Boolean),
                        (ty, _) => ty,
                    };
                    self.value(v, ty, nullable, &format!("{path}.{}", field.wire_name), out);
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

    /// `nullable` admits `null`, and `""` for dates and lenient scalars (Pabbly's "unset").
    fn value(&self, value: &Value, ty: &Type, nullable: bool, path: &str, out: &mut Vec<String>) {
        if value.is_null() {
            if !nullable && !matches!(ty, Type::Any | Type::Unit) {
                out.push(format!("{path}: null, but the field is not nullable"));
            }
            return;
        }
        let empty_string = value.as_str() == Some("");
        let ok = match ty {
            Type::Any | Type::Unit => true,
            Type::Scalar(scalar) => {
                (empty_string && nullable && matches!(scalar, Scalar::Date | Scalar::DateTime))
                    || scalar_matches(*scalar, value)
            }
            Type::Lenient(scalar) => (empty_string && nullable) || lenient_matches(*scalar, value),
            Type::Array(item) => match value.as_array() {
                Some(items) => {
                    for (i, v) in items.iter().enumerate() {
                        self.value(v, item, false, &format!("{path}[{i}]"), out);
                    }
                    true
                }
                None => false,
            },
            Type::Map(item) => match value.as_object() {
                Some(entries) => {
                    for (k, v) in entries {
                        self.value(v, item, false, &format!("{path}.{k}"), out);
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
                }) => value.is_string(),
                None => true,
            },
        };
        if !ok {
            out.push(format!(
                "{path}: expected {}, found {}",
                describe(ty),
                kind(value)
            ));
        }
    }
}

/// Whether `value` is what the spec's `scalar` type sends: a JSON string for `string`, a
/// whole number for `integer`, a decimal number or decimal text for `money`, `yyyy-mm-dd` text
/// for `date`, and so on.
///
/// ```
/// use pabbly_spec::{ir::Scalar, scalar_matches};
///
/// assert!(scalar_matches(Scalar::Money, &serde_json::json!("12.50")));
/// assert!(!scalar_matches(Scalar::Integer, &serde_json::json!("12")));
/// ```
pub fn scalar_matches(scalar: Scalar, value: &Value) -> bool {
    match scalar {
        Scalar::String => value.is_string(),
        Scalar::Integer => value.is_i64() || value.is_u64(),
        Scalar::Number => value.is_number(),
        Scalar::Money => value.is_number() || value.as_str().is_some_and(is_decimal),
        Scalar::Boolean => value.is_boolean(),
        Scalar::Date => value.as_str().is_some_and(is_date),
        Scalar::DateTime => value.as_str().is_some_and(is_date_time),
    }
}

/// Whether `value` is accepted for a lenient field of type `scalar`: [`scalar_matches`], or the
/// scalar written as text (`"12"` for an integer, `"yes"` for a boolean), or any string, number
/// or boolean for a string.
///
/// ```
/// use pabbly_spec::{ir::Scalar, lenient_matches};
///
/// assert!(lenient_matches(Scalar::Integer, &serde_json::json!("12")));
/// assert!(!lenient_matches(Scalar::Integer, &serde_json::json!("twelve")));
/// ```
pub fn lenient_matches(scalar: Scalar, value: &Value) -> bool {
    match (scalar, value) {
        (Scalar::String, Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
        (Scalar::Integer, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (Scalar::Number, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        (Scalar::Boolean, Value::String(s)) => ["true", "false", "yes", "no", "1", "0"]
            .contains(&s.trim().to_ascii_lowercase().as_str()),
        (Scalar::Boolean, Value::Number(n)) => n.as_u64().is_some_and(|n| n <= 1),
        _ => scalar_matches(scalar, value),
    }
}

/// A decimal amount as text: an optional sign, digits, and an optional fraction (`"33590.75"`,
/// `"-5"`, `"0.00"`); no exponent, no spaces.
pub(crate) fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// Whether `s` is a date as the spec's `date` type sends it, `yyyy-mm-dd`.
///
/// ```
/// assert!(pabbly_spec::is_date("2026-12-02"));
/// assert!(!pabbly_spec::is_date("02/12/2026"));
/// ```
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Whether `s` is a date-time as the spec's `date-time` type sends it, RFC 3339
/// (`yyyy-mm-ddThh:mm:ss[.fff](Z|±hh:mm)`).
///
/// ```
/// assert!(pabbly_spec::is_date_time("2026-12-02T07:15:00Z"));
/// assert!(!pabbly_spec::is_date_time("2026-12-02"));
/// ```
pub fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', ' ']) else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => return false,
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if fraction.is_empty() || !fraction.bytes().all(|c| c.is_ascii_digit()) {
            ""
        } else {
            whole
        }
    });
    let hms = |t: &str| {
        let b = t.as_bytes();
        b.len() == 8
            && b.iter().enumerate().all(|(i, c)| match i {
                2 | 5 => *c == b':',
                _ => c.is_ascii_digit(),
            })
    };
    let zone_ok =
        matches!(zone, "Z" | "z") || (zone.len() == 6 && hms(&format!("{}:00", &zone[1..])));
    is_date(date) && hms(clock) && zone_ok
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
    fn dates_and_date_times_are_recognised() {
        assert!(is_date("2020-03-04"));
        assert!(!is_date("2020-3-4"));
        assert!(is_date_time("2020-03-04T07:19:13.685Z"));
        assert!(is_date_time("2020-03-04T07:19:13+05:30"));
        assert!(!is_date_time("2020-03-04T07:19:13"));
        assert!(!is_date_time("2020-03-04T07:19:13.Z"));
        assert!(!is_date_time("yesterday"));
    }

    #[test]
    fn lenient_scalars_accept_their_string_forms() {
        assert!(lenient_matches(Scalar::Boolean, &Value::from("true")));
        assert!(lenient_matches(Scalar::Boolean, &Value::from(true)));
        assert!(!lenient_matches(Scalar::Boolean, &Value::from("maybe")));
        assert!(lenient_matches(Scalar::Integer, &Value::from("12")));
        assert!(!lenient_matches(Scalar::Integer, &Value::from("1.5")));
        assert!(lenient_matches(Scalar::String, &Value::from(12)));
    }
}
