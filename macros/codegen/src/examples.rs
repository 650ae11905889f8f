//! A compiling usage example for each generated method's docs, built from the spec's example
//! request where it has one, so `cargo test --doc` checks that the documented call type-checks.

use pabbly_spec::ir::{Field, Operation, Resource, Scalar, Scope, Type, TypeDef, TypeKind};
use serde_json::Value;

use crate::operations::Flavor;

/// The example's source lines, or `None` when a required argument has no literal form (an
/// object or a free-form value) and an example would need more setup than it shows.
pub(crate) fn method_example(
    krate: &str,
    models: &[TypeDef],
    resource: &Resource,
    op: &Operation,
    flavor: Flavor,
) -> Option<String> {
    let sample = op.example_request.as_ref();
    let module = &resource.module;
    let mut args = Vec::new();
    for field in &op.path_params {
        args.push(match field.ty {
            Type::Scalar(Scalar::Integer) => "1".to_owned(),
            _ => format!("{:?}", field.rust_name.to_uppercase()),
        });
    }
    let mut setup = String::new();
    if let Some(request) = &op.request {
        let mut call = Vec::new();
        for field in request.fields.iter().filter(|f| !f.is_optional()) {
            let value = sample.and_then(|s| s.get(&field.wire_name));
            call.push(literal(krate, models, resource, field, value)?);
        }
        setup = format!(
            "let request = {krate}::{module}::{}::new({})",
            request.type_name,
            call.join(", ")
        );
        for field in request.fields.iter().filter(|f| f.is_optional()) {
            let value = sample.and_then(|s| s.get(&field.wire_name));
            if let Some(literal) = value.and_then(|v| scalar_literal(krate, field, v)) {
                setup.push_str(&format!("\n    .{}({literal})", field.rust_name));
            }
        }
        setup.push_str(";\n");
        args.push("&request".to_owned());
    }
    let (function, client, wait) = match flavor {
        Flavor::Async => ("async fn", "Client", ".await"),
        Flavor::Blocking => ("fn", "blocking::Client", ""),
    };
    Some(format!(
        "```no_run\n\
         # {function} example(client: &{krate}::{client}) -> Result<(), {krate}::Error> {{\n\
         {setup}\
         let response = client.{module}().{}({}){wait}?;\n\
         # let _ = response;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        op.action,
        args.join(", ")
    ))
}

/// A Rust expression for a required argument: the example's value when it fits, else a
/// placeholder of the right type.
fn literal(
    krate: &str,
    models: &[TypeDef],
    resource: &Resource,
    field: &Field,
    value: Option<&Value>,
) -> Option<String> {
    let module = resource.module.as_str();
    if let Some(literal) = value.and_then(|v| scalar_literal(krate, field, v)) {
        return Some(literal);
    }
    Some(match &field.ty {
        Type::Scalar(Scalar::String) | Type::Lenient(Scalar::String) => {
            format!("{:?}", field.rust_name.to_uppercase())
        }
        Type::Scalar(Scalar::Integer) | Type::Lenient(Scalar::Integer) => "1".to_owned(),
        Type::Scalar(Scalar::Number) | Type::Lenient(Scalar::Number) => "1.0".to_owned(),
        Type::Scalar(Scalar::Money) | Type::Lenient(Scalar::Money) => {
            format!("{krate}::Decimal::new(1000, 2)")
        }
        Type::Scalar(Scalar::Boolean) | Type::Lenient(Scalar::Boolean) => "true".to_owned(),
        Type::Scalar(Scalar::Date) => format!("{krate}::Date::default()"),
        Type::Scalar(Scalar::DateTime) => format!("{krate}::DateTime::default()"),
        Type::Array(_) => "::std::vec::Vec::new()".to_owned(),
        Type::Map(_) => "::std::collections::BTreeMap::new()".to_owned(),
        Type::Named(reference) => {
            let (owner, defs) = match reference.scope {
                Scope::Models => ("models", models),
                Scope::Resource => (module, resource.types.as_slice()),
            };
            // An enum argument is one of its variants: the example's value, else the first.
            let def = defs.iter().find(|def| def.name == reference.name)?;
            let TypeKind::Enum(values) = &def.kind else {
                return None;
            };
            let wire = value.and_then(Value::as_str);
            let variant = values
                .iter()
                .find(|v| Some(v.wire.as_str()) == wire)
                .or(values.first())?;
            format!("{krate}::{owner}::{}::{}", reference.name, variant.variant)
        }
        Type::Lenient(Scalar::Date | Scalar::DateTime) | Type::Any | Type::Unit => return None,
    })
}

/// A literal for a plain string, number, amount or boolean field whose example value has that
/// type (for an amount or a boolean sent as text, also its text).
fn scalar_literal(krate: &str, field: &Field, value: &Value) -> Option<String> {
    match (&field.ty, value) {
        (Type::Scalar(Scalar::Money), Value::Number(_) | Value::String(_)) => {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
            let mantissa: i64 = format!("{whole}{fraction}").parse().ok()?;
            Some(format!(
                "{krate}::Decimal::new({mantissa}, {})",
                fraction.len()
            ))
        }
        (Type::Scalar(Scalar::Boolean), Value::String(s)) if field.sent_as.is_some() => {
            match s.as_str() {
                "true" | "yes" => Some("true".to_owned()),
                "false" | "no" => Some("false".to_owned()),
                _ => None,
            }
        }
        (Type::Scalar(Scalar::String) | Type::Lenient(Scalar::String), Value::String(s)) => {
            Some(format!("{s:?}"))
        }
        (Type::Scalar(Scalar::Integer) | Type::Lenient(Scalar::Integer), Value::Number(n))
            if n.is_i64() =>
        {
            Some(n.to_string())
        }
        (Type::Scalar(Scalar::Number) | Type::Lenient(Scalar::Number), Value::Number(n)) => {
            n.as_f64().map(|f| format!("{f:?}"))
        }
        (Type::Scalar(Scalar::Boolean) | Type::Lenient(Scalar::Boolean), Value::Bool(b)) => {
            Some(b.to_string())
        }
        _ => None,
    }
}
