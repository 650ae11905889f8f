//! How generated types decode one value: by Pabbly's wire rules (`pabbly_wire`, the rule set
//! the spec's example check and the mock apply too) for lenient scalars, dates and open enums,
//! with Pabbly's `""` as "unset" where the spec allows it, or with the type's own `Deserialize`.
//!
//! Every decoder here reads the value as the JSON parser hands it over (a `bool`, a number, a
//! borrowed `&str`) and never builds a `serde_json::Value` first.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use pabbly_wire::{Json, Number};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value the wire rules read from one JSON scalar: the lenient `boolean`, `integer`,
/// `number` and `string` by their Rust type (strict ones decode with their own
/// `Deserialize`, which accepts exactly what the rules do), and dates.
pub trait WireScalar: Sized {
    /// Describes the accepted inputs, for the error message.
    const EXPECTED: &'static str;

    /// Reads `json`, or `None` if it is not an accepted representation.
    fn read(json: Json<'_>) -> Option<Self>;
}

impl WireScalar for bool {
    const EXPECTED: &'static str = pabbly_wire::Kind::LenientBoolean.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        pabbly_wire::lenient_boolean(json)
    }
}

impl WireScalar for i64 {
    const EXPECTED: &'static str = pabbly_wire::Kind::LenientInteger.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        pabbly_wire::lenient_integer(json)
    }
}

impl WireScalar for f64 {
    const EXPECTED: &'static str = pabbly_wire::Kind::LenientNumber.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        pabbly_wire::lenient_number(json)
    }
}

impl WireScalar for String {
    const EXPECTED: &'static str = pabbly_wire::Kind::LenientString.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        pabbly_wire::lenient_string(json).map(Cow::into_owned)
    }
}

impl WireScalar for chrono::NaiveDate {
    const EXPECTED: &'static str = pabbly_wire::Kind::Date.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        match json {
            Json::String(text) => pabbly_wire::date(text),
            _ => None,
        }
    }
}

impl WireScalar for chrono::DateTime<chrono::Utc> {
    const EXPECTED: &'static str = pabbly_wire::Kind::DateTime.expected();

    fn read(json: Json<'_>) -> Option<Self> {
        match json {
            Json::String(text) => pabbly_wire::date_time(text),
            _ => None,
        }
    }
}

/// Hands one JSON value to `read` as a [`Json`] token, whatever the deserializer calls.
trait ReadJson: Sized {
    type Value;

    fn expecting(&self) -> &'static str;

