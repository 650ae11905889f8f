//! Named types: structs with their serde mapping and open enums that keep unknown values.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{Api, EnumValue, Field, Scalar, SentAs, Type, TypeDef, TypeKind, Usage};

use crate::docs;
use crate::types::{self, Site};

/// What a struct implements besides `Clone` and `Debug`: only what the way it travels needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Impls {
    /// Sent: `extra` holds fields to send as well.
    sent: bool,
    /// The decoder and `Deserialize`: received.
    decode: bool,
    /// `PartialEq`: received, so decoded values can be compared.
    compare: bool,
}

impl Impls {
    /// For a type that travels as `usage`; `registry`: the operation registry is generated,
    /// which takes every request as JSON, so every type decodes. Every type is `Serialize`:
    /// what is sent must be, and what Pabbly sent can then be stored or stubbed as it came.
    pub(crate) fn new(usage: Usage, registry: bool) -> Self {
        Self {
            sent: usage.sent,
            decode: usage.received || registry,
            compare: usage.received,
        }
    }
}

/// The `models` module with every shared type.
pub(crate) fn expand_module(api: &Api, registry: bool) -> Rust {
    let types = api
        .models
        .iter()
        .map(|def| expand_type(def, Site::Models, registry));
    // Without types the import would be unused, a warning in the user's crate.
    let runtime = (!api.models.is_empty()).then(|| rust! { use ::pabbly::__private as rt; });
    rust! {
        /// Objects the API sends and receives, shared between operations.
        pub mod models {
            #runtime
            #(#types)*
        }
    }
}

/// One named type, as a struct or an open enum.
pub(crate) fn expand_type(def: &TypeDef, site: Site, registry: bool) -> Rust {
    let doc = docs::lines(def.description.as_deref().unwrap_or(""));
    match &def.kind {
        TypeKind::Struct(fields) => {
            let impls = Impls::new(def.usage, registry);
            expand_struct(&def.name, &doc, fields, site, impls)
        }
        TypeKind::Enum(values) => expand_enum(&def.name, &doc, values),
    }
}

/// A struct with public fields, a constructor taking its required fields and a setter for each
/// optional one, so values can be built outside this crate despite `#[non_exhaustive]`.
///
/// Every struct keeps the fields it does not list in `extra`, decodes through
/// [`object_impl`] when it is received, and hides its `sensitive` fields from `Debug`.
pub(crate) fn expand_struct(
    name: &str,
    doc: &Rust,
    fields: &[Field],
    site: Site,
    impls: Impls,
) -> Rust {
    let constructors = constructors(name, fields, site);
    let decode = impls.decode.then(|| object_impl(name, fields));
    let debug = fields
        .iter()
        .any(|f| f.sensitive)
        .then(|| redacting_debug(name, fields));
    let derive_debug = debug.is_none().then(|| rust! { Debug, });
    let derive_eq = impls.compare.then(|| rust! { PartialEq, });
    let extra_doc = match (impls.sent, impls.compare) {
        (true, true) => {
            " Fields Pabbly sent that this type does not list (on a request: extra fields to send)."
        }
        (true, false) => " Fields to send besides the ones this type lists.",
        (false, _) => " Fields Pabbly sent that this type does not list.",
    };
    let ident = Rust::ident(name);
    let fields = fields.iter().map(|field| struct_field(field, site));
    rust! {
        #doc
        #[derive(
            Clone,
            #derive_debug
            #derive_eq
            rt::serde::Serialize,
        )]
        #[serde(crate = "rt::serde")]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            #[doc = #extra_doc]
            #[serde(flatten)]
            pub extra: ::pabbly::ExtraFields,
        }

        #constructors
        #decode
        #debug
    }
}

