//! Minimal valid JSON for any spec type: requests for operations whose docs show no example, and
//! answers the mock server gives where the docs show none.

use serde_json::{Map, Value, json};

use crate::ir::{
    Api, Envelope, Field, Format, Operation, Scalar, Scope, Type, TypeDef, TypeKind, WebhookEvent,
};

/// Nesting beyond this is cut short, so a type that contains itself still samples.
const MAX_DEPTH: usize = 8;

/// A sample id in Pabbly's format (24 lowercase hex digits).
pub const SAMPLE_ID: &str = "5e5f50647c5aeb3675f416aa";

/// Path values for `op`, in template order: a sample id for strings, `1` for integers.
pub fn path_values(op: &Operation) -> Vec<String> {
    op.path_params
        .iter()
        .map(|p| match p.ty {
            Type::Scalar(Scalar::Integer) => "1".to_owned(),
            _ => SAMPLE_ID.to_owned(),
        })
        .collect()
}

/// The docs' example request, or an object with every required parameter sampled.
pub fn request(api: &Api, op: &Operation) -> Value {
    if let Some(example) = &op.example_request {
        return example.clone();
    }
    let Some(request) = &op.request else {
        return Value::Object(Map::new());
    };
    Sampler::new(api, op).object(&request.fields, 0)
}

/// The docs' example response, or an envelope around sampled data.
pub fn response(api: &Api, op: &Operation) -> Value {
    if let Some(example) = &op.example_response {
        return example.clone();
    }
    let data = Sampler::new(api, op).value(&op.response.data, None, 0);
    match op.response.envelope {
        Envelope::Data => json!({"status": "success", "message": op.summary, "data": data}),
        Envelope::Message => json!({"status": "success", "message": op.summary}),
        Envelope::MessageList => json!({"status": "success", "message": data}),
        Envelope::Bare => data,
    }
}

/// A whole webhook body for `event`: the docs' example, or its `data` sampled from its type
/// (`{}` where the docs do not say). Where the event is confirmed by reading its object back and
/// `data` has no id under the key the read takes, the sample id is put there, so a confirmation
/// against the mock finds the object.
pub fn event(api: &Api, event: &WebhookEvent) -> Value {
    let mut body = event.example.clone().unwrap_or_else(|| {
        let sampler = Sampler { api, local: &[] };
        let data = match &event.data {
            Some(ty) => sampler.value(&Type::Named(ty.clone()), None, 0),
            None => Value::Object(Map::new()),
        };
        json!({"event_type": event.wire, "data": data})
    });
    if let (Some(confirm), Some(Value::Object(data))) = (&event.confirm, body.get_mut("data"))
        && !data.contains_key(&confirm.id_key)
    {
        data.insert(confirm.id_key.clone(), json!(SAMPLE_ID));
    }
    body
}

struct Sampler<'a> {
    api: &'a Api,
    local: &'a [TypeDef],
}

impl<'a> Sampler<'a> {
    fn new(api: &'a Api, op: &Operation) -> Self {
        let local = api
            .resources
            .iter()
            .find(|r| r.operations.iter().any(|o| o.id == op.id))
            .map_or(&[][..], |r| r.types.as_slice());
        Self { api, local }
    }

    fn named(&self, name: &str, scope: Scope) -> Option<&'a TypeDef> {
        let types = match scope {
            Scope::Models => self.api.models.as_slice(),
            Scope::Resource => self.local,
        };
        types.iter().find(|t| t.name == name)
    }

    fn object(&self, fields: &[Field], depth: usize) -> Value {
        let mut object = Map::new();
        for field in fields.iter().filter(|f| f.required && !f.nullable) {
            object.insert(
                field.wire_name.clone(),
                self.value(&field.ty, field.format, depth + 1),
            );
        }
        Value::Object(object)
    }

    fn value(&self, ty: &Type, format: Option<Format>, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match ty {
            Type::Scalar(scalar) | Type::Lenient(scalar) => match (scalar, format) {
                (Scalar::String, Some(Format::Url)) => json!("https://example.com/"),
                (Scalar::String, Some(Format::Email)) => json!("customer@example.com"),
                (Scalar::String, None) => json!("sample"),
                (Scalar::Integer, _) => json!(1),
                (Scalar::Number, _) => json!(1.5),
                (Scalar::Money, _) => json!(10.5),
                (Scalar::Boolean, _) => json!(true),
                (Scalar::Date, _) => json!("2026-01-31"),
                (Scalar::DateTime, _) => json!("2026-01-31T12:00:00.000Z"),
            },
            Type::Any | Type::Unit => Value::Null,
            Type::Array(_) => json!([]),
            Type::Map(_) => json!({}),
            Type::Named(reference) => match self.named(&reference.name, reference.scope) {
                Some(TypeDef {
                    kind: TypeKind::Struct(fields),
                    ..
                }) => self.object(fields, depth),
                Some(TypeDef {
                    kind: TypeKind::Enum(values),
                    ..
                }) => values
                    .first()
                    .map_or(Value::Null, |v| Value::String(v.wire.clone())),
                None => Value::Null,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
spec_version: 1
api: { title: T, version: v1, base_url: "https://example.com/api", auth: basic }
types:
  Node:
    type: object
    fields:
      id: { type: string, required: true }
      next: { type: Node, required: true }
      note: { type: string }
      kind: { type: string, enum: [a, b], required: true }
operations:
  - id: nodes.create
    method: POST
    path: /nodes/{parent_id}/{index}
    summary: Creates a node.
    path_params:
      parent_id: { type: string }
      index: { type: integer }
    body:
      url: { type: string, format: url, required: true }
      at: { type: date-time, required: true }
      note: { type: string }
    response:
      data: { type: Node }
"#;

    fn api() -> Api {
        match crate::load_str(SPEC, "sample.yaml") {
            Ok(api) => api,
            Err(d) => panic!("{d}"),
        }
    }

    #[test]
    fn requests_sample_required_fields_only() {
        let api = api();
        let op = api.operations().next().expect("one operation");
        assert_eq!(
            request(&api, op),
            json!({"url": "https://example.com/", "at": "2026-01-31T12:00:00.000Z"})
        );
        assert_eq!(path_values(op), vec![SAMPLE_ID.to_owned(), "1".to_owned()]);
        assert!(crate::check_request(&api, op, &request(&api, op)).is_empty());
    }

    #[test]
    fn responses_wrap_sampled_data_and_stop_recursing() {
        let api = api();
        let op = api.operations().next().expect("one operation");
        let answer = response(&api, op);
        assert_eq!(answer["status"], "success");
        assert_eq!(answer["data"]["id"], "sample");
        assert_eq!(answer["data"]["kind"], "a");
        assert_eq!(answer["data"]["next"]["next"]["id"], "sample");
    }
}
