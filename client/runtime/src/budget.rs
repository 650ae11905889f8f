//! A memory budget for decoding one answer: a `Deserializer` adapter that charges the heap each
//! decoded value takes against a limit, so that a body inside the size cap cannot decode into a
//! structure hundreds of times its size (4 MiB of `[{},{},…]` as a list of 776-byte structs).
//!
//! The charge follows how the standard collections allocate, so that it bounds what is really
//! held: a string costs its length, a sequence element twice its size (a `Vec` holds up to
//! twice the elements it has), a map entry twice its key and value, and the first element of a
//! collection as much as the first allocation (four `Vec` slots, a whole `BTreeMap` node); each
//! allocation also pays [`ALLOCATION`]. What lives inline (a struct's fields, an `Option`) is
//! paid for by its container. Skipped values (`IgnoredAny`) cost nothing.

use std::cell::Cell;
use std::fmt;
use std::mem::size_of;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

/// How many times `max_response_bytes` one answer may take once decoded.
const DECODED_PER_BODY_BYTE: usize = 4;

/// What one heap allocation costs beyond the bytes asked for (the allocator's header and
/// rounding).
const ALLOCATION: usize = 16;

/// Slots a collection's first allocation holds: four for a `Vec`, a whole node of eleven for a
/// `BTreeMap` (an `IndexMap` takes less).
const FIRST_VEC_SLOTS: usize = 4;
const FIRST_MAP_SLOTS: usize = 11;

/// A map entry's share of the map's bookkeeping beyond its key and value (an `IndexMap`'s hash
/// and index slot, a `BTreeMap`'s edges).
const ENTRY: usize = 48;

/// The decoded-size limit for a client whose bodies may be `max_response_bytes` long.
pub(crate) fn limit_for(max_response_bytes: usize) -> usize {
    max_response_bytes.saturating_mul(DECODED_PER_BODY_BYTE)
}

/// What one decode may still spend, and whether it ran out.
pub(crate) struct Budget {
    limit: usize,
    left: Cell<usize>,
    exhausted: Cell<bool>,
}

impl Budget {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            left: Cell::new(limit),
            exhausted: Cell::new(false),
        }
    }

    /// Whether a decode with this budget was stopped for exceeding it.
    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// What an answer that ran out is told.
    pub(crate) fn refusal(&self) -> String {
        format!(
            "response would take more than {} bytes once decoded ({DECODED_PER_BODY_BYTE} times \
             max_response_bytes)",
            self.limit
        )
    }

    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        match self.left.get().checked_sub(bytes) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.exhausted.set(true);
                Err(E::custom(self.refusal()))
            }
        }
    }
}

/// `serde_json::from_slice` within `budget`.
pub(crate) fn from_slice<T: DeserializeOwned>(
    bytes: &[u8],
    budget: &Budget,
) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = T::deserialize(Metered {
        inner: &mut deserializer,
        budget,
    })?;
    deserializer.end()?;
    Ok(value)
}

/// A deserializer whose every value is charged to `budget`.
struct Metered<'b, D> {
    inner: D,
    budget: &'b Budget,
}

/// Whether the values a visitor receives from a sequence or map are stored inline in what it
/// builds (a struct's fields, a tuple) or in a collection it allocates (`Vec`, map, `Value`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
    Inline,
    Collection,
}

struct Meter<'b, V> {
    inner: V,
    budget: &'b Budget,
    holds: Holds,
}