    fn read<E: de::Error>(self, json: Json<'_>) -> Result<Self::Value, E>;
}

/// The visitor of every [`ReadJson`].
struct Scan<R>(R);

impl<'de, R: ReadJson> Visitor<'de> for Scan<R> {
    type Value = R::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.read(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.read(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.read(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let number = u64::try_from(v).map_or(Number::NegInt(v), Number::PosInt);
        self.0.read(Json::Number(number))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.read(Json::Number(Number::PosInt(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.read(Json::Number(Number::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.read(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.0.read(Json::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.0.read(Json::Object)
    }
}

/// The error for a value that is not `expected`.
fn refused<E: de::Error>(json: Json<'_>, expected: &'static str) -> E {
    E::invalid_value(unexpected(json), &expected)
}

/// `json` for serde's error messages.
fn unexpected(json: Json<'_>) -> de::Unexpected<'_> {
    match json {
        Json::Null => de::Unexpected::Unit,
        Json::Bool(flag) => de::Unexpected::Bool(flag),
        Json::Number(Number::PosInt(n)) => de::Unexpected::Unsigned(n),
        Json::Number(Number::NegInt(n)) => de::Unexpected::Signed(n),
        Json::Number(Number::Float(n)) => de::Unexpected::Float(n),
        Json::Number(Number::Literal(_)) => de::Unexpected::Other("number"),
        Json::String(text) => de::Unexpected::Str(text),
        Json::Array => de::Unexpected::Seq,
        Json::Object => de::Unexpected::Map,
    }
}

/// Decodes a value with its type's own `Deserialize`.
pub struct Plain<T>(PhantomData<T>);

/// Decodes a [`WireScalar`] by the wire rules.
pub struct Wire<T>(PhantomData<T>);

/// Like [`Wire`], with Pabbly's "unset" (`null`, `""`) as `None`.
pub struct WireOpt<T>(PhantomData<T>);

/// Decodes `null` and `""` as `None` and anything else as `T`, without buffering the value (so
/// amounts inside an object decoded this way stay exact).
pub struct EmptyAsNone<T>(PhantomData<T>);

macro_rules! decoders {
    ($($name:ident),*) => {$(
        impl<T> $name<T> {
            /// The decoder, for the type its field infers.
            pub fn new() -> Self {
                Self(PhantomData)
            }
        }

        impl<T> Default for $name<T> {
            fn default() -> Self {
                Self::new()
            }
        }
    )*};
}

decoders!(Plain, Wire, WireOpt, EmptyAsNone);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Plain<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<T: WireScalar> ReadJson for Wire<T> {
    type Value = T;

    fn expecting(&self) -> &'static str {
        T::EXPECTED
    }

    fn read<E: de::Error>(self, json: Json<'_>) -> Result<T, E> {
        T::read(json).ok_or_else(|| refused(json, T::EXPECTED))
    }
}

impl<T: WireScalar> ReadJson for WireOpt<T> {
    type Value = Option<T>;

    fn expecting(&self) -> &'static str {
        T::EXPECTED
    }

    fn read<E: de::Error>(self, json: Json<'_>) -> Result<Option<T>, E> {
        if pabbly_wire::is_unset(json) {
            return Ok(None);
        }
        Wire::new().read(json).map(Some)
    }
}

impl<'de, T: WireScalar> DeserializeSeed<'de> for Wire<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(Scan(self))
    }
}

impl<'de, T: WireScalar> DeserializeSeed<'de> for WireOpt<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(Scan(self))
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for EmptyAsNone<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Hands whatever came to `T`, except the spellings of "unset".
impl<'de, T: Deserialize<'de>> Visitor<'de> for EmptyAsNone<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or \"\"")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize(de::IntoDeserializer::into_deserializer(v)).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(de::IntoDeserializer::into_deserializer(v)).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(de::IntoDeserializer::into_deserializer(v)).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(de::IntoDeserializer::into_deserializer(v)).map(Some)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if pabbly_wire::is_unset(Json::String(v)) {
            return Ok(None);
        }
        T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if pabbly_wire::is_unset(Json::String(v)) {
            return Ok(None);
        }
        T::deserialize(de::value::StringDeserializer::new(v.to_owned())).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// A generated enum, made from its wire value: a listed value becomes its variant, any other
/// its `Unknown` variant.
pub trait WireEnum {
    /// The variant for `value`.
    fn from_wire(value: &str) -> Self;
}

/// Deserializes an open enum: any value the wire rules take as an enum's text (a string, or a
/// number or boolean as its JSON text, since Pabbly sends some codes unquoted) becomes
/// `T::from_wire`, which maps unknown values to an `Unknown` variant instead of failing.
///
/// # Errors
/// When the value is `null`, an array or an object.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: WireEnum,
{
    struct OpenEnum<T>(PhantomData<T>);

    impl<T: WireEnum> ReadJson for OpenEnum<T> {
        type Value = T;

        fn expecting(&self) -> &'static str {
            pabbly_wire::Kind::OpenEnum.expected()
        }

        fn read<E: de::Error>(self, json: Json<'_>) -> Result<T, E> {
            match pabbly_wire::enum_value(json) {
                Some(text) => Ok(T::from_wire(&text)),
                None => Err(E::invalid_type(unexpected(json), &self.expecting())),
            }
        }
    }

    deserializer.deserialize_any(Scan(OpenEnum(PhantomData)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, Utc};

    fn decode<'de, S: DeserializeSeed<'de>>(seed: S, json: &'de str) -> Result<S::Value, String> {
        seed.deserialize(&mut serde_json::Deserializer::from_str(json))
            .map_err(|err| err.to_string())
    }

    #[test]
    fn every_json_token_reaches_the_rules() {
        assert_eq!(decode(Wire::<bool>::new(), "true"), Ok(true));
        assert_eq!(decode(Wire::<bool>::new(), "0"), Ok(false));
        assert_eq!(decode(Wire::<i64>::new(), "-7"), Ok(-7));
        assert_eq!(decode(Wire::<i64>::new(), "5.0"), Ok(5));
        assert_eq!(decode(Wire::<i64>::new(), "\"5.00\""), Ok(5));
        assert_eq!(decode(Wire::<f64>::new(), "\"-0.25\""), Ok(-0.25));
        assert_eq!(decode(Wire::<String>::new(), "1.5"), Ok("1.5".to_owned()));
        // An escaped string is handed over unborrowed.
        assert_eq!(
            decode(Wire::<String>::new(), r#""a\"b""#),
            Ok("a\"b".to_owned())
        );
        for json in ["null", "[1]", "{\"a\":1}", "\"NaN\""] {
            assert!(decode(Wire::<f64>::new(), json).is_err(), "{json}");
        }
    }

    #[test]
    fn refusals_say_what_was_expected() {
        assert_eq!(
            decode(Wire::<bool>::new(), "\"maybe\""),
            Err(r#"invalid value: string "maybe", expected a boolean (true/false, "yes"/"no", 1/0) at line 1 column 7"#.to_owned())
        );
    }

    #[test]
    fn unset_is_none_only_where_asked() {
        for json in ["null", "\"\"", "\" \""] {
            assert_eq!(decode(WireOpt::<i64>::new(), json), Ok(None), "{json}");
            assert!(decode(Wire::<i64>::new(), json).is_err(), "{json}");
        }
        assert_eq!(decode(WireOpt::<i64>::new(), "\"3\""), Ok(Some(3)));
    }

    #[test]
    fn dates_follow_the_calendar() {
        assert_eq!(
            decode(Wire::<NaiveDate>::new(), "\"2024-05-01\""),
            Ok(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default())
        );
        let at = decode(
            WireOpt::<DateTime<Utc>>::new(),
            "\"2024-05-01T15:30:00+05:30\"",
        );
        assert_eq!(
            at.map(|at| at.map(|at| at.to_rfc3339())),
            Ok(Some("2024-05-01T10:00:00+00:00".to_owned()))
        );
        assert!(decode(Wire::<NaiveDate>::new(), "\"2024-13-01\"").is_err());
        assert!(decode(Wire::<DateTime<Utc>>::new(), "\"2024-02-30T00:00:00Z\"").is_err());
    }

    #[test]
    fn empty_as_none_hands_the_rest_to_the_type() {
        assert_eq!(decode(EmptyAsNone::<Vec<u8>>::new(), "\"\""), Ok(None));
        assert_eq!(decode(EmptyAsNone::<Vec<u8>>::new(), "null"), Ok(None));
        assert_eq!(
            decode(EmptyAsNone::<Vec<u8>>::new(), "[1,2]"),
            Ok(Some(vec![1, 2]))
        );
        assert!(decode(EmptyAsNone::<Vec<u8>>::new(), "\"x\"").is_err());
    }

    #[derive(Debug, PartialEq)]
    enum Plan {
        Monthly,
        Unknown(String),
    }

    impl WireEnum for Plan {
        fn from_wire(value: &str) -> Self {
            match value {
                "monthly" => Self::Monthly,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    impl<'de> Deserialize<'de> for Plan {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            open_enum(deserializer)
        }
    }

    #[test]
    fn open_enum_keeps_unknown_values() {
        let parse = |json| serde_json::from_str::<Plan>(json).map_err(|err| err.to_string());
        assert_eq!(parse(r#""monthly""#), Ok(Plan::Monthly));
        assert_eq!(parse(r#""weekly""#), Ok(Plan::Unknown("weekly".into())));
        assert_eq!(parse("3"), Ok(Plan::Unknown("3".into())));
        assert_eq!(parse("true"), Ok(Plan::Unknown("true".into())));
        assert_eq!(
            parse("null"),
            Err("invalid type: null, expected a string at line 1 column 4".to_owned())
        );
        assert!(parse("[]").is_err());
    }
}