/// Decoding: one `match` arm per wire name, the rest kept in `extra`.
fn object_impl(name: &str, fields: &[Field]) -> Rust {
    let ident = Rust::ident(name);
    let slots: Vec<_> = fields.iter().map(|f| Rust::ident(&f.rust_name)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    let decoders = fields.iter().map(types::decoder);
    let values = fields.iter().zip(&slots).map(|(field, slot)| {
        let wire = &field.wire_name;
        if field.is_optional() {
            rust! { #slot: #slot.unwrap_or_default() }
        } else {
            rust! { #slot: de::required(#slot, #wire)? }
        }
    });
    rust! {
        impl rt::de::Object for #ident {
            const NAME: &'static str = #name;

            fn decode<'de, A>(mut map: A) -> Result<Self, A::Error>
            where
                A: rt::serde::de::MapAccess<'de>,
            {
                use rt::de;
                #(let mut #slots = None;)*
                let mut extra = ::pabbly::ExtraFields::new();
                while let Some(key) = map.next_key::<de::Key<'de>>()? {
                    match key.as_str() {
                        #(#wires => de::field(&mut map, &mut #slots, #wires, #decoders)?,)*
                        _ => de::keep(&mut map, &mut extra, key)?,
                    }
                }
                Ok(Self {
                    #(#values,)*
                    extra,
                })
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #ident {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: rt::serde::Deserializer<'de>,
            {
                rt::de::object(deserializer)
            }
        }
    }
}

/// `Debug` that shows `<redacted>` for every sensitive field (or `None` when it is unset).
fn redacting_debug(name: &str, fields: &[Field]) -> Rust {
    let ident = Rust::ident(name);
    let entries = fields.iter().map(|field| {
        let rust = &field.rust_name;
        let slot = Rust::ident(rust);
        let shown = match (field.sensitive, field.is_optional()) {
            (false, _) => rust! { &self.#slot },
            (true, false) => rust! { &rt::Redacted },
            (true, true) => rust! { &rt::redacted_opt(&self.#slot) },
        };
        rust! { .field(#rust, #shown) }
    });
    rust! {
        impl ::core::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    .field("extra", &self.extra)
                    .finish()
            }
        }
    }
}

/// `new` with the required fields as arguments, a setter per optional field, and `Default`
/// when nothing is required.
fn constructors(name: &str, fields: &[Field], site: Site) -> Rust {
    let name = Rust::ident(name);
    let (required, optional): (Vec<&Field>, Vec<&Field>) =
        fields.iter().partition(|f| !f.is_optional());
    let args = required.iter().map(|f| {
        let ident = Rust::ident(&f.rust_name);
        let ty = types::rust_type(&f.ty, site);
        rust! { #ident: impl Into<#ty> }
    });
    let inits = fields.iter().map(|f| {
        let ident = Rust::ident(&f.rust_name);
        if f.is_optional() {
            rust! { #ident: None }
        } else {
            rust! { #ident: #ident.into() }
        }
    });
    let inits = rust! { #(#inits,)* extra: ::pabbly::ExtraFields::new() };
    let setters = optional.iter().map(|f| {
        let ident = Rust::ident(&f.rust_name);
        let ty = types::rust_type(&f.ty, site);
        let doc = field_doc(f);
        rust! {
            #doc
            #[must_use]
            pub fn #ident(mut self, #ident: impl Into<#ty>) -> Self {
                self.#ident = Some(#ident.into());
                self
            }
        }
    });
    let new_doc = if required.is_empty() {
        " Starts a value with every field unset.".to_owned()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.rust_name))
            .collect();
        format!(
            " Starts a value from its required fields: {}.",
            names.join(", ")
        )
    };
    let default = required.is_empty().then(|| {
        rust! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    // Clippy's limit is seven; a constructor takes exactly the required fields, however many.
    let allow = (required.len() > 7).then(|| {
        rust! { #[allow(clippy::too_many_arguments, reason = "one argument per required field")] }
    });
    rust! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #inits }
            }

            #(#setters)*
        }

        #default
    }
}

/// A public field with its doc, serde mapping and type.
fn struct_field(field: &Field, site: Site) -> Rust {
    let doc = field_doc(field);
    let attrs = types::serde_attrs(field);
    let ident = Rust::ident(&field.rust_name);
    let ty = types::field_type(field, site);
    rust! {
        #doc
        #attrs
        pub #ident: #ty,
    }
}

/// The field's description, plus its wire name when Rust spells it differently.
pub(crate) fn field_doc(field: &Field) -> Rust {
    let wire =
        (field.wire_name != field.rust_name).then(|| format!("Sent as `{}`.", field.wire_name));
    let money = field.ty == Type::Scalar(Scalar::Money);
    let text = field.sent_as.map(|text| match text {
        SentAs::Text if money => "Written as a decimal text such as `\"150.00\"`.",
        SentAs::Text => "Written as the text `\"true\"` or `\"false\"`.",
        SentAs::YesNo => "Written as the text `\"yes\"` or `\"no\"`.",
    });
    let range = match (field.range.min, field.range.max) {
        (Some(min), Some(max)) => Some(format!(
            "From {min} to {max}; other values are refused before sending."
        )),
        (Some(min), None) => Some(format!(
            "At least {min}; smaller values are refused before sending."
        )),
        (None, Some(max)) => Some(format!(
            "At most {max}; larger values are refused before sending."
        )),
        (None, None) => None,
    };
    let sensitive = field
        .sensitive
        .then(|| "A secret: `Debug` shows it as `<redacted>`.".to_owned());
    docs::paragraphs([
        field.description.clone(),
        wire,
        text.map(str::to_owned),
        range,
        sensitive,
    ])
}

fn expand_enum(name: &str, doc: &Rust, values: &[EnumValue]) -> Rust {
    let variant_docs: Vec<Rust> = values
        .iter()
        .map(|v| docs::lines(&format!("`{}`", v.wire)))
        .collect();
    expand_open_enum(name, doc, values, &variant_docs)
}

/// An open enum whose variants carry `variant_docs` (one per value): unknown values decode as
/// `Unknown`.
pub(crate) fn expand_open_enum(
    name: &str,
    doc: &Rust,
    values: &[EnumValue],
    variant_docs: &[Rust],
) -> Rust {
    let name = Rust::ident(name);
    let variants: Vec<_> = values.iter().map(|v| Rust::ident(&v.variant)).collect();
    let wires: Vec<_> = values.iter().map(|v| v.wire.as_str()).collect();
    rust! {
        #doc
        ///
        /// Values this version does not know decode as `Unknown` instead of failing; only
        /// decoding makes one, so a request can carry an unlisted value only if Pabbly sent it.
        #[derive(
            Clone,
            Debug,
            PartialEq,
            Eq,
            Hash,
        )]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            /// A value the spec does not list, kept as sent.
            Unknown(::pabbly::UnknownValue),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl rt::de::WireEnum for #name {
            fn from_wire(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(rt::unknown_value(other)),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rt::serde::Serialize for #name {
            fn serialize<__S>(&self, serializer: __S) -> Result<__S::Ok, __S::Error>
            where
                __S: rt::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(deserializer: __D) -> Result<Self, __D::Error>
            where
                __D: rt::serde::Deserializer<'de>,
            {
                rt::de::open_enum(deserializer)
            }
        }
    }
}
