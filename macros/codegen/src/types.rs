//! How spec types become Rust types, and the serde attributes each field needs.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{Field, Scalar, Scope, SentAs, Type, WireKind};

/// The module the generated item is in, which decides how named types are reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// Inside `models`.
    Models,
    /// Inside a resource module, a sibling of `models`.
    Resource,
}

/// The Rust type of `ty` as seen from `site`.
pub(crate) fn rust_type(ty: &Type, site: Site) -> Rust {
    match ty {
        Type::Scalar(scalar) | Type::Lenient(scalar) => scalar_type(*scalar),
        Type::Any => rust! { ::pabbly::serde_json::Value },
        Type::Array(item) => {
            let item = rust_type(item, site);
            rust! { Vec<#item> }
        }
        Type::Map(value) => {
            let value = rust_type(value, site);
            rust! { ::std::collections::BTreeMap<String, #value> }
        }
        Type::Named(reference) => {
            let name = Rust::ident(&reference.name);
            match (reference.scope, site) {
                (Scope::Models, Site::Resource) => rust! { super::models::#name },
                _ => rust! { #name },
            }
        }
        Type::Unit => rust! { () },
    }
}

fn scalar_type(scalar: Scalar) -> Rust {
    match scalar {
        Scalar::String => rust! { String },
        Scalar::Integer => rust! { i64 },
        Scalar::Number => rust! { f64 },
        Scalar::Money => rust! { ::pabbly::Decimal },
        Scalar::Boolean => rust! { bool },
        Scalar::Date => rust! { ::pabbly::Date },
        Scalar::DateTime => rust! { ::pabbly::DateTime },
    }
}

/// The field's type: `Option<T>` unless it is required and never null.
pub(crate) fn field_type(field: &Field, site: Site) -> Rust {
    let ty = rust_type(&field.ty, site);
    if field.is_optional() {
        rust! { Option<#ty> }
    } else {
        ty
    }
}

/// `#[serde(…)]` for a field's serialization: the wire name, skipping an unset option, and
/// the writers of amounts and of booleans Pabbly wants as text.
pub(crate) fn serde_attrs(field: &Field) -> Rust {
    let mut parts = Vec::new();
    if field.wire_name != field.rust_name {
        let wire = &field.wire_name;
        parts.push(rust! { rename = #wire });
    }
    let optional = field.is_optional();
    if optional {
        parts.push(rust! { skip_serializing_if = "Option::is_none" });
    }
    let writer = match (&field.ty, field.sent_as) {
        (Type::Scalar(Scalar::Money), None) => Some("money"),
        (Type::Scalar(Scalar::Money), Some(_)) => Some("money_text"),
        (_, Some(SentAs::Text)) => Some("true_false"),
        (_, Some(SentAs::YesNo)) => Some("yes_no"),
        _ => None,
    };
    if let Some(writer) = writer {
        let suffix = if optional { "_opt" } else { "" };
        let path = format!("rt::ser::{writer}{suffix}");
        parts.push(rust! { serialize_with = #path });
    }
    if parts.is_empty() {
        Rust::new()
    } else {
        rust! { #[serde(#(#parts),*)] }
    }
}

/// The decoder of a field's value (a `DeserializeSeed` of `::pabbly::__private::de`): exact
/// amounts, the wire rules for lenient scalars and dates, Pabbly's `""` for an unset value where
/// the field takes it, or the type's own.
pub(crate) fn decoder(field: &Field) -> Rust {
    let unset = field.blank_is_unset();
    match field.wire_kind() {
        Some(WireKind::Money) if field.is_optional() => rust! { de::MoneyOpt },
        Some(WireKind::Money) => rust! { de::Money },
        Some(WireKind::String | WireKind::Integer | WireKind::Number | WireKind::Boolean) => {
            rust! { de::Plain::new() }
        }
        Some(_) if unset => rust! { de::WireOpt::new() },
        Some(_) => rust! { de::Wire::new() },
        None if unset => rust! { de::EmptyAsNone::new() },
        None => rust! { de::Plain::new() },
    }
}
