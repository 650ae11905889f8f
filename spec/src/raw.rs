//! The spec exactly as written in YAML, with positions: the input to lowering.
//!
//! Unknown keys are rejected here (`deny_unknown_fields`) so a typo such as `requried` is an
//! error at its position instead of a silently ignored flag.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub(crate) spec_version: Spanned<u32>,
    pub(crate) api: RawApi,
    #[serde(default)]
    pub(crate) types: OrderedMap<RawSchema>,
    pub(crate) operations: Vec<Spanned<RawOperation>>,
}

/// The `api:` section: facts about the API as a whole.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawApi {
    pub(crate) title: String,
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
    pub(crate) base_url: Spanned<String>,
    pub(crate) auth: Spanned<String>,
    #[serde(default)]
    pub(crate) docs: Option<String>,
}

/// One entry of `operations:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOperation {
    pub(crate) id: Spanned<String>,
    pub(crate) method: Spanned<String>,
    pub(crate) path: Spanned<String>,
    /// Where `path` is rooted when not at the API's base URL, relative to it (`../v2`).
    #[serde(default)]
    pub(crate) base: Option<Spanned<String>>,
    pub(crate) summary: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) docs: Option<String>,
    #[serde(default)]
    pub(crate) path_params: OrderedMap<RawSchema>,
    #[serde(default)]
    pub(crate) query: OrderedMap<RawSchema>,
    #[serde(default)]
    pub(crate) body: OrderedMap<RawSchema>,
    pub(crate) response: Spanned<RawResponse>,
    #[serde(default)]
    pub(crate) examples: RawExamples,
    /// The page under `spec/docs/` this operation was written from; `check` compares the two.
    #[serde(default)]
    pub(crate) doc_page: Option<Spanned<String>>,
    /// Deliberate differences from the doc page, which `check` does not report.
    #[serde(default)]
    pub(crate) overrides: Vec<Spanned<RawOverride>>,
    /// Whether sending the request twice has the effect of sending it once; defaults from the
    /// method (GET, PUT and DELETE are, POST and PATCH are not).
    #[serde(default)]
    pub(crate) repeat_safe: Option<Spanned<bool>>,
    /// Why `repeat_safe` differs from the method's default; required when it does.
    #[serde(default)]
    pub(crate) repeat_reason: Option<Spanned<String>>,
}

/// One entry of `overrides:`: a location where the spec differs from its page on purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOverride {
    pub(crate) at: Spanned<String>,
    // Optional here so lowering can say which override lacks its reason, at its position.
    #[serde(default)]
    pub(crate) reason: Option<Spanned<String>>,
}

/// What a successful call answers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResponse {
    #[serde(default)]
    pub(crate) envelope: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) data: Option<Spanned<RawSchema>>,
    /// For data of `type: any`: the named type the answer most likely is, for the method docs.
    #[serde(default)]
    pub(crate) probably: Option<Spanned<String>>,
}

/// Example bodies copied from the docs; checked against the schemas.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExamples {
    #[serde(default)]
    pub(crate) request: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub(crate) response: Option<Spanned<serde_json::Value>>,
}

/// A type, a field or a parameter: one node of the type language.
///
/// Field-only keys (`required`, `nullable`, `rust_name`, `description`, `default`, `sensitive`,
/// `minimum`, `maximum`, `sent_as`) are accepted
/// everywhere by the parser; lowering rejects them where they mean nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchema {
    #[serde(rename = "type")]
    pub(crate) ty: Spanned<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) required: Option<Spanned<bool>>,
    #[serde(default)]
    pub(crate) nullable: Option<Spanned<bool>>,
    #[serde(default)]
    pub(crate) lenient: Option<Spanned<bool>>,
    #[serde(default)]
    pub(crate) format: Option<Spanned<String>>,
    #[serde(default, rename = "enum")]
    pub(crate) values: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(crate) default: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) rust_name: Option<Spanned<String>>,
    /// The value is a secret (card data, a sign-in token): never shown by `Debug`.
    #[serde(default)]
    pub(crate) sensitive: Option<Spanned<bool>>,
    /// The smallest value an integer may take.
    #[serde(default)]
    pub(crate) minimum: Option<Spanned<i64>>,
    /// The largest value an integer may take.
    #[serde(default)]
    pub(crate) maximum: Option<Spanned<i64>>,
    /// How a boolean travels when Pabbly wants text: `text` (`"true"`/`"false"`) or `yes-no`.
    #[serde(default)]
    pub(crate) sent_as: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) items: Option<Box<Spanned<RawSchema>>>,
    #[serde(default, rename = "values")]
    pub(crate) map_values: Option<Box<Spanned<RawSchema>>>,
    #[serde(default)]
    pub(crate) fields: Option<OrderedMap<RawSchema>>,
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
