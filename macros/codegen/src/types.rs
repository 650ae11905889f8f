//! How spec types become Rust types, and the serde attributes each field needs.

use pabbly_spec::ir::{Field, Scalar, Scope, Type};
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
        Type::Any => quote! { ::pabbly::__private::serde_json::Value },
        Type::Array(item) => {
            let item = rust_type(item, site);
            quote! { ::std::vec::Vec<#item> }
        }
        Type::Map(value) => {
            let value = rust_type(value, site);
            quote! { ::std::collections::BTreeMap<::std::string::String, #value> }
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
        Scalar::String => quote! { ::std::string::String },
        Scalar::Integer => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Boolean => quote! { bool },
        Scalar::Date => quote! { ::pabbly::Date },
        Scalar::DateTime => quote! { ::pabbly::DateTime },
    }
}

/// The field's type: `Option<T>` unless it is required and never null.
pub(crate) fn field_type(field: &Field, site: Site) -> TokenStream {
    let ty = rust_type(&field.ty, site);
    if field.is_optional() {
        quote! { ::core::option::Option<#ty> }
    } else {
        ty
    }
}

/// `#[serde(…)]` for a field: the wire name, and the lenient decoding Pabbly's data needs.
pub(crate) fn serde_attrs(field: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if field.wire_name != field.rust_name {
        let wire = &field.wire_name;
        parts.push(quote! { rename = #wire });
    }
    if field.is_optional() {
        parts.push(quote! { default });
        parts.push(quote! { skip_serializing_if = "::core::option::Option::is_none" });
    }
    let decoder = match (&field.ty, field.is_optional()) {
        (Type::Lenient(_), false) => Some("::pabbly::__private::de::loose"),
        (Type::Lenient(_), true) => Some("::pabbly::__private::de::loose_opt"),
        // Pabbly writes an unset date as "" as often as null.
        (Type::Scalar(Scalar::Date | Scalar::DateTime), true) => {
            Some("::pabbly::__private::de::empty_as_none")
        }
        _ => None,
    };
    if let Some(path) = decoder {
        parts.push(quote! { deserialize_with = #path });
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote! { #[serde(#(#parts),*)] }
    }
}
