//! Lenient deserializers for the loosely typed values Pabbly sends.
//!
//! Pabbly returns the same field as `5`, `"5"` or `""` depending on the endpoint, and booleans
//! as `true`, `"true"`, `"yes"` or `1`. Generated objects decode such fields with the
//! `Loose` decoders of [`crate::object`], which call these.

use serde::de::{Deserialize, Deserializer, Error as _, Unexpected};
use serde_json::Value;

/// Deserializes a [`Loose`] scalar from any of the representations Pabbly uses for it.
pub(crate) fn loose<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Loose,
{
    let value = Value::deserialize(deserializer)?;
    from_loose(&value)
}

/// Like [`loose`], with `null` and `""` (or only whitespace) as `None`.
pub(crate) fn loose_opt<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Loose,
{
    let value = Value::deserialize(deserializer)?;
    if is_blank(&value) {
        return Ok(None);
    }
    from_loose(&value).map(Some)
}

/// A generated enum, made from its wire value: a listed value becomes its variant, any other
/// its `Unknown` variant.
pub trait WireEnum {
    /// The variant for `value`.
    fn from_wire(value: &str) -> Self;
}

/// Deserializes an open enum: any string becomes `T::from_wire`, which maps unknown values to
/// an `Unknown` variant instead of failing. Numbers and booleans are taken as their JSON text,
/// since Pabbly sends some codes unquoted.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: WireEnum,
{
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(T::from_wire(&text)),
        value @ (Value::Number(_) | Value::Bool(_)) => Ok(T::from_wire(&value.to_string())),
        value @ (Value::Null | Value::Array(_) | Value::Object(_)) => {
            Err(D::Error::invalid_type(unexpected(&value), &"a string"))
        }
    }
}

/// A scalar type that the lenient decoders (`loose`, `loose_opt`) can produce.
///
/// * `bool`: `true`/`false`, `"true"`/`"false"`, `"yes"`/`"no"`, `1`/`0`, `"1"`/`"0"`
///   (strings case-insensitive).
/// * `i64`: `5` or `"5"`; also `5.0` / `"5.0"` (a whole number).
/// * `f64`: `5`, `5.5` or `"5.5"` (finite values only).
/// * `String`: a string, or a number or boolean as its JSON text.
pub trait Loose: Sized {
    /// Describes the accepted inputs, for the error message.
    const EXPECTED: &'static str;

    /// Converts `value`, or returns `None` if it is not an accepted representation.
    fn from_value(value: &Value) -> Option<Self>;
}

impl Loose for bool {
    const EXPECTED: &'static str = "a boolean (true/false, \"yes\"/\"no\", 1/0)";

    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(flag) => Some(*flag),
            Value::Number(number) => match number.as_u64()? {
                1 => Some(true),
                0 => Some(false),
                _ => None,
            },
            Value::String(text) => {
                let text = text.trim();
                if ["true", "yes", "1"]
                    .iter()
                    .any(|t| text.eq_ignore_ascii_case(t))
                {
                    Some(true)
                } else if ["false", "no", "0"]
                    .iter()
                    .any(|t| text.eq_ignore_ascii_case(t))
                {
                    Some(false)
                } else {
                    None
                }
            }
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }
}

impl Loose for i64 {
    const EXPECTED: &'static str = "an integer or a string holding one";

    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Number(number) => number
                .as_i64()
                .or_else(|| number.as_f64().and_then(whole_number)),
            Value::String(text) => {
                let text = text.trim();
                text.parse()
                    .ok()
                    .or_else(|| text.parse().ok().and_then(whole_number))
            }
            Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
        }
    }
}

impl Loose for f64 {
    const EXPECTED: &'static str = "a number or a string holding one";

    fn from_value(value: &Value) -> Option<Self> {
        let number = match value {
            Value::Number(number) => number.as_f64()?,
            Value::String(text) => text.trim().parse().ok()?,
            Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => return None,
        };
        // "NaN" and "inf" parse as f64 but are never meaningful amounts.
        number.is_finite().then_some(number)
    }
}

impl Loose for String {
    const EXPECTED: &'static str = "a string, number or boolean";

    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }
}

fn from_loose<T: Loose, E: serde::de::Error>(value: &Value) -> Result<T, E> {
    T::from_value(value).ok_or_else(|| E::invalid_value(unexpected(value), &T::EXPECTED))
}