macro_rules! forward {
    ($holds:ident: $($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                let visitor = Meter { inner: visitor, budget: self.budget, holds: Holds::$holds };
                self.inner.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Metered<'_, D> {
    type Error = D::Error;

    forward! {Collection:
        deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
        deserialize_i32(), deserialize_i64(), deserialize_i128(), deserialize_u8(),
        deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_u128(),
        deserialize_f32(), deserialize_f64(), deserialize_char(), deserialize_str(),
        deserialize_string(), deserialize_bytes(), deserialize_byte_buf(), deserialize_option(),
        deserialize_unit(), deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str), deserialize_seq(),
        deserialize_map(),
    }

    forward! {Inline:
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        // Skipping builds nothing.
        self.inner.deserialize_ignored_any(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        // A field or variant name is matched, not kept.
        self.inner.deserialize_identifier(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<'b, 'de, V: Visitor<'de>> Meter<'b, V> {
    /// A string or byte buffer of `len` bytes, unless the visitor's value cannot hold one.
    fn charge_text<E: de::Error>(&self, len: usize) -> Result<(), E> {
        if len == 0 || size_of::<V::Value>() == 0 {
            return Ok(());
        }
        self.budget.charge(len.saturating_add(ALLOCATION))
    }

    fn metered<D>(&self, inner: D) -> Metered<'b, D> {
        Metered {
            inner,
            budget: self.budget,
        }
    }
}

macro_rules! pass {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.inner.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Meter<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    pass! {
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i64(i64),
        visit_i128(i128), visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u64(u64),
        visit_u128(u128), visit_f32(f32), visit_f64(f64), visit_char(char),
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_str(value)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_borrowed_str(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_string(value)
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_bytes(value)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_borrowed_bytes(value)
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        self.charge_text(value.len())?;
        self.inner.visit_byte_buf(value)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        let deserializer = self.metered(deserializer);
        self.inner.visit_some(deserializer)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        let deserializer = self.metered(deserializer);
        self.inner.visit_newtype_struct(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(MeteredAccess {
            inner: seq,
            budget: self.budget,
            holds: self.holds,
            stored: 0,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(MeteredAccess {
            inner: map,
            budget: self.budget,
            holds: self.holds,
            stored: 0,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(MeteredEnum {
            inner: data,
            budget: self.budget,
        })
    }
}

/// A seed whose value is decoded through [`Metered`].
struct MeteredSeed<'b, S> {
    inner: S,
    budget: &'b Budget,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for MeteredSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Metered {
            inner: deserializer,
            budget: self.budget,
        })
    }
}

/// A sequence or map handed to a visitor: each element is charged as the collection the
/// visitor builds stores it.
struct MeteredAccess<'b, A> {
    inner: A,
    budget: &'b Budget,
    holds: Holds,
    /// Elements (or entries) stored so far.
    stored: usize,
}

impl<'b, A> MeteredAccess<'b, A> {
    fn seed<S>(&self, inner: S) -> MeteredSeed<'b, S> {
        MeteredSeed {
            inner,
            budget: self.budget,
        }
    }

    /// Charges storing a `T` in the next slot of a collection whose first allocation holds
    /// `first_slots`, plus `extra` bookkeeping; `completes` says the slot is then full.
    fn store<T, E: de::Error>(
        &mut self,
        first_slots: usize,
        extra: usize,
        completes: bool,
    ) -> Result<(), E> {
        if self.holds == Holds::Inline {
            return Ok(());
        }
        let size = size_of::<T>();
        let cost = if size == 0 {
            0
        } else if self.stored == 0 {
            size.saturating_mul(first_slots).saturating_add(ALLOCATION)
        } else {
            size.saturating_mul(2)
        };
        self.budget.charge(cost.saturating_add(extra))?;
        self.stored += usize::from(completes);
        Ok(())
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for MeteredAccess<'_, A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let element = self.inner.next_element_seed(self.seed(seed))?;
        if element.is_some() {
            self.store::<S::Value, _>(FIRST_VEC_SLOTS, 0, true)?;
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for MeteredAccess<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.inner.next_key_seed(self.seed(seed))?;
        if key.is_some() {
            self.store::<K::Value, _>(FIRST_MAP_SLOTS, ENTRY, false)?;
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let value = self.inner.next_value_seed(self.seed(seed))?;
        self.store::<S::Value, _>(FIRST_MAP_SLOTS, 0, true)?;
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct MeteredEnum<'b, A> {
    inner: A,
    budget: &'b Budget,
}

impl<'b, 'de, A: EnumAccess<'de>> EnumAccess<'de> for MeteredEnum<'b, A> {
    type Error = A::Error;
    type Variant = MeteredEnum<'b, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let seed = MeteredSeed {
            inner: seed,
            budget: self.budget,
        };
        let (value, variant) = self.inner.variant_seed(seed)?;
        let variant = MeteredEnum {
            inner: variant,
            budget: self.budget,
        };
        Ok((value, variant))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for MeteredEnum<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.newtype_variant_seed(MeteredSeed {
            inner: seed,
            budget: self.budget,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let visitor = Meter {
            inner: visitor,
            budget: self.budget,
            holds: Holds::Inline,
        };
        self.inner.tuple_variant(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let visitor = Meter {
            inner: visitor,
            budget: self.budget,
            holds: Holds::Inline,
        };
        self.inner.struct_variant(fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::Value;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: Option<String>,
        tags: Option<Vec<String>>,
        extra: Option<BTreeMap<String, Value>>,
        padding: Option<[u64; 8]>,
    }

    fn decode<T: DeserializeOwned>(json: &str, limit: usize) -> (serde_json::Result<T>, bool) {
        let budget = Budget::new(limit);
        let result = from_slice(json.as_bytes(), &budget);
        (result, budget.exhausted())
    }

    #[test]
    fn answers_within_the_budget_decode_as_serde_json_does() {
        let json = r#"[{"id":"a","tags":["x","y"],"extra":{"k":[1,{"n":null}]}},{"padding":[1,2,3,4,5,6,7,8]},{}]"#;
        let (metered, exhausted) = decode::<Vec<Item>>(json, 1 << 20);
        assert!(!exhausted);
        assert_eq!(
            metered.expect("decodes"),
            serde_json::from_str::<Vec<Item>>(json).expect("decodes")
        );
        let (value, _) = decode::<Value>(json, 1 << 20);
        assert_eq!(
            value.expect("decodes"),
            serde_json::from_str::<Value>(json).expect("decodes")
        );
        // Errors are serde_json's own, with their position.
        let (error, exhausted) = decode::<Vec<Item>>(r#"[{"id":5}]"#, 1 << 20);
        assert!(!exhausted);
        assert_eq!(
            error.expect_err("wrong type").to_string(),
            "invalid type: integer `5`, expected a string at line 1 column 8"
        );
        let (error, _) = decode::<Value>("[1] x", 1 << 20);
        assert!(error.is_err(), "trailing characters are refused");
    }

    #[test]
    fn the_charge_grows_with_what_is_built_not_with_the_text() {
        // Three bytes of text per element, hundreds of bytes each once decoded.
        let items = format!("[{}{{}}]", "{},".repeat(999));
        let per_item = size_of::<Item>();
        assert!(per_item > 100, "{per_item}");
        let (result, exhausted) = decode::<Vec<Item>>(&items, 1000 * per_item);
        assert!(exhausted);
        let message = result.expect_err("over the budget").to_string();
        assert!(
            message.starts_with(&format!(
                "response would take more than {} bytes once decoded",
                1000 * per_item
            )),
            "{message}"
        );
        assert!(decode::<Vec<Item>>(&items, 3000 * per_item).0.is_ok());
        // Skipped, the same text costs nothing.
        assert!(decode::<serde::de::IgnoredAny>(&items, 0).0.is_ok());
        // Untyped, each element is a `Value`.
        let zeros = format!("[{}0]", "0,".repeat(9_999));
        assert!(decode::<Value>(&zeros, 10_000 * size_of::<Value>()).1);
        assert!(
            decode::<Value>(&zeros, 30_000 * size_of::<Value>())
                .0
                .is_ok()
        );
    }

    #[test]
    fn strings_maps_and_nested_collections_are_charged() {
        let long = format!(r#"["{}"]"#, "s".repeat(10_000));
        assert!(decode::<Vec<String>>(&long, 9_000).1);
        assert!(decode::<Vec<String>>(&long, 11_000).0.is_ok());
        // A map's first entry pays for a whole node.
        let maps = format!("[{}{{\"a\":0}}]", "{\"a\":0},".repeat(99));
        let node = FIRST_MAP_SLOTS * (size_of::<String>() + size_of::<Value>());
        assert!(decode::<Vec<BTreeMap<String, Value>>>(&maps, 100 * node).1);
        // A one-element `Vec` holds four slots.
        let nested = format!("[{}[0]]", "[0],".repeat(99));
        let slots = FIRST_VEC_SLOTS * size_of::<Value>();
        assert!(decode::<Vec<Vec<Value>>>(&nested, 100 * slots).1);
        assert!(
            decode::<Vec<Vec<Value>>>(&nested, 100 * (slots + 64) + 4096)
                .0
                .is_ok()
        );
    }

    #[test]
    fn enums_and_options_pass_through() {
        #[derive(Debug, Deserialize, PartialEq)]
        enum Shape {
            Unit,
            Pair(i64, i64),
            Named { side: String },
            Wrapped(Vec<u8>),
        }
        let json = r#"["Unit",{"Pair":[1,2]},{"Named":{"side":"abc"}},{"Wrapped":[1,2,3]},null]"#;
        let (result, _) = decode::<Vec<Option<Shape>>>(json, 1 << 16);
        assert_eq!(
            result.expect("decodes"),
            vec![
                Some(Shape::Unit),
                Some(Shape::Pair(1, 2)),
                Some(Shape::Named { side: "abc".into() }),
                Some(Shape::Wrapped(vec![1, 2, 3])),
                None,
            ]
        );
        let (result, exhausted) = decode::<Vec<Option<Shape>>>(json, 10);
        assert!(exhausted && result.is_err());
    }
}
