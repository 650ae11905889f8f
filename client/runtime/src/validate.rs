//! Checks on request values made before anything is sent.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use url::Url;

use crate::operation::Bounds;

/// Checks that each field of `fields` present in `request` as a string is an absolute
/// `http`/`https` URL (for these schemes the parser itself insists on a host). Returns the
/// problem for an `InvalidRequest` error.
///
/// Pabbly stores such URLs and later sends customers to them (portal return links, checkout
/// redirects), so a relative path, a `javascript:` URL or a typo is refused here rather than
/// discovered by a customer. What is checked is the value as it will be sent: one holding a
/// control character (CR, LF, tab, NUL, …) or a space at either end is refused, since the URL
/// parser would silently drop those before validating. The value itself is not repeated in the
/// message: URLs often carry tokens in their query.
pub(crate) fn url_fields(fields: &[&str], request: &Value) -> Result<(), String> {
    let Some(object) = request.as_object() else {
        return Ok(());
    };
    for field in fields {
        if let Some(Value::String(text)) = object.get(*field) {
            url_field(field, text)?;
        }
    }
    Ok(())
}

/// Checks that each field of `bounds` present in `request` as an integer lies within its
/// bounds. Returns the problem for an `InvalidRequest` error, naming the field, its bounds and
/// the value (a number is no secret).
///
/// Pabbly caps a page at 100 items: a larger `limit` is not an error there but a short page,
/// which a page walk takes for the last one. Refusing it here is what keeps a walk complete.
pub(crate) fn bounds(bounds: &[Bounds], request: &Value) -> Result<(), String> {
    match request.as_object() {
        Some(object) => bounds_in_object(bounds, object),
        None => Ok(()),
    }
}

/// [`bounds`] on the fields of a request object.
pub(crate) fn bounds_in_object(
    bounds: &[Bounds],
    object: &serde_json::Map<String, Value>,
) -> Result<(), String> {
    for bound in bounds {
        let Some(value) = object.get(bound.field) else {
            continue;
        };
        let Some(number) = value.as_i64() else {
            continue;
        };
        let below = bound.min.is_some_and(|min| number < min);
        let above = bound.max.is_some_and(|max| number > max);
        if below || above {
            let range = match (bound.min, bound.max) {
                (Some(min), Some(max)) => format!("from {min} to {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => continue,
            };
            return Err(format!("`{}` must be {range}, not {number}", bound.field));
        }
    }
    Ok(())
}

/// [`bounds`] on a serialized JSON body (read back only when the operation has bounds).
pub(crate) fn bounds_in_json(bounds: &[Bounds], body: &[u8]) -> Result<(), String> {
    if bounds.is_empty() {
        return Ok(());
    }
    let request: Value = serde_json::from_slice(body)
        .map_err(|err| format!("could not read back the request body: {err}"))?;
    self::bounds(bounds, &request)
}

/// [`url_fields`] on a serialized JSON body, exactly as it will be sent: only the named
/// top-level fields are read out of it, the rest is skipped without being built. A field
/// written twice (a custom `Serialize` could) is checked every time, since the server may read
/// either.
pub(crate) fn url_fields_in_json(fields: &[&str], body: &[u8]) -> Result<(), String> {
    if fields.is_empty() {
        return Ok(());
    }
    let unreadable =
        |err: serde_json::Error| format!("could not read back the request body: {err}");
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut found = deserializer
        .deserialize_any(FieldProbe { fields })
        .map_err(unreadable)?;
    deserializer.end().map_err(unreadable)?;
    // Reported in the order of `fields`, whatever the order in the body.
    found.sort_by_key(|(field, _)| fields.iter().position(|named| named == field));
    for (field, text) in found {
        url_field(field, &text)?;
    }
    Ok(())
}

fn url_field(field: &str, text: &str) -> Result<(), String> {
    let problem = match sent_as_parsed(text).map(|()| Url::parse(text)) {
        Err(problem) => problem,
        Ok(Err(err)) => err.to_string(),
        Ok(Ok(url)) if !matches!(url.scheme(), "http" | "https") => {
            format!("the scheme is `{}`", url.scheme())
        }
        Ok(Ok(_)) => return Ok(()),
    };
    Err(format!(
        "`{field}` must be an absolute http or https URL ({problem})"
    ))
}

/// The WHATWG parser removes tabs and newlines anywhere and control characters and spaces at
/// either end before it validates, so a value holding them would pass the check while
/// something else is sent: it is refused instead. Says where, not what, like the rest.
fn sent_as_parsed(text: &str) -> Result<(), String> {
    if let Some((at, _)) = text.char_indices().find(|(_, ch)| ch.is_control()) {
        return Err(format!("it holds a control character at byte {at}"));
    }
    if text.starts_with(' ') || text.ends_with(' ') {
        return Err("it starts or ends with a space".to_owned());
    }
    Ok(())
}

/// Reads the string values of `fields` out of a top-level JSON object, each with the field's
/// name; any other top-level value has none.
struct FieldProbe<'a> {
    fields: &'a [&'a str],
}