/// `i64` range check for a float that should hold a whole number (`as` would saturate).
fn whole_number(number: f64) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    (number.fract() == 0.0 && (-LIMIT..LIMIT).contains(&number)).then_some(number as i64)
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => false,
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(flag) => Unexpected::Bool(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(signed), _, _) => Unexpected::Signed(signed),
            (None, Some(unsigned), _) => Unexpected::Unsigned(unsigned),
            (None, None, Some(float)) => Unexpected::Float(float),
            (None, None, None) => Unexpected::Other("number"),
        },
        Value::String(text) => Unexpected::Str(text),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Flags {
        #[serde(deserialize_with = "loose")]
        flag: bool,
    }

    #[derive(Debug, Deserialize)]
    struct Int {
        #[serde(deserialize_with = "loose")]
        n: i64,
    }

    #[derive(Debug, Deserialize)]
    struct Float {
        #[serde(deserialize_with = "loose")]
        x: f64,
    }

    #[derive(Debug, Deserialize)]
    struct Text {
        #[serde(deserialize_with = "loose")]
        s: String,
    }

    #[derive(Debug, Deserialize)]
    struct OptInt {
        #[serde(default, deserialize_with = "loose_opt")]
        n: Option<i64>,
    }

    /// The decoder generated objects use for optional dates, as a `deserialize_with` function.
    fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        serde::de::DeserializeSeed::deserialize(crate::object::EmptyAsNone::new(), deserializer)
    }

    #[derive(Debug, Deserialize)]
    struct Dates {
        #[serde(default, deserialize_with = "empty_as_none")]
        at: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "empty_as_none")]
        day: Option<NaiveDate>,
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

    fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|err| err.to_string())
    }

    #[test]
    fn loose_bool() {
        for (json, expected) in [
            ("true", true),
            ("false", false),
            ("\"true\"", true),
            ("\"False\"", false),
            ("\"yes\"", true),
            ("\"NO\"", false),
            ("1", true),
            ("0", false),
            ("\"1\"", true),
            ("\" 0 \"", false),
        ] {
            let parsed: Flags = parse(&format!(r#"{{"flag":{json}}}"#)).expect(json);
            assert_eq!(parsed.flag, expected, "{json}");
        }
        for json in ["2", "-1", "\"maybe\"", "null", "[]", "1.5"] {
            assert!(
                parse::<Flags>(&format!(r#"{{"flag":{json}}}"#)).is_err(),
                "{json}"
            );
        }
        assert_eq!(
            parse::<Flags>(r#"{"flag":"maybe"}"#).err().as_deref(),
            Some(
                r#"invalid value: string "maybe", expected a boolean (true/false, "yes"/"no", 1/0) at line 1 column 16"#
            )
        );
    }

    #[test]
    fn loose_i64() {
        for (json, expected) in [
            ("5", 5),
            ("\"5\"", 5),
            ("-7", -7),
            ("\" 42 \"", 42),
            ("5.0", 5),
            ("\"5.00\"", 5),
            ("9223372036854775807", i64::MAX),
        ] {
            let parsed: Int = parse(&format!(r#"{{"n":{json}}}"#)).expect(json);
            assert_eq!(parsed.n, expected, "{json}");
        }
        for json in [
            "5.5",
            "\"abc\"",
            "\"\"",
            "true",
            "18446744073709551615",
            "1e300",
            "null",
        ] {
            assert!(
                parse::<Int>(&format!(r#"{{"n":{json}}}"#)).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn loose_f64() {
        for (json, expected) in [
            ("5", 5.0),
            ("5.5", 5.5),
            ("\"5.5\"", 5.5),
            ("\"-0.25\"", -0.25),
        ] {
            let parsed: Float = parse(&format!(r#"{{"x":{json}}}"#)).expect(json);
            assert_eq!(parsed.x, expected, "{json}");
        }
        for json in ["\"NaN\"", "\"inf\"", "\"\"", "false", "{}"] {
            assert!(
                parse::<Float>(&format!(r#"{{"x":{json}}}"#)).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn loose_string() {
        for (json, expected) in [
            ("\"abc\"", "abc"),
            ("\"\"", ""),
            ("12", "12"),
            ("1.5", "1.5"),
            ("true", "true"),
        ] {
            let parsed: Text = parse(&format!(r#"{{"s":{json}}}"#)).expect(json);
            assert_eq!(parsed.s, expected, "{json}");
        }
        for json in ["null", "[]", "{}"] {
            assert!(
                parse::<Text>(&format!(r#"{{"s":{json}}}"#)).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn loose_opt_blank_is_none() {
        for json in [r#"{}"#, r#"{"n":null}"#, r#"{"n":""}"#, r#"{"n":"  "}"#] {
            assert_eq!(parse::<OptInt>(json).expect(json).n, None, "{json}");
        }
        assert_eq!(parse::<OptInt>(r#"{"n":"3"}"#).expect("3").n, Some(3));
        assert!(parse::<OptInt>(r#"{"n":"x"}"#).is_err());
    }

    #[test]
    fn empty_as_none_dates() {
        let parsed: Dates =
            parse(r#"{"at":"2024-05-01T10:00:00Z","day":"2024-05-01"}"#).expect("dates");
        assert_eq!(
            parsed.at.map(|at| at.to_rfc3339()).as_deref(),
            Some("2024-05-01T10:00:00+00:00")
        );
        assert_eq!(parsed.day, NaiveDate::from_ymd_opt(2024, 5, 1));
        for json in [r#"{"at":"","day":null}"#, r#"{}"#] {
            let parsed: Dates = parse(json).expect(json);
            assert!(parsed.at.is_none() && parsed.day.is_none(), "{json}");
        }
        let err = parse::<Dates>(r#"{"day":"yesterday"}"#)
            .err()
            .unwrap_or_default();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn open_enum_keeps_unknown_values() {
        assert_eq!(parse::<Plan>(r#""monthly""#), Ok(Plan::Monthly));
        assert_eq!(
            parse::<Plan>(r#""weekly""#),
            Ok(Plan::Unknown("weekly".into()))
        );
        assert_eq!(parse::<Plan>("3"), Ok(Plan::Unknown("3".into())));
        assert_eq!(
            parse::<Plan>("null"),
            Err("invalid type: null, expected a string".to_owned())
        );
        assert!(parse::<Plan>("[]").is_err());
    }
}
