//! What Pabbly may send for each scalar kind of the spec, and what it means: the one rule set
//! that the client's decoders (`pabbly`), the spec's example check and the mock's request and
//! stub validation (`pabbly-spec`, `pabbly-mock`) all apply, so a value one accepts the others
//! accept too.
//!
//! | kind | accepted | refused |
//! |---|---|---|
//! | `string` | a JSON string | anything else |
//! | `integer` | a JSON integer in `i64` range | `5.0`, `"5"`, larger integers |
//! | `number` | any JSON number | `"5"`, booleans |
//! | `boolean` | `true`, `false` | `1`, `"true"` |
//! | `string`, lenient | a string; a number or boolean as its JSON text | `null`, arrays, objects |
//! | `integer`, lenient | an integer in `i64` range; a whole number within ±2^53 (`5.0`); a text `[+-]digits[.000]` (`"5"`, `"5.00"`) | `5.5`, `"1e3"`, `"0x10"`, booleans |
//! | `number`, lenient | a number; a text `[+-]digits[.digits][e[+-]digits]` whose value is finite | `"NaN"`, `"inf"`, `"1e400"`, `".5"`, booleans |
//! | `boolean`, lenient | `true`/`false`; `1`/`0`; the texts `true`/`false`, `yes`/`no`, `1`/`0` in any case | `2`, `1.0`, `"maybe"` |
//! | `money` | a number whose digits fit an exact decimal (28 digits, ±7.9·10^28); a text `[+-]digits[.digits]` that does | `"1e3"`, `"12,50"`, `"NaN"`, digits past 28, booleans |
//! | `date` | a text `yyyy-mm-dd` naming a real day | `"2024-13-01"`, `"2024-2-30"`, `"2024-02-30"` |
//! | `date-time` | an RFC 3339 text (`T`, `t` or a space between date and time, `Z` or `±hh:mm`) naming a real instant | `"2024-13-01T00:00:00Z"`, no offset |
//! | open enum | a string; a number or boolean as its JSON text (a value the spec does not list is kept as unknown) | `null`, arrays, objects |
//!
//! Texts of numbers and booleans (lenient kinds and money) may carry surrounding ASCII
//! whitespace, which PHP form values often do; dates, strings and enum values are taken as sent.
//! An optional field whose kind takes Pabbly's "unset" ([`is_unset`]: `null`, or a text that is
//! empty or only whitespace) reads as absent; which fields those are is the spec's business
//! (`pabbly_spec::ir::Field::blank_is_unset`).
//!
//! Choices a billing service wants: `NaN` and infinities are never numbers; amounts are read from
//! their digits, never through `f64`, and refused rather than rounded when they do not fit; an
//! integer is never a rounded float; a date names a day that exists.
//!
//! ```
//! use pabbly_wire::{Json, Kind, Number};
//!
//! assert!(Kind::LenientInteger.accepts(Json::String("5.00")));
//! assert!(!Kind::LenientNumber.accepts(Json::String("NaN")));
//! assert!(!Kind::DateTime.accepts(Json::String("2024-13-01T00:00:00Z")));
//! assert_eq!(pabbly_wire::money(Json::Number(Number::Literal("0.1"))), "0.1".parse().ok());
//! ```

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

/// A JSON value as the rules see it: a scalar with its content, a container by its kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number<'a>),
    /// A string, unescaped.
    String(&'a str),
    /// An array (never a scalar of any kind).
    Array,
    /// An object (never a scalar of any kind).
    Object,
}

/// A JSON number, as a JSON parser hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number<'a> {
    /// A non-negative integer that fits `u64`.
    PosInt(u64),
    /// A negative integer that fits `i64`.
    NegInt(i64),
    /// Any other number, as the nearest `f64`.
    Float(f64),
    /// The number's JSON text as sent (what an amount is read from).
    Literal(&'a str),
}

impl<'a> From<&'a Value> for Json<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Number(number) => {
                Json::Number(match (number.as_u64(), number.as_i64(), number.as_f64()) {
                    (Some(positive), _, _) => Number::PosInt(positive),
                    (None, Some(negative), _) => Number::NegInt(negative),
                    (None, None, Some(float)) => Number::Float(float),
                    // Only with serde_json's arbitrary precision, which nothing here enables.
                    (None, None, None) => Number::Float(f64::NAN),
                })
            }
            Value::String(text) => Json::String(text),
            Value::Array(_) => Json::Array,
            Value::Object(_) => Json::Object,
        }
    }
}

