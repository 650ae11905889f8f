//! How generated objects decode: one pass over the JSON object, each known field through its
//! decoder (see `crate::de`), every other field kept in [`ExtraFields`], and secrets kept out of
//! `Debug`.
//!
//! Generated structs implement [`Object`] (a `match` on the wire name per field) instead of
//! deriving `Deserialize`, because serde's derive can keep unknown fields only through
//! `#[serde(flatten)]`, which buffers the whole object first: slower, and it turns every number
//! into an `f64` before an amount's decoder could read its digits.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The fields of an object that its type does not list, kept as Pabbly sent them.
///
/// Pabbly's answers often carry more than its reference shows. Every generated type keeps those
/// fields here, by wire name, so no data is lost: read one with [`get`](Self::get) or decode it
/// with [`decode`](Self::decode). On a request type, fields added here are sent along with the
/// typed ones, for a parameter this version of the crate does not know yet.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut extra = pabbly::ExtraFields::new();
/// extra.insert("gateway_note", "paid at the counter");
/// assert_eq!(extra.get("gateway_note").and_then(|v| v.as_str()), Some("paid at the counter"));
/// let note: String = extra.decode("gateway_note")?.unwrap_or_default();
/// assert_eq!(note, "paid at the counter");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ExtraFields(Map<String, Value>);

impl ExtraFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value sent under `name`, if the object had such a field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Decodes the value under `name` into `T`; `Ok(None)` when there is no such field.
    ///
    /// # Errors
    /// When the value is not a `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, serde_json::Error> {
        self.0.get(name).map(T::deserialize).transpose()
    }

    /// Adds or replaces the field `name`; returns the value it replaced.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.0.insert(name.into(), value.into())
    }

    /// Removes the field `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }

    /// The fields in the order they were sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (the type lists everything that was sent).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

/// A generated object: decodes itself from the entries of a JSON object.
pub trait Object: Sized {
    /// The type's name, for "expected a `Plan` object" messages.
    const NAME: &'static str;

    /// Reads every entry of `map`.
    ///
    /// # Errors
    /// When a listed field is missing, repeated or does not decode.
    fn decode<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a generated object.
///
/// # Errors
/// When the input is not an object of this type.
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a `{}` object", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::decode(map)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// An object's key, borrowed from the input when it has no escapes.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of the field `name` into `slot` with `decoder`; a field sent twice is an
/// error rather than a guess at which one Pabbly meant.
///
/// # Errors
/// When the field was already read or its value does not decode.
pub fn field<'de, A, S>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &'static str,
    decoder: S,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(decoder)?);
    Ok(())
}

/// The value of a field that must be present.
///
/// # Errors
/// When it was not.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Keeps the entry under `key`, which the type does not list, in `extra`.
///
/// # Errors
/// When the value is not JSON (it always is, coming from a JSON decoder).
pub fn keep<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut ExtraFields,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    extra.0.insert(key.0.into_owned(), value);
    Ok(())
}

/// Serializes an optional field with `write`, `None` as `null` (normally skipped by the field's
/// `skip_serializing_if`).
pub(crate) fn serialize_optional<T, S: serde::Serializer>(
    value: &Option<T>,
    serializer: S,
    write: impl FnOnce(&T, S) -> Result<S::Ok, S::Error>,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => write(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// A value of an enum that this version of the crate does not list, kept exactly as Pabbly sent
/// it: the payload of every generated enum's `Unknown` variant.
///
/// Only decoding an answer makes one, so a request can carry a value the spec does not list
/// only when it came from Pabbly; a typo in your own code cannot compile.
///
/// ```
/// use pabbly::models::SubscriptionStatus;
///
/// fn describe(status: &SubscriptionStatus) -> String {
///     match status {
///         SubscriptionStatus::Live => "live".to_owned(),
///         SubscriptionStatus::Unknown(value) => format!("new to us: {value}"),
///         other => other.as_str().to_owned(),
///     }
/// }
/// # let _ = describe;
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value as Pabbly sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `Unknown` payload of a decoded value; for generated decoders only.
pub fn unknown_value(value: &str) -> UnknownValue {
    UnknownValue(value.to_owned())
}

/// What `Debug` shows in place of a secret.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Redacted` for a secret that is set, `None` for one that is not: `Debug` may say whether a
/// card number was given, never what it is.
pub fn redacted_opt<T>(value: &Option<T>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}
