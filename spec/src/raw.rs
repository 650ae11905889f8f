//! The spec exactly as written in YAML, with positions: the input to lowering.
//!
//! Each mapping of the spec language is declared once with [`raw_node!`], which derives both the
//! struct and the list of keys it knows ([`Node::KEYS`]): adding a key to the language is one
//! line here. Parsing does not stop at an unknown or a missing key; it records them, and lowering
//! reports them at their positions together with every other problem, so a typo such as
//! `requried` hides nothing else.

use crate::diagnostic::Position;
use crate::yaml::{self, Kind, YamlError};

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
/// [`FromNode`] that records unknown keys instead of failing, and its [`Node`] impl.
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

        impl FromNode for $name {
            fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
                let entries = mapping(node)?;
                let mut raw = $name::default();
                for (key, value) in entries {
                    let key = Spanned::<String>::from_node(key)?;
                    match key.value.as_str() {
                        $(
                            raw_node!(@key $field $($key)?) => {
                                raw.$field = raw_node!(@wrap $kind FromNode::from_node(value)?);
                            }
                        )*
                        _ => raw.unknown.push(key),
                    }
                }
                Ok(raw)
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

impl<V: FromNode> FromNode for OrderedMap<V> {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        mapping(node)?
            .into_iter()
            .map(|(key, value)| Ok((Spanned::from_node(key)?, Spanned::from_node(value)?)))
            .collect::<Result<_, _>>()
            .map(OrderedMap)
    }
}

/// A value and the position it was written at.
#[derive(Debug)]
pub(crate) struct Spanned<T> {
    pub(crate) at: Position,
    pub(crate) value: T,
}

/// A value of the spec read from a YAML node; the first error ends reading.
pub(crate) trait FromNode: Sized {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError>;
}

impl<T: FromNode> FromNode for Spanned<T> {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        let at = node.at;
        Ok(Spanned {
            at,
            value: T::from_node(node)?,
        })
    }
}

impl<T: FromNode> FromNode for Box<T> {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        T::from_node(node).map(Box::new)
    }
}

impl<T: FromNode> FromNode for Vec<T> {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        match node.kind {
            Kind::Sequence(items) => items.into_iter().map(T::from_node).collect(),
            _ => Err(yaml::expected(&node, "sequence start")),
        }
    }
}

impl FromNode for String {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        yaml::string(node)
    }
}

impl FromNode for bool {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        Some(scalar(&node)?)
            .and_then(yaml::boolean)
            .ok_or_else(|| YamlError::new(node.at, "invalid boolean"))
    }
}

impl FromNode for u32 {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        Some(scalar(&node)?)
            .and_then(|text| (!yaml::trim(text).starts_with('-')).then_some(text))
            .and_then(yaml::integer)
            .and_then(|value| u32::try_from(value).ok())
            .ok_or_else(|| YamlError::new(node.at, "invalid u32"))
    }
}

impl FromNode for i64 {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        Some(scalar(&node)?)
            .and_then(yaml::integer)
            .and_then(|value| i64::try_from(value).ok())
            .ok_or_else(|| YamlError::new(node.at, "invalid i64"))
    }
}

impl FromNode for serde_json::Value {
    fn from_node(node: yaml::Node<'_>) -> Result<Self, YamlError> {
        yaml::json(node)
    }
}

/// A scalar's text (null included), or the error for a collection.
fn scalar<'n>(node: &'n yaml::Node<'_>) -> Result<&'n str, YamlError> {
    match &node.kind {
        Kind::Scalar { text, .. } => Ok(text),
        _ => Err(yaml::expected(node, "string scalar")),
    }
}

/// The entries of a mapping, or the error for another node.
fn mapping(node: yaml::Node<'_>) -> Result<Vec<(yaml::Node<'_>, yaml::Node<'_>)>, YamlError> {
    match node.kind {
        Kind::Mapping(entries) => Ok(entries),
        _ => Err(yaml::expected(&node, "mapping start")),
    }
}