impl Number<'_> {
    /// The number as a JSON parser without raw numbers would have handed it over.
    fn parsed(self) -> Number<'static> {
        match self {
            Number::PosInt(n) => Number::PosInt(n),
            Number::NegInt(n) => Number::NegInt(n),
            Number::Float(n) => Number::Float(n),
            Number::Literal(text) => match (text.parse::<u64>(), text.parse::<i64>()) {
                (Ok(positive), _) => Number::PosInt(positive),
                (_, Ok(negative)) => Number::NegInt(negative),
                _ => Number::Float(text.parse().unwrap_or(f64::NAN)),
            },
        }
    }

    /// The number's JSON text: as sent, or as serde_json writes it.
    fn text(self) -> Option<Cow<'static, str>> {
        Some(Cow::Owned(match self {
            Number::PosInt(n) => n.to_string(),
            Number::NegInt(n) => n.to_string(),
            Number::Float(n) => serde_json::Number::from_f64(n)?.to_string(),
            Number::Literal(text) => return Some(Cow::Owned(text.to_owned())),
        }))
    }
}

/// A scalar kind of the spec's type language, with the rule for what Pabbly may send for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `type: string`.
    String,
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// `type: money`.
    Money,
    /// `type: date`.
    Date,
    /// `type: date-time`.
    DateTime,
    /// `type: string, lenient: true`.
    LenientString,
    /// `type: integer, lenient: true`.
    LenientInteger,
    /// `type: number, lenient: true`.
    LenientNumber,
    /// `type: boolean, lenient: true` (and a boolean with `sent_as`).
    LenientBoolean,
    /// `enum: [...]`: open, so any string decodes.
    OpenEnum,
}

impl Kind {
    /// Every kind, for tests that go over all of them.
    pub const ALL: [Kind; 12] = [
        Kind::String,
        Kind::Integer,
        Kind::Number,
        Kind::Boolean,
        Kind::Money,
        Kind::Date,
        Kind::DateTime,
        Kind::LenientString,
        Kind::LenientInteger,
        Kind::LenientNumber,
        Kind::LenientBoolean,
        Kind::OpenEnum,
    ];

    /// Whether `json` is a value of this kind (not counting "unset", see [`is_unset`]).
    pub fn accepts(self, json: Json<'_>) -> bool {
        match self {
            Kind::String => matches!(json, Json::String(_)),
            Kind::Integer => integer(json).is_some(),
            Kind::Number => number(json).is_some(),
            Kind::Boolean => matches!(json, Json::Bool(_)),
            Kind::Money => money(json).is_some(),
            Kind::Date => text(json).and_then(date).is_some(),
            Kind::DateTime => text(json).and_then(date_time).is_some(),
            Kind::LenientString => lenient_string(json).is_some(),
            Kind::LenientInteger => lenient_integer(json).is_some(),
            Kind::LenientNumber => lenient_number(json).is_some(),
            Kind::LenientBoolean => lenient_boolean(json).is_some(),
            Kind::OpenEnum => enum_value(json).is_some(),
        }
    }

    /// What a value of this kind looks like, for error messages.
    pub const fn expected(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Money => "an amount: a JSON number or a decimal text such as \"10.50\"",
            Kind::Date => "a date (yyyy-mm-dd)",
            Kind::DateTime => "a date-time (RFC 3339)",
            Kind::LenientString => "a string, number or boolean",
            Kind::LenientInteger => "an integer or a text holding one",
            Kind::LenientNumber => "a finite number or a text holding one",
            Kind::LenientBoolean => "a boolean (true/false, \"yes\"/\"no\", 1/0)",
            Kind::OpenEnum => "a string",
        }
    }
}

/// Pabbly's "unset": `null`, or a text that is empty or only ASCII whitespace.
pub fn is_unset(json: Json<'_>) -> bool {
    match json {
        Json::Null => true,
        Json::String(text) => text.trim_ascii().is_empty(),
        _ => false,
    }
}

fn text(json: Json<'_>) -> Option<&str> {
    match json {
        Json::String(text) => Some(text),
        _ => None,
    }
}

/// An `integer`: a JSON integer in `i64` range.
pub fn integer(json: Json<'_>) -> Option<i64> {
    match json {
        Json::Number(number) => match number.parsed() {
            Number::PosInt(n) => i64::try_from(n).ok(),
            Number::NegInt(n) => Some(n),
            Number::Float(_) | Number::Literal(_) => None,
        },
        _ => None,
    }
}

/// A `number`: any JSON number (JSON has no `NaN` or infinity).
pub fn number(json: Json<'_>) -> Option<f64> {
    match json {
        Json::Number(number) => finite(match number.parsed() {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(n) => n,
            Number::Literal(_) => return None,
        }),
        _ => None,
    }
}

