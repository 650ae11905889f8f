//! Amounts of money: exact decimals in Rust and on the wire, never binary floating point.
//!
//! Pabbly writes amounts in major currency units, as JSON numbers (`999.98`) or as text
//! (`"33590.75"`). Both are read from the digits as sent, by the wire rules (`pabbly_wire::money`):
//! the decoder takes the number's raw JSON text, so `0.1`, `999.98` or an amount with twenty
//! digits arrive exactly, and one with more digits than a decimal holds is refused, not rounded. Amounts are
//! sent as JSON numbers written with their own digits (`90.50`).

use pabbly_wire::{Json, Number};
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer};
use serde::ser::{self, Serialize, Serializer};
use serde_json::value::RawValue;

/// Decodes a required amount.
pub struct Money;

/// Decodes an optional amount: `null` and `""` (Pabbly's "unset") are `None`.
pub struct MoneyOpt;

impl<'de> DeserializeSeed<'de> for Money {
    type Value = Decimal;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
        match read(deserializer)? {
            Some(amount) => Ok(amount),
            None => Err(de::Error::invalid_value(
                de::Unexpected::Other("an empty amount"),
                &EXPECTED,
            )),
        }
    }
}

impl<'de> DeserializeSeed<'de> for MoneyOpt {
    type Value = Option<Decimal>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        read(deserializer)
    }
}

const EXPECTED: &str = pabbly_wire::Kind::Money.expected();

/// The raw JSON text of the value (serde_json hands it over unparsed), read as an amount by the
/// wire rules; `None` for Pabbly's "unset" (`null`, `""`).
fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawAmount)
}

/// The name under which serde_json hands a value over as its raw JSON text (what
/// `serde_json::value::RawValue` asks for), borrowed from the input when it can be: no copy per
/// amount. A deserializer that does not know it hands the value over as such, and numbers then
/// arrive as `f64` (the tests pin that serde_json's own decoders take the raw path).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// An amount by the wire rules, or `None` when unset.
fn amount<E: de::Error>(json: Json<'_>) -> Result<Option<Decimal>, E> {
    if pabbly_wire::is_unset(json) {
        return Ok(None);
    }
    pabbly_wire::money(json).map(Some).ok_or_else(|| {
        let found = match json {
            Json::String(text) => format!("the text {}", shorten(text)),
            Json::Number(Number::Literal(text)) => format!("the number {}", shorten(text)),
            Json::Number(Number::Float(n)) => format!("the number {n}"),
            Json::Number(_) => "a number".to_owned(),
            Json::Bool(flag) => format!("the JSON value {flag}"),
            Json::Null | Json::Array | Json::Object => "the JSON value".to_owned(),
        };
        E::invalid_value(de::Unexpected::Other(&found), &EXPECTED)
    })
}

/// Reads an amount from its raw JSON text, or, from other deserializers, from the value.
struct RawAmount;

