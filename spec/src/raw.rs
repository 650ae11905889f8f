//! The spec exactly as written in YAML, with positions: the input to lowering.
//!
//! Each mapping of the spec language is declared once with [`raw_node!`], which derives both the
//! struct and the list of keys it knows ([`Node::KEYS`]): adding a key to the language is one
//! line here. Parsing does not stop at an unknown or a missing key; it records them, and lowering
//! reports them at their positions together with every other problem, so a typo such as
//! `requried` hides nothing else.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A mapping of the spec language: the keys it knows, and the keys of this one that it did not
/// know or missed.
pub(crate) trait Node: Default {
    /// What the mapping is, for messages: "an operation".
    const WHAT: &'static str;
    /// Every key the mapping may have, in declaration order.
    const KEYS: &'static [&'static str];
    /// The keys written in the mapping that it does not know, with their positions.
    fn unknown(&self) -> &[Spanned<String>];
    /// The required keys the mapping lacks.
    fn missing(&self) -> Vec<&'static str>;
}

/// Declares one mapping of the spec language: a struct whose fields are its keys, a
/// `Deserialize` that records unknown keys instead of failing, and its [`Node`] impl.
///
/// Each field is `required` (an `Option`, `None` when missing, which lowering reports),
/// `optional` (an `Option`) or `default` (the type's default when absent); `as "key"` spells a
/// key that is not the field's name.
macro_rules! raw_node {
    (
        $(#[$meta:meta])*
        struct $name:ident ($what:literal) {
            $(
                $(#[$field_meta:meta])*
                $field:ident $(as $key:literal)?: $kind:ident $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub(crate) struct $name {
            $(
                $(#[$field_meta])*
                pub(crate) $field: raw_node!(@type $kind $ty),
            )*
            /// Keys written here that the spec language does not know.
            pub(crate) unknown: Vec<Spanned<String>>,
        }

        impl Node for $name {
            const WHAT: &'static str = $what;
            const KEYS: &'static [&'static str] = &[$(raw_node!(@key $field $($key)?)),*];

            fn unknown(&self) -> &[Spanned<String>] {
                &self.unknown
            }

            fn missing(&self) -> Vec<&'static str> {
                let mut missing = Vec::new();
                $(
                    if raw_node!(@absent $kind self.$field) {
                        missing.push(raw_node!(@key $field $($key)?));
                    }
                )*
                missing
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct NodeVisitor;

                impl<'de> Visitor<'de> for NodeVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "{} (a mapping)", $what)
                    }

                    fn visit_map<A: MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<Self::Value, A::Error> {
                        let mut node = $name::default();
                        while let Some(key) = map.next_key::<Spanned<String>>()? {
                            match key.value.as_str() {
                                $(
                                    raw_node!(@key $field $($key)?) => {
                                        node.$field = raw_node!(@wrap $kind map.next_value()?);
                                    }
                                )*
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                    node.unknown.push(key);
                                }
                            }
                        }
                        Ok(node)
                    }
                }

                deserializer.deserialize_map(NodeVisitor)
            }
        }
    };
    (@type required $ty:ty) => { Option<$ty> };
    (@type optional $ty:ty) => { Option<$ty> };
    (@type default $ty:ty) => { $ty };
    (@key $field:ident $key:literal) => { $key };
    (@key $field:ident) => { stringify!($field) };
    (@wrap default $value:expr) => { $value };
    (@wrap $kind:ident $value:expr) => { Some($value) };
    (@absent required $value:expr) => { $value.is_none() };
    (@absent $kind:ident $value:expr) => { false };
}

raw_node! {
    /// A whole spec file.
    struct RawSpec ("the spec") {
        spec_version: required Spanned<u32>,
        api: required Spanned<RawApi>,
        types: default OrderedMap<RawSchema>,
        operations: required Vec<Spanned<RawOperation>>,
        /// The events Pabbly POSTs to a merchant's URL.
        webhooks: optional Spanned<RawWebhooks>,
    }
}

raw_node! {
    /// The `api:` section: facts about the API as a whole.
    struct RawApi ("the `api` section") {
        title: required String,
        version: required String,
        description: optional String,
        base_url: required Spanned<String>,
        auth: required Spanned<String>,
        docs: optional String,
    }
}