/// A lenient `string`: a string, or a number or boolean as its JSON text.
pub fn lenient_string(json: Json<'_>) -> Option<Cow<'_, str>> {
    match json {
        Json::String(text) => Some(Cow::Borrowed(text)),
        Json::Number(number) => number.parsed().text(),
        Json::Bool(flag) => Some(Cow::Borrowed(if flag { "true" } else { "false" })),
        Json::Null | Json::Array | Json::Object => None,
    }
}

/// A lenient `integer`: an integer in `i64` range, a whole number within ±2^53 (where every
/// whole `f64` is the integer that was written), or a text `[+-]digits` with an optional
/// fraction of zeros.
pub fn lenient_integer(json: Json<'_>) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match json {
        Json::Number(number) => match number.parsed() {
            Number::Float(n) if n.fract() == 0.0 && (-EXACT..=EXACT).contains(&n) => Some(n as i64),
            _ => integer(json),
        },
        Json::String(text) => {
            let text = text.trim_ascii();
            let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
            let zeros = !fraction.is_empty() && fraction.bytes().all(|b| b == b'0');
            (zeros && is_digits(unsigned(whole))).then(|| whole.parse().ok())?
        }
        Json::Null | Json::Bool(_) | Json::Array | Json::Object => None,
    }
}

/// A lenient `number`: a number, or a decimal text (an exponent allowed) whose value is finite.
pub fn lenient_number(json: Json<'_>) -> Option<f64> {
    match json {
        Json::Number(_) => number(json),
        Json::String(text) => {
            let text = text.trim_ascii();
            let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
            (is_decimal(mantissa) && is_digits(unsigned(exponent)))
                .then(|| text.parse().ok().and_then(finite))?
        }
        Json::Null | Json::Bool(_) | Json::Array | Json::Object => None,
    }
}

/// A lenient `boolean`: `true`/`false`, `1`/`0`, or the texts `true`/`false`, `yes`/`no`,
/// `1`/`0` in any case.
pub fn lenient_boolean(json: Json<'_>) -> Option<bool> {
    match json {
        Json::Bool(flag) => Some(flag),
        Json::Number(number) => match number.parsed() {
            Number::PosInt(1) => Some(true),
            Number::PosInt(0) => Some(false),
            _ => None,
        },
        Json::String(text) => {
            let text = text.trim_ascii();
            let is = |word: &str| text.eq_ignore_ascii_case(word);
            if is("true") || is("yes") || is("1") {
                Some(true)
            } else if is("false") || is("no") || is("0") {
                Some(false)
            } else {
                None
            }
        }
        Json::Null | Json::Array | Json::Object => None,
    }
}

/// A set amount of `money`, exact: a JSON number read from its digits, or a text
/// `[+-]digits[.digits]`; refused, never rounded, when it does not fit a decimal (28 digits).
/// `null` and `""` are "unset", not amounts ([`is_unset`]).
pub fn money(json: Json<'_>) -> Option<Decimal> {
    match json {
        Json::Number(Number::PosInt(n)) => Some(Decimal::from(n)),
        Json::Number(Number::NegInt(n)) => Some(Decimal::from(n)),
        Json::Number(number) => amount_literal(&number.text()?),
        Json::String(text) => {
            let text = text.trim_ascii();
            is_decimal(text).then(|| exact(text))?
        }
        Json::Null | Json::Bool(_) | Json::Array | Json::Object => None,
    }
}

/// A JSON number literal as an amount, exponent included.
fn amount_literal(literal: &str) -> Option<Decimal> {
    let (mantissa, exponent) = literal.split_once(['e', 'E']).unwrap_or((literal, ""));
    if !is_decimal(mantissa) {
        return None;
    }
    let exact_mantissa = exact(mantissa)?;
    if exponent.is_empty() {
        return Some(exact_mantissa);
    }
    // The mantissa is exact; `from_scientific` only moves its point, or fails past 28 digits.
    Decimal::from_scientific(literal).ok()
}

/// A plain decimal text, refused when it has more digits than a decimal holds.
fn exact(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text.strip_prefix('+').unwrap_or(text)).ok()
}

/// A `date`: `yyyy-mm-dd`, naming a day that exists.
pub fn date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let part = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(part(0..4)?.try_into().ok()?, part(5..7)?, part(8..10)?)
}