impl<'de> de::Visitor<'de> for RawAmount {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(EXPECTED)
    }

    /// serde_json's raw value: one entry whose value is the JSON text.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if map.next_key::<de::IgnoredAny>()?.is_none() {
            return Err(de::Error::invalid_length(0, &EXPECTED));
        }
        let raw: RawText<'de> = map.next_value()?;
        let raw = raw.0.trim_ascii();
        match raw.as_bytes().first() {
            Some(b'"') if !raw.contains('\\') => amount(Json::String(&raw[1..raw.len() - 1])),
            Some(b'"') => {
                let text: String = serde_json::from_str(raw).map_err(de::Error::custom)?;
                amount(Json::String(&text))
            }
            Some(b'-' | b'0'..=b'9') => amount(Json::Number(Number::Literal(raw))),
            // The rest is valid JSON already: its first byte says what it is.
            Some(b't') => amount(Json::Bool(true)),
            Some(b'f') => amount(Json::Bool(false)),
            Some(b'[') => amount(Json::Array),
            Some(b'{') => amount(Json::Object),
            _ => amount(Json::Null),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        amount(Json::String(text))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Self::Value, E> {
        amount(Json::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        amount(Json::Number(Number::NegInt(number)))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
        amount(Json::Number(Number::PosInt(number)))
    }

    /// Only from a deserializer without raw values: read from the shortest text that reads back
    /// as this `f64`, which is the text it was parsed from for up to 15 significant digits.
    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
        amount(Json::Number(Number::Float(number)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The raw JSON text of a value, borrowed when the input allows.
struct RawText<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for RawText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> de::Visitor<'de> for TextVisitor {
            type Value = RawText<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("raw JSON text")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(RawText(std::borrow::Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(RawText(std::borrow::Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(RawText(std::borrow::Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head:?}…")
}

/// Sends an amount as a JSON number with its own digits (`90.50`, not `90.5000000001`).
///
/// # Errors
/// Only from the serializer itself.
pub fn serialize<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    // Decimal's text never has an exponent or a leading `+`, so it is always a JSON number.
    let raw = RawValue::from_string(amount.to_string()).map_err(ser::Error::custom)?;
    raw.serialize(serializer)
}

/// Sends an amount as a decimal text (`"150.00"`), for the fields Pabbly documents that way.
///
/// # Errors
/// Only from the serializer itself.
pub fn serialize_text<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(amount)
}

/// [`serialize_text`] for an optional amount.
///
/// # Errors
/// Only from the serializer itself.
pub fn serialize_text_opt<S: Serializer>(
    amount: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    crate::object::serialize_optional(amount, serializer, serialize_text)
}

/// [`serialize`] for an optional amount (`None` is `null`, normally skipped by the field).
///
/// # Errors
/// Only from the serializer itself.
pub fn serialize_opt<S: Serializer>(
    amount: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    crate::object::serialize_optional(amount, serializer, serialize)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn amount(json: &str) -> Result<Option<Decimal>, String> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        MoneyOpt
            .deserialize(&mut deserializer)
            .map_err(|e| e.to_string())
    }

    fn exact(text: &str) -> Option<Decimal> {
        Some(Decimal::from_str(text).expect("a decimal"))
    }

    #[test]
    fn numbers_and_texts_decode_to_their_exact_digits() {
        assert_eq!(amount("999.98"), Ok(exact("999.98")));
        assert_eq!(amount("\"33590.75\""), Ok(exact("33590.75")));
        assert_eq!(amount("90.50"), Ok(exact("90.50")));
        assert_eq!(amount("-5"), Ok(exact("-5")));
        assert_eq!(amount("1.5e2"), Ok(exact("150")));
        // Twenty significant digits: no f64 holds this, the raw text does.
        assert_eq!(
            amount("12345678901234567.891"),
            Ok(exact("12345678901234567.891"))
        );
        let sum = amount("0.1").ok().flatten().unwrap_or_default()
            + amount("0.2").ok().flatten().unwrap_or_default();
        assert_eq!(Some(sum), exact("0.3"));
    }

    #[test]
    fn unset_amounts_are_none_and_nonsense_is_refused() {
        assert_eq!(amount("null"), Ok(None));
        assert_eq!(amount("\"\""), Ok(None));
        assert_eq!(amount("\" \""), Ok(None));
        assert_eq!(amount("\" 5 \""), Ok(exact("5")));
        assert_eq!(amount("\"1\\u0030\""), Ok(exact("10")), "an escaped text");
        for bad in ["\"NaN\"", "\"inf\"", "\"1e3\"", "true", "{}", "\"12,50\""] {
            let error = amount(bad).expect_err(bad);
            assert!(error.contains("expected an amount"), "{bad}: {error}");
        }
        assert!(amount("1e400").is_err());
    }

    #[test]
    fn an_empty_required_amount_is_an_error() {
        let mut deserializer = serde_json::Deserializer::from_str("\"\"");
        assert!(Money.deserialize(&mut deserializer).is_err());
    }

    #[test]
    fn amounts_are_sent_as_numbers_with_their_digits() -> Result<(), serde_json::Error> {
        #[derive(serde::Serialize)]
        struct Refund {
            #[serde(serialize_with = "serialize")]
            amount: Decimal,
        }
        let refund = Refund {
            amount: Decimal::new(9050, 2),
        };
        assert_eq!(serde_json::to_string(&refund)?, r#"{"amount":90.50}"#);
        Ok(())
    }
}