raw_node! {
    /// One entry of `operations:`.
    struct RawOperation ("an operation") {
        id: required Spanned<String>,
        method: required Spanned<String>,
        path: required Spanned<String>,
        /// Where `path` is rooted when not at the API's base URL, relative to it (`../v2`).
        base: optional Spanned<String>,
        summary: required String,
        description: optional String,
        docs: optional String,
        path_params: default OrderedMap<RawSchema>,
        query: default OrderedMap<RawSchema>,
        body: default OrderedMap<RawSchema>,
        response: required Spanned<RawResponse>,
        examples: optional Spanned<RawExamples>,
        /// The page under `spec/docs/` this operation was written from; `check` compares the two.
        doc_page: optional Spanned<String>,
        /// Deliberate differences from the doc page, which `check` does not report.
        overrides: default Vec<Spanned<RawOverride>>,
        /// Whether sending the request twice has the effect of sending it once; defaults from
        /// the method (GET, PUT and DELETE are, POST and PATCH are not).
        repeat_safe: optional Spanned<bool>,
        /// Why `repeat_safe` differs from the method's default; required when it does.
        repeat_reason: optional Spanned<String>,
    }
}

raw_node! {
    /// One entry of `overrides:`: a location where the spec differs from its page on purpose.
    struct RawOverride ("an override") {
        at: required Spanned<String>,
        // Optional here so lowering can say which override lacks its reason, at its position.
        reason: optional Spanned<String>,
    }
}

raw_node! {
    /// What a successful call answers.
    struct RawResponse ("a response") {
        envelope: optional Spanned<String>,
        data: optional Spanned<RawSchema>,
        /// For untyped data: the named type the answer most likely is, for the method docs.
        probably: optional Spanned<String>,
    }
}

raw_node! {
    /// Example bodies copied from the docs; checked against the schemas.
    struct RawExamples ("the examples") {
        request: optional Spanned<serde_json::Value>,
        response: optional Spanned<serde_json::Value>,
    }
}

raw_node! {
    /// The `webhooks:` section: the events Pabbly sends, one entry each.
    struct RawWebhooks ("the `webhooks` section") {
        description: optional String,
        events: required Vec<Spanned<RawEvent>>,
    }
}

raw_node! {
    /// One entry of `webhooks.events:`.
    struct RawEvent ("a webhook event") {
        /// The `event_type` string on the wire.
        event: required Spanned<String>,
        /// The event's name as the docs list it ("Subscription upgrade scheduled").
        name: required String,
        /// Whether the docs show the wire string; `false` when it is inferred from the name.
        confirmed: required Spanned<bool>,
        description: optional String,
        /// What `data` holds: a named type, or `any` when the docs do not say.
        data: required Spanned<RawSchema>,
        /// The read of one object that confirms the event.
        confirm: optional Spanned<RawConfirm>,
        /// A whole body the docs show.
        example: optional Spanned<serde_json::Value>,
    }
}

raw_node! {
    /// How an event is confirmed: which operation reads its object back, with which key of `data`.
    struct RawConfirm ("a webhook confirmation") {
        operation: required Spanned<String>,
        /// The key of `data` holding the id the operation's one path parameter takes.
        id: required Spanned<String>,
        /// The event reports a deletion: confirmed when the object is gone.
        gone: optional Spanned<bool>,
    }
}

raw_node! {
    /// A type, a field or a parameter: one node of the type language.
    ///
    /// Field-only keys (`required`, `nullable`, `rust_name`, `description`, `default`,
    /// `sensitive`, `minimum`, `maximum`, `sent_as`) are accepted everywhere by the parser;
    /// lowering rejects them where they mean nothing.
    struct RawSchema ("a type or field") {
        ty as "type": required Spanned<String>,
        description: optional String,
        required: optional Spanned<bool>,
        nullable: optional Spanned<bool>,
        lenient: optional Spanned<bool>,
        format: optional Spanned<String>,
        values as "enum": optional Spanned<Vec<Spanned<String>>>,
        default: optional serde_json::Value,
        rust_name: optional Spanned<String>,
        /// The value is a secret (card data, a sign-in token): never shown by `Debug`.
        sensitive: optional Spanned<bool>,
        /// The smallest value an integer may take.
        minimum: optional Spanned<i64>,
        /// The largest value an integer may take.
        maximum: optional Spanned<i64>,
        /// How a boolean or an amount travels when Pabbly wants text: `text` or `yes-no`.
        sent_as: optional Spanned<String>,
        items: optional Box<Spanned<RawSchema>>,
        map_values as "values": optional Box<Spanned<RawSchema>>,
        fields: optional OrderedMap<RawSchema>,
    }
}

/// A YAML mapping whose entry order matters (struct fields, parameters) and whose keys keep
/// their positions. Duplicate keys are already refused by the YAML loader.
#[derive(Debug)]
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(Spanned<String>, Spanned<V>)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = OrderedMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names to definitions")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}