/// A `date-time`: RFC 3339 (`2024-05-01T10:00:00Z`, `…+05:30`, fractions of a second, `T`, `t`
/// or a space between date and time), naming a real instant; in UTC.
pub fn date_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// The text of an open enum's value: a string, or a number or boolean as its JSON text (Pabbly
/// sends some codes unquoted).
pub fn enum_value(json: Json<'_>) -> Option<Cow<'_, str>> {
    lenient_string(json)
}

fn finite(number: f64) -> Option<f64> {
    number.is_finite().then_some(number)
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `[+-]digits[.digits]`.
fn is_decimal(text: &str) -> bool {
    let digits = unsigned(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    is_digits(whole) && is_digits(fraction)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn text(s: &str) -> Json<'_> {
        Json::String(s)
    }

    fn float(n: f64) -> Json<'static> {
        Json::Number(Number::Float(n))
    }

    #[test]
    fn lenient_integers_are_whole_and_exact() {
        assert_eq!(lenient_integer(text(" 42 ")), Some(42));
        assert_eq!(lenient_integer(text("5.00")), Some(5));
        assert_eq!(lenient_integer(text("-7")), Some(-7));
        assert_eq!(lenient_integer(float(5.0)), Some(5));
        assert_eq!(
            lenient_integer(text("9007199254740993.0")),
            Some(9_007_199_254_740_993)
        );
        for bad in [
            "5.5",
            "1e3",
            "",
            ".0",
            "5.",
            "0x10",
            "+",
            "99999999999999999999",
        ] {
            assert_eq!(lenient_integer(text(bad)), None, "{bad}");
        }
        assert_eq!(lenient_integer(float(5.5)), None);
        assert_eq!(lenient_integer(float(1e17)), None, "past 2^53, not exact");
        assert_eq!(lenient_integer(Json::Bool(true)), None);
    }

    #[test]
    fn lenient_numbers_are_finite() {
        assert_eq!(lenient_number(text("5.5")), Some(5.5));
        assert_eq!(lenient_number(text("-1.5e2")), Some(-150.0));
        for bad in [
            "NaN",
            "nan",
            "inf",
            "-infinity",
            "1e400",
            ".5",
            "5.",
            "",
            "1,5",
        ] {
            assert_eq!(lenient_number(text(bad)), None, "{bad}");
        }
    }

    #[test]
    fn lenient_booleans_have_six_spellings() {
        for (json, expected) in [
            (text("YES"), Some(true)),
            (text(" 0 "), Some(false)),
            (Json::Number(Number::PosInt(1)), Some(true)),
            (Json::Number(Number::PosInt(2)), None),
            (float(1.0), None),
            (text("maybe"), None),
        ] {
            assert_eq!(lenient_boolean(json), expected, "{json:?}");
        }
    }

    #[test]
    fn money_is_exact_or_refused() {
        let exact = |s: &str| Decimal::from_str(s).ok();
        assert_eq!(
            money(Json::Number(Number::Literal("999.98"))),
            exact("999.98")
        );
        assert_eq!(money(Json::Number(Number::Literal("1.5e2"))), exact("150"));
        assert_eq!(money(float(0.1)), exact("0.1"));
        assert_eq!(money(text(" 33590.75 ")), exact("33590.75"));
        assert_eq!(
            money(Json::Number(Number::Literal("12345678901234567.891"))),
            exact("12345678901234567.891")
        );
        for bad in [
            "NaN",
            "inf",
            "1e3",
            "12,50",
            "",
            "0.12345678901234567890123456789",
        ] {
            assert_eq!(money(text(bad)), None, "{bad}");
        }
        for bad in ["1e30", "1e-30", "1e400"] {
            assert_eq!(money(Json::Number(Number::Literal(bad))), None, "{bad}");
        }
        assert_eq!(money(Json::Null), None);
    }

    #[test]
    fn dates_name_real_days() {
        assert!(date("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-3-04",
            " 2024-03-04",
            "2024-03-04T00",
        ] {
            assert!(date(bad).is_none(), "{bad}");
        }
        assert!(date_time("2020-03-04T07:19:13.685Z").is_some());
        assert!(date_time("2020-03-04 07:19:13+05:30").is_some());
        for bad in [
            "2020-13-04T07:19:13Z",
            "2020-03-04T07:19:13",
            "2020-03-04T25:00:00Z",
        ] {
            assert!(date_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn unset_is_null_or_blank_text() {
        assert!(is_unset(Json::Null) && is_unset(text("")) && is_unset(text(" \t")));
        assert!(!is_unset(text("0")) && !is_unset(Json::Bool(false)));
    }

    #[test]
    fn enum_values_are_texts() {
        assert_eq!(enum_value(text("monthly")).as_deref(), Some("monthly"));
        assert_eq!(
            enum_value(Json::Number(Number::PosInt(3))).as_deref(),
            Some("3")
        );
        assert_eq!(enum_value(Json::Bool(true)).as_deref(), Some("true"));
        assert_eq!(enum_value(Json::Null), None);
    }
}
