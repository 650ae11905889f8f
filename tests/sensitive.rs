//! No secret shows in `Debug`: every generated type with a `sensitive` field (card data, CVV,
//! sign-in tokens, URLs carrying them) is filled with recognisable values, decoded, and printed
//! with `{:?}` and `{:#?}`; none of the secret values may appear, and the other values must
//! (so the test cannot pass by printing nothing).

mod support;

use pabbly_spec::ir::{Api, Field, Scalar, Scope, Type, TypeDef, TypeKind};
use serde_json::{Map, Value, json};

/// The fields of the struct `label` (`module::Type`) names, request types included.
fn fields<'a>(api: &'a Api, label: &str) -> &'a [Field] {
    let (module, name) = label.split_once("::").expect("module::Type");
    let defs = match module {
        "models" => api.models.as_slice(),
        module => {
            let resource = api.resources.iter().find(|r| r.module == module);
            let resource = resource.expect("a resource");
            if let Some(request) = resource
                .operations
                .iter()
                .filter_map(|op| op.request.as_ref())
                .find(|request| request.type_name == name)
            {
                return &request.fields;
            }
            resource.types.as_slice()
        }
    };
    match defs
        .iter()
        .find(|def| def.name == name)
        .map(|def| &def.kind)
    {
        Some(TypeKind::Struct(fields)) => fields,
        _ => panic!("{label} is not a struct"),
    }
}

/// A value for every field: a numbered secret for each sensitive one (they are all text), a
/// recognisable visible text for other strings, and a valid sample for everything else.
struct Filler<'a> {
    api: &'a Api,
    module: &'a str,
    secrets: Vec<String>,
    visible: Vec<String>,
}

impl Filler<'_> {
    fn object(&mut self, fields: &[Field], depth: usize) -> Value {
        let mut object = Map::new();
        for field in fields {
            let value = if field.sensitive {
                let secret = format!("4111111111111{:03}", self.secrets.len());
                self.secrets.push(secret.clone());
                Value::from(secret)
            } else {
                self.value(&field.ty, depth)
            };
            object.insert(field.wire_name.clone(), value);
        }
        Value::Object(object)
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Value {
        match ty {
            Type::Scalar(Scalar::String) | Type::Lenient(Scalar::String) => {
                let text = format!("visible-{}", self.visible.len());
                self.visible.push(text.clone());
                Value::from(text)
            }
            Type::Scalar(Scalar::Integer) | Type::Lenient(Scalar::Integer) => json!(1),
            Type::Scalar(Scalar::Number | Scalar::Money) | Type::Lenient(Scalar::Number) => {
                json!(1.5)
            }
            Type::Scalar(Scalar::Boolean) | Type::Lenient(Scalar::Boolean) => json!(true),
            Type::Scalar(Scalar::Date) | Type::Lenient(Scalar::Date) => json!("2026-01-31"),
            Type::Scalar(Scalar::DateTime) | Type::Lenient(Scalar::DateTime) => {
                json!("2026-01-31T12:00:00.000Z")
            }
            Type::Lenient(Scalar::Money) => json!("1.50"),
            Type::Any | Type::Unit => Value::Null,
            Type::Array(_) => json!([]),
            Type::Map(_) => json!({}),
            Type::Named(reference) => {
                let defs = match reference.scope {
                    Scope::Models => self.api.models.as_slice(),
                    Scope::Resource => self
                        .api
                        .resources
                        .iter()
                        .find(|r| r.module == self.module)
                        .map_or(&[][..], |r| r.types.as_slice()),
                };
                match defs
                    .iter()
                    .find(|d: &&TypeDef| d.name == reference.name)
                    .map(|d| &d.kind)
                {
                    Some(TypeKind::Enum(values)) => Value::from(values[0].wire.clone()),
                    Some(TypeKind::Struct(fields)) if depth < 4 => self.object(fields, depth + 1),
                    _ => Value::Null,
                }
            }
        }
    }
}

#[test]
fn no_secret_appears_in_the_debug_of_any_generated_type() {
    let api = support::real_spec();
    let labels: Vec<&str> = pabbly::__operations::SENSITIVE
        .iter()
        .map(|(l, _)| *l)
        .collect();
    for expected in [
        "models::PortalSession",
        "customers::CreateWithSubscriptionRequest",
        "subscriptions::CreateRequest",
        "payment_methods::CreateRequest",
    ] {
        assert!(
            labels.contains(&expected),
            "{expected} is not checked: {labels:?}"
        );
    }
    for (label, debug_of) in pabbly::__operations::SENSITIVE {
        let module = label.split_once("::").map_or("models", |(m, _)| m);
        let mut filler = Filler {
            api: &api,
            module,
            secrets: Vec::new(),
            visible: Vec::new(),
        };
        let value = filler.object(fields(&api, label), 0);
        let printed = debug_of(&value).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert!(!filler.secrets.is_empty(), "{label} has no secret to hide");
        for secret in &filler.secrets {
            assert!(
                !printed.contains(secret.as_str()),
                "{label} shows {secret}: {printed}"
            );
        }
        assert!(printed.contains("<redacted>"), "{label}: {printed}");
        for shown in &filler.visible {
            assert!(
                printed.contains(shown.as_str()),
                "{label} hides {shown}: {printed}"
            );
        }
    }
}

#[test]
fn the_portal_link_and_its_token_stay_out_of_debug_after_a_real_call() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = pabbly_mock::MockServer::start()
            .await
            .expect("the mock starts");
        let client = pabbly::Client::builder("test-key", "test-secret")
            .base_url(server.base_url())
            .build()
            .expect("a client");
        let request = pabbly::portal_sessions::CreateRequest::new("cus_1");
        let session = client
            .portal_sessions()
            .create(&request)
            .await
            .expect("a session");
        server.stop().await;
        let printed = format!("{session:?}");
        assert!(!printed.contains(&session.data.token), "{printed}");
        assert!(!printed.contains(&session.data.access_url), "{printed}");
        assert!(!printed.contains("tk="), "{printed}");
        assert!(printed.contains("cus_1"), "{printed}");
    });
}
