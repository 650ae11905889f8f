//! How spec types become Rust types, and the serde attributes each field needs.

use pabbly_spec::ir::{Field, Scalar, Scope, SentAs, Type, WireKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The module the generated item is in, which decides how named types are reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// Inside `models`.
    Models,
    /// Inside a resource module, a sibling of `models`.
    Resource,
}

/// The Rust type of `ty` as seen from `site`.
pub(crate) fn rust_type(ty: &Type, site: Site) -> TokenStream {
    match ty {
        Type::Scalar(scalar) | Type::Lenient(scalar) => scalar_type(*scalar),
        Type::Any => quote! { ::pabbly::serde_json::Value },
        Type::Array(item) => {
            let item = rust_type(item, site);
            quote! { Vec<#item> }
        }
        Type::Map(value) => {
            let value = rust_type(value, site);
            quote! { ::std::collections::BTreeMap<String, #value> }
        }
        Type::Named(reference) => {
            let name = format_ident!("{}", reference.name);
            match (reference.scope, site) {
                (Scope::Models, Site::Resource) => quote! { super::models::#name },
                _ => quote! { #name },
            }
        }
        Type::Unit => quote! { () },
    }
}

fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String => quote! { String },
        Scalar::Integer => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Money => quote! { ::pabbly::Decimal },
        Scalar::Boolean => quote! { bool },
        Scalar::Date => quote! { ::pabbly::Date },
        Scalar::DateTime => quote! { ::pabbly::DateTime },
    }
}

/// The field's type: `Option<T>` unless it is required and never null.
pub(crate) fn field_type(field: &Field, site: Site) -> TokenStream {
    let ty = rust_type(&field.ty, site);
    if field.is_optional() {
        quote! { Option<#ty> }
    } else {
        ty
    }
}

/// `#[serde(…)]` for a field's serialization: the wire name, skipping an unset option, and
/// the writers of amounts and of booleans Pabbly wants as text.
pub(crate) fn serde_attrs(field: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if field.wire_name != field.rust_name {
        let wire = &field.wire_name;
        parts.push(quote! { rename = #wire });
    }
    let optional = field.is_optional();
    if optional {
        parts.push(quote! { skip_serializing_if = "Option::is_none" });
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
        parts.push(quote! { serialize_with = #path });
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote! { #[serde(#(#parts),*)] }
    }
}

/// The decoder of a field's value (a `DeserializeSeed` of `::pabbly::__private::de`): exact
/// amounts, the wire rules for lenient scalars and dates, Pabbly's `""` for an unset value where
/// the field takes it, or the type's own.
pub(crate) fn decoder(field: &Field) -> TokenStream {
    let unset = field.blank_is_unset();
    match field.wire_kind() {
        Some(WireKind::Money) if field.is_optional() => quote! { de::MoneyOpt },
        Some(WireKind::Money) => quote! { de::Money },
        Some(WireKind::String | WireKind::Integer | WireKind::Number | WireKind::Boolean) => {
            quote! { de::Plain::new() }
        }
        Some(_) if unset => quote! { de::WireOpt::new() },
        Some(_) => quote! { de::Wire::new() },
        None if unset => quote! { de::EmptyAsNone::new() },
        None => quote! { de::Plain::new() },
    }
}