impl<'a, 'de> Visitor<'de> for FieldProbe<'a> {
    type Value = Vec<(&'a str, String)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Vec::new();
        while let Some(key) = map.next_key_seed(FieldName {
            fields: self.fields,
        })? {
            match key {
                Some(field) => {
                    if let Value::String(text) = map.next_value::<Value>()? {
                        found.push((field, text));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Vec::new())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

/// A key of the probed object: the field of `fields` it names, if any.
struct FieldName<'a> {
    fields: &'a [&'a str],
}

impl<'a, 'de> DeserializeSeed<'de> for FieldName<'a> {
    type Value = Option<&'a str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'a, 'de> Visitor<'de> for FieldName<'a> {
    type Value = Option<&'a str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.fields.iter().copied().find(|field| *field == key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELDS: &[&str] = &["redirect_url", "return_url"];

    /// Both entry points, which must agree: on the value and on its serialized form.
    fn check(request: &Value) -> Result<(), String> {
        let on_value = url_fields(FIELDS, request);
        let bytes = serde_json::to_vec(request).expect("serializes");
        assert_eq!(url_fields_in_json(FIELDS, &bytes), on_value, "{request}");
        on_value
    }

    #[test]
    fn accepts_absolute_http_urls_and_absent_fields() {
        for request in [
            json!({"redirect_url": "https://www.pabbly.com/", "return_url": "http://127.0.0.1:8080/back?x=1"}),
            json!({"redirect_url": null, "return_url": 7, "nested": {"return_url": "/no"}}),
            json!({"other": "not a url"}),
            json!({}),
            json!(["/not/an/object"]),
            json!("/a/string"),
            Value::Null,
        ] {
            assert_eq!(check(&request), Ok(()), "{request}");
        }
    }

    #[test]
    fn refuses_anything_else_naming_the_field() {
        let cases = [
            ("/relative/path", "relative URL without a base"),
            ("", "relative URL without a base"),
            ("javascript:alert(1)", "the scheme is `javascript`"),
            ("ftp://example.com/file", "the scheme is `ftp`"),
            ("https://exa mple.com", "invalid international domain name"),
            ("http://", "empty host"),
            // The parser would drop these and pass what is left; the value sent keeps them.
            (
                "https://ok.example/\r\nX-Injected: 1",
                "it holds a control character at byte 19",
            ),
            (
                "https://ok.example/a\nb",
                "it holds a control character at byte 20",
            ),
            (
                "https://ok.exa\tmple/",
                "it holds a control character at byte 14",
            ),
            (
                "https://ok.example/\0",
                "it holds a control character at byte 19",
            ),
            (
                "\u{1}https://ok.example/",
                "it holds a control character at byte 0",
            ),
            (
                "https://ok.example/\u{7f}",
                "it holds a control character at byte 19",
            ),
            (
                "https://ok.example/\u{85}",
                "it holds a control character at byte 19",
            ),
            (" https://ok.example/", "it starts or ends with a space"),
            ("https://ok.example/ ", "it starts or ends with a space"),
        ];
        for (value, problem) in cases {
            let request = json!({"redirect_url": "https://ok.example/", "return_url": value});
            assert_eq!(
                check(&request),
                Err(format!(
                    "`return_url` must be an absolute http or https URL ({problem})"
                )),
                "{value:?}"
            );
        }
    }

    #[test]
    fn the_first_field_named_is_reported_first() {
        // The body lists `return_url` first; `FIELDS` names `redirect_url` first.
        let body = br#"{"return_url":"/late","redirect_url":"/early"}"#;
        let problem = url_fields_in_json(FIELDS, body).expect_err("both are relative");
        assert!(problem.starts_with("`redirect_url`"), "{problem}");
    }

    #[test]
    fn escaped_names_and_values_are_read_as_sent() {
        let body = br#"{"redirect\u005furl":"java\u0073cript:x"}"#;
        let problem = url_fields_in_json(FIELDS, body).expect_err("javascript is refused");
        assert!(problem.contains("the scheme is `javascript`"), "{problem}");
    }

    #[test]
    fn a_field_written_twice_is_checked_both_times() {
        for body in [
            &br#"{"redirect_url":"/bad","redirect_url":"https://ok.example/"}"#[..],
            br#"{"redirect_url":"https://ok.example/","redirect_url":"/bad"}"#,
        ] {
            assert!(url_fields_in_json(FIELDS, body).is_err());
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_reported() {
        let problem = url_fields_in_json(FIELDS, b"{} {}").expect_err("trailing data");
        assert!(problem.contains("trailing characters"), "{problem}");
        let problem = url_fields_in_json(FIELDS, b"{\"redirect_url\":").expect_err("cut short");
        assert!(
            problem.starts_with("could not read back the request body"),
            "{problem}"
        );
    }

    #[test]
    fn message_does_not_repeat_the_value() {
        let request = json!({"redirect_url": "mailto:someone?token=sekrit"});
        let problem = check(&request).expect_err("not http");
        assert!(!problem.contains("sekrit"), "{problem}");
    }
}
