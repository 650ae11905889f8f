//! Classifying a response (HTTP status and Pabbly's envelope) and decoding its body.

use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use crate::budget::{self, Budget};
use crate::error::Error;
use crate::failure::ErrorKind;
use crate::operation::{Envelope, Method, Operation};
use crate::raw::RawResponse;
use crate::response::Response;

/// Turns a raw response into the operation's result. Never panics, whatever the body.
///
/// A 2xx answer is read in one typed pass ([`read_payload`]): the payload decodes as `T` next
/// to the envelope fields that say whether the call failed, so a successful call costs one
/// pass over its body and nothing else (a bare answer that is an object is first checked for a
/// failure envelope, which its `T` might accept). Only an answer that is not a success — an
/// HTTP error status, a failure envelope, a body that does not decode — is read a second time,
/// for the envelope's [`Facts`] (Pabbly's message, whether it signals failure), skipping the
/// payload, to say what went wrong.
///
/// Like any serde decoder, a pass skips the fields it does not read without validating them,
/// so a success envelope whose *unread* fields hold invalid UTF-8, an unpaired `\u` surrogate
/// or an out-of-range number still decodes; skipping is iterative, so deep nesting there costs
/// no stack.
///
/// Each pass runs within a [`Budget`] of `max_decoded_bytes`: an answer that would take more
/// memory once decoded is refused with [`ErrorKind::TooLarge`] (or, when its HTTP status
/// already says it failed, classified by that status without reading its message). One decoded
/// form is alive at a time.
pub(crate) fn decode<T: DeserializeOwned>(
    op: &'static Operation,
    raw: RawResponse,
    max_decoded_bytes: usize,
) -> Result<Response<T>, Error> {
    let budget = Budget::new(max_decoded_bytes);
    let undecodable = if raw.is_success() {
        match read_payload::<T>(op.envelope, &raw.body, &budget) {
            Ok(Read::Decoded(data, message)) => {
                return Ok(Response::new(data, message, raw.status, raw.headers));
            }
            Ok(Read::Failed) => None,
            Err(_) if budget.exhausted() => return Err(too_large_decoded(op, raw, &budget)),
            Err(failure) => Some(failure),
        }
    } else {
        None
    };

    let budget = Budget::new(max_decoded_bytes);
    let facts = budget::from_slice::<Facts>(&raw.body, &budget);
    if budget.exhausted() && raw.is_success() {
        return Err(too_large_decoded(op, raw, &budget));
    }
    let failed = facts.as_ref().is_ok_and(Facts::failed);
    match undecodable {
        Some(failure) if !failed => Err(undecodable_answer(op, raw, facts, failure)),
        // The status or the envelope says the call failed.
        _ => refused(op, raw, facts.ok()),
    }
}

/// What the typed pass made of a 2xx answer.
enum Read<T> {
    /// The payload, and the envelope's message.
    Decoded(T, Option<String>),
    /// The envelope says the call failed.
    Failed,
}

/// The typed pass: the payload of a 2xx answer as `T`, next to the envelope fields that say
/// whether the call failed. An error means the body is not a success envelope holding a `T`;
/// the envelope's [`Facts`] then say more.
fn read_payload<T: DeserializeOwned>(
    envelope: Envelope,
    body: &[u8],
    budget: &Budget,
) -> Result<Read<T>, DecodeFailure> {
    fn object<S: DeserializeOwned>(body: &[u8], budget: &Budget) -> Result<S, DecodeFailure> {
        // A derived struct also decodes from a JSON array; the envelope must be an object.
        match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
            Some(b'{') => Ok(budget::from_slice(body, budget)?),
            first => Err(DecodeFailure {
                detail: format!("expected a JSON object envelope, found {}", describe(first)),
                source: None,
            }),
        }
    }
    match envelope {
        Envelope::Data => {
            let shape: Shape<T, Scalar> = object(body, budget)?;
            if shape.failed() {
                return Ok(Read::Failed);
            }
            let message = shape.success_message();
            Ok(Read::Decoded(or_from_null(shape.data, "`data`")?, message))
        }
        Envelope::MessageOnly => {
            let shape: Shape<IgnoredAny, Scalar> = object(body, budget)?;
            if shape.failed() {
                return Ok(Read::Failed);
            }
            let message = shape.success_message();
            let data = or_from_null(None, "a message-only response")?;
            Ok(Read::Decoded(data, message))
        }
        Envelope::MessageList => {
            let shape: Shape<IgnoredAny, T> = object(body, budget)?;
            if shape.failed() {
                return Ok(Read::Failed);
            }
            Ok(Read::Decoded(
                or_from_null(shape.message, "`message`")?,
                None,
            ))
        }
        Envelope::Bare => {
            // `T` could itself accept a failure envelope (a map, a struct of options): an
            // object is checked for one first.
            if body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
                && budget::from_slice::<Facts>(body, budget).is_ok_and(|facts| facts.failed())
            {
                return Ok(Read::Failed);
            }
            Ok(Read::Decoded(budget::from_slice(body, budget)?, None))
        }
    }
}

/// A 2xx answer that is not a failure and does not decode: not JSON at all, or not the JSON the
/// spec describes.
fn undecodable_answer(
    op: &'static Operation,
    raw: RawResponse,
    facts: serde_json::Result<Facts>,
    failure: DecodeFailure,
) -> Error {
    let failure = match facts {
        Ok(_) => failure,
        // Said before anything about the shape: the shape of what is not JSON means nothing.
        Err(err) => DecodeFailure {
            detail: if raw.body.iter().all(u8::is_ascii_whitespace) {
                "empty body".to_owned()
            } else {
                format!("body is not valid JSON: {err}")
            },
            source: Some(err),
        },
    };
    let error = Error::decode(op, raw, failure.detail);
    match failure.source {
        Some(source) => error.with_source(source),
        None => error,
    }
}

/// An answer saying the call failed, by its HTTP status or its envelope (`facts`, when the
/// body is JSON): the error for its status or failure envelope, or the empty list that a list
/// operation's "No … found" stands for.
fn refused<T: DeserializeOwned>(
    op: &'static Operation,
    raw: RawResponse,
    facts: Option<Facts>,
) -> Result<Response<T>, Error> {
    let status = raw.status;
    let failed = facts.as_ref().is_some_and(Facts::failed);
    let message = facts.as_ref().and_then(Facts::api_message);
    if op.list
        && failed
        && matches!(status, 200 | 400 | 404)
        && let Some(nothing_found) = message
            .as_deref()
            .filter(|message| is_nothing_found(message))
    {
        return empty_list(op, raw, nothing_found.to_owned());
    }
    let kind = match status {
        200..=299 => failure_kind(op, message.as_deref()),
        429 => ErrorKind::RateLimited,
        401 | 403 => ErrorKind::Unauthorized,
        404 => ErrorKind::NotFound,
        300..=399 => ErrorKind::Redirect,
        500..=599 => ErrorKind::Server,
        _ if failed => failure_kind(op, message.as_deref()),
        _ => ErrorKind::Status,
    };
    Err(Error::refused(op, kind, raw, message))
}

/// The kind of a failure envelope: Pabbly has no error codes, so a read of one object (a `GET`
/// that is not a list) whose message says the object is not there — "Customer not found",
/// "No data found", "Plan does not exist" — is [`ErrorKind::NotFound`], like an HTTP 404;
/// every other failure envelope is [`ErrorKind::Api`]. Writes keep `Api`: a create's "Plan not
/// found" is about a referenced object, not the one addressed.
fn failure_kind(op: &Operation, message: Option<&str>) -> ErrorKind {
    let reads_one = op.method == Method::Get && !op.list;
    if reads_one && message.is_some_and(says_not_found) {
        ErrorKind::NotFound
    } else {
        ErrorKind::Api
    }
}

/// "… not found", "No … found", "… does not exist" (case-insensitive).
fn says_not_found(message: &str) -> bool {
    let lower = message.to_lowercase();
    is_nothing_found(message)
        || ["not found", "does not exist", "doesn't exist"]
            .iter()
            .any(|phrase| lower.contains(phrase))
}

/// Pabbly's way of saying a list is empty: "No customers found", "No Invoice Found." (checked
/// case-insensitively, trailing punctuation ignored, something between the two words).
fn is_nothing_found(message: &str) -> bool {
    let message = message
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase();
    message
        .strip_prefix("no ")
        .and_then(|rest| rest.strip_suffix("found"))
        .is_some_and(|middle| !middle.trim().is_empty())
}

/// The answer to a list operation that found nothing: `T` decoded from `[]`, with Pabbly's
/// message kept.
fn empty_list<T: DeserializeOwned>(
    op: &'static Operation,
    raw: RawResponse,
    message: String,
) -> Result<Response<T>, Error> {
    match T::deserialize(Value::Array(Vec::new())) {
        Ok(data) => Ok(Response::new(data, Some(message), raw.status, raw.headers)),
        Err(err) => Err(
            Error::decode(op, raw, format!("an empty list does not decode: {err}"))
                .with_api_message(Some(message))
                .with_source(err),
        ),
    }
}

/// Why a body does not decode, for [`ErrorKind::Decode`].
struct DecodeFailure {
    detail: String,
    source: Option<serde_json::Error>,
}

impl From<serde_json::Error> for DecodeFailure {
    fn from(err: serde_json::Error) -> Self {
        Self {
            detail: err.to_string(),
            source: Some(err),
        }
    }
}

/// A successful answer refused because it would take more than the budget once decoded.
fn too_large_decoded(op: &'static Operation, raw: RawResponse, budget: &Budget) -> Error {
    Error::too_large(op, raw.status, raw.headers, budget.refusal())
}

/// An absent field decodes as if it were `null`, so `()` and `Option<_>` targets succeed while
/// a required type reports which field was missing.
fn or_from_null<T: DeserializeOwned>(present: Option<T>, what: &str) -> Result<T, DecodeFailure> {
    match present {
        Some(data) => Ok(data),
        None => T::deserialize(Value::Null).map_err(|err| DecodeFailure {
            detail: format!("{what} has no data: {err}"),
            source: Some(err),
        }),
    }
}

/// An object envelope: its payload (`data`, or `message` for a message-list answer) as `D` and
/// `M`, next to the fields that say whether the call failed. An absent field is `None`; an
/// explicit `null` is handed to the type (see [`present`]). One of these keys given twice is a
/// decode error: an envelope saying both `"error"` and `"success"` is not guessed at.
#[derive(serde::Deserialize)]
#[serde(bound = "D: DeserializeOwned, M: DeserializeOwned")]
struct Shape<D, M> {
    #[serde(default)]
    status: Scalar,
    #[serde(default)]
    success: Scalar,
    #[serde(default, deserialize_with = "present")]
    message: Option<M>,
    #[serde(default, deserialize_with = "present")]
    data: Option<D>,
}

impl<D, M> Shape<D, M> {
    fn failed(&self) -> bool {
        signals_failure(&self.status, &self.success)
    }
}

impl<D> Shape<D, Scalar> {
    /// `message` when it is a string, as [`Response::message`].
    fn success_message(&self) -> Option<String> {
        match &self.message {
            Some(Scalar::Text(text)) => Some(text.clone()),
            _ => None,
        }
    }
}

/// Unlike `Option<T>`'s own impl, an explicit `null` is handed to `T`, so `Some` means
/// "the field was there" and `T = Option<_>` sees the `null` itself.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// What an answer that is not a success says about itself: whether its envelope signals
/// failure, and Pabbly's explanation. Any JSON value reads as facts: one that is not an object
/// says nothing. Everything else is skipped; of a key given twice the last counts.
#[derive(Default)]
struct Facts {
    status: Scalar,
    success: Scalar,
    message: Option<Value>,
    error: Option<Value>,
}

impl Facts {
    fn failed(&self) -> bool {
        signals_failure(&self.status, &self.success)
    }

    /// Pabbly's explanation of a failure: `message`, else `error`; non-string values
    /// (validation details) are kept as compact JSON rather than dropped.
    fn api_message(&self) -> Option<String> {
        [&self.message, &self.error]
            .into_iter()
            .find_map(|value| match value.as_ref()? {
                Value::Null => None,
                Value::String(text) if text.trim().is_empty() => None,
                Value::String(text) => Some(text.clone()),
                other => Some(other.to_string()),
            })
    }
}

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FactsVisitor)
    }
}

struct FactsVisitor;

impl<'de> Visitor<'de> for FactsVisitor {
    type Value = Facts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Facts, A::Error> {
        let mut facts = Facts::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Status => facts.status = map.next_value()?,
                Key::Success => facts.success = map.next_value()?,
                Key::Message => facts.message = Some(map.next_value()?),
                Key::Error => facts.error = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(facts)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Facts, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Facts::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Facts, E> {
        Ok(Facts::default())
    }
}

/// The keys of an envelope that [`Facts`] reads.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Key {
    Status,
    Success,
    Message,
    Error,
    #[serde(other)]
    Other,
}

/// An envelope field read only as far as classifying the answer needs: text and booleans are
/// kept, any other value is skipped without being built.
#[derive(Default)]
enum Scalar {
    /// The field is not there.
    #[default]
    Absent,
    Text(String),
    Bool(bool),
    /// `null`, a number, an array or an object.
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(text))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Scalar::Other)
    }
}

/// A `status` of `"error"` or `"failed"`, or a `success` of `false` (or `"false"`).
fn signals_failure(status: &Scalar, success: &Scalar) -> bool {
    let status_failed = matches!(status, Scalar::Text(status)
        if status.trim().eq_ignore_ascii_case("error")
            || status.trim().eq_ignore_ascii_case("failed"));
    let success_false = match success {
        Scalar::Bool(success) => !success,
        Scalar::Text(success) => success.trim().eq_ignore_ascii_case("false"),
        _ => false,
    };
    status_failed || success_false
}

/// What a JSON text that is not an object holds, from its first byte (read once the text is
/// known to be JSON).
fn describe(first: Option<&u8>) -> &'static str {
    match first {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Root;
    use reqwest::header::HeaderMap;
    use serde::Deserialize;

    static DATA: Operation = op(Envelope::Data);
    static MESSAGE_ONLY: Operation = op(Envelope::MessageOnly);
    static MESSAGE_LIST: Operation = op(Envelope::MessageList);
    static BARE: Operation = op(Envelope::Bare);
    static LIST_DATA: Operation = list(Envelope::Data);
    static LIST_MESSAGE: Operation = list(Envelope::MessageList);
    static LIST_BARE: Operation = list(Envelope::Bare);

    const fn list(envelope: Envelope) -> Operation {
        Operation {
            list: true,
            ..op(envelope)
        }
    }

    const fn op(envelope: Envelope) -> Operation {
        Operation {
            id: "customers.get",
            method: Method::Get,
            path: "/customers/{id}",
            root: Root::BASE,
            envelope,
            list: false,
            url_fields: &[],
            bounds: &[],
            repeat_safe: true,
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Customer {
        id: String,
    }

    fn run<T: DeserializeOwned>(
        op: &'static Operation,
        status: u16,
        body: &[u8],
    ) -> Result<Response<T>, Error> {
        decode(
            op,
            RawResponse {
                status,
                headers: HeaderMap::new(),
                body: body.to_vec(),
            },
            usize::MAX,
        )
    }

    fn failure<T: DeserializeOwned + std::fmt::Debug>(
        op: &'static Operation,
        status: u16,
        body: &[u8],
    ) -> Error {
        match run::<T>(op, status, body) {
            Ok(response) => panic!("expected an error, got {response:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn data_envelope() {
        let response = run::<Customer>(
            &DATA,
            201,
            br#"{"status":"success","message":"Customer found","data":{"id":"c1","extra":1}}"#,
        )
        .expect("decodes");
        assert_eq!(response.data, Customer { id: "c1".into() });
        assert_eq!(response.message.as_deref(), Some("Customer found"));
        assert_eq!(response.status(), 201);
    }

    #[test]
    fn data_absent_or_null() {
        let absent = br#"{"status":"success","message":"ok"}"#;
        let null = br#"{"status":"success","message":"ok","data":null}"#;
        for body in [&absent[..], &null[..]] {
            let response = run::<Option<Customer>>(&DATA, 200, body).expect("decodes");
            assert_eq!(response.data, None);
            run::<()>(&DATA, 200, body).expect("unit decodes");
        }
        let err = failure::<Customer>(&DATA, 200, absent);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(
            err.to_string(),
            "could not decode response of customers.get: `data` has no data: invalid type: null, expected struct Customer"
        );
    }

    #[test]
    fn data_of_wrong_shape_reports_position() {
        let body = br#"{"status":"success","data":{"name":"x"}}"#;
        let err = failure::<Customer>(&DATA, 200, body);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.status(), Some(200));
        assert_eq!(
            err.to_string(),
            "could not decode response of customers.get: missing field `id` at line 1 column 39"
        );
        assert_eq!(err.body(), Some(std::str::from_utf8(body).expect("utf-8")));
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn an_envelope_key_given_twice_is_a_decode_error() {
        for body in [
            &br#"{"status":"error","status":"success","data":{"id":"c1"}}"#[..],
            br#"{"status":"success","message":"a","message":"b","data":{"id":"c1"}}"#,
            br#"{"status":"success","data":{"id":"c1"},"data":{"id":"c2"}}"#,
        ] {
            let err = failure::<Customer>(&DATA, 200, body);
            assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
            assert!(err.to_string().contains("duplicate field"), "{err}");
        }
    }

    #[test]
    fn unread_fields_are_skipped_without_validation() {
        // An unpaired surrogate and an out-of-range number where the client reads nothing.
        let body = br#"{"status":"success","note":"\ud800","big":1e400,"data":{"id":"c1"}}"#;
        let response = run::<Customer>(&DATA, 200, body).expect("decodes");
        assert_eq!(response.data, Customer { id: "c1".into() });
        // Where it reads, it validates.
        let body = br#"{"status":"success","data":{"id":"\ud800"}}"#;
        assert_eq!(
            failure::<Customer>(&DATA, 200, body).kind(),
            ErrorKind::Decode
        );
    }

    #[test]
    fn message_only_ignores_data() {
        let response = run::<()>(
            &MESSAGE_ONLY,
            200,
            br#"{"status":"success","message":"Customer deleted","data":{"whatever":[1,2]}}"#,
        )
        .expect("decodes");
        assert_eq!(response.message.as_deref(), Some("Customer deleted"));
    }

    #[test]
    fn message_list() {
        let response = run::<Vec<Customer>>(
            &MESSAGE_LIST,
            200,
            br#"{"status":"success","message":[{"id":"a"},{"id":"b"}]}"#,
        )
        .expect("decodes");
        assert_eq!(response.data.len(), 2);
        assert_eq!(response.message, None);
    }

    #[test]
    fn bare() {
        let response = run::<Vec<Customer>>(&BARE, 200, br#"[{"id":"a"}]"#).expect("decodes");
        assert_eq!(response.data, vec![Customer { id: "a".into() }]);
        assert_eq!(response.message, None);
        let err =
            failure::<Vec<Customer>>(&BARE, 200, br#"{"status":"error","message":"No data"}"#);
        assert_eq!(err.kind(), ErrorKind::Api);
    }

    #[test]
    fn failure_on_http_200_for_every_envelope() {
        let bodies: [&[u8]; 4] = [
            br#"{"status":"error","message":"Invalid customer id"}"#,
            br#"{"status":"failed","message":"Invalid customer id","data":[]}"#,
            br#"{"success":false,"error":"Invalid customer id"}"#,
            br#"{"status":"ERROR","message":"Invalid customer id"}"#,
        ];
        for op in [&DATA, &MESSAGE_ONLY, &MESSAGE_LIST, &BARE] {
            for body in bodies {
                let err = failure::<()>(op, 200, body);
                assert_eq!(err.kind(), ErrorKind::Api);
                assert_eq!(err.status(), Some(200));
                assert_eq!(err.api_message(), Some("Invalid customer id"));
                assert_eq!(err.body().map(str::as_bytes), Some(body));
                assert_eq!(
                    err.to_string(),
                    "Pabbly API error from customers.get (HTTP 200): Invalid customer id"
                );
            }
        }
    }

    #[test]
    fn failure_without_message_shows_body() {
        let err = failure::<()>(&DATA, 200, br#"{"success":false}"#);
        assert_eq!(err.api_message(), None);
        assert_eq!(
            err.to_string(),
            r#"Pabbly API error from customers.get (HTTP 200): {"success":false}"#
        );
    }

    #[test]
    fn structured_failure_message_is_kept_as_json() {
        let err = failure::<()>(
            &DATA,
            200,
            br#"{"status":"error","message":{"email":"required"}}"#,
        );
        assert_eq!(err.api_message(), Some(r#"{"email":"required"}"#));
    }

    #[test]
    fn html_body_on_200_is_decode_error() {
        let body = b"<!DOCTYPE html>\n<html><body>Maintenance</body></html>";
        let err = failure::<Customer>(&DATA, 200, body);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(
            err.to_string(),
            "could not decode response of customers.get: body is not valid JSON: expected value at line 1 column 1"
        );
        assert_eq!(err.body().map(str::as_bytes), Some(&body[..]));
    }

    #[test]
    fn truncated_json_is_decode_error() {
        let err = failure::<Customer>(&DATA, 200, br#"{"status":"success","data":{"id":"c"#);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.to_string().contains("EOF while parsing"), "{err}");
    }

    #[test]
    fn empty_body_is_decode_error() {
        for body in [&b""[..], b"  \n"] {
            let err = failure::<()>(&MESSAGE_ONLY, 200, body);
            assert_eq!(err.kind(), ErrorKind::Decode);
            assert_eq!(
                err.to_string(),
                "could not decode response of customers.get: empty body"
            );
        }
    }

    #[test]
    fn non_object_envelope_is_decode_error() {
        let err = failure::<()>(&DATA, 200, b"[1]");
        assert_eq!(
            err.to_string(),
            "could not decode response of customers.get: expected a JSON object envelope, found an array"
        );
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let err = failure::<()>(&DATA, 200, b"\xff\xfe{");
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.body(), Some("\u{fffd}\u{fffd}{"));
    }

    #[test]
    fn http_statuses_are_classified() {
        let envelope = br#"{"status":"error","message":"Invalid user api"}"#;
        let cases: [(u16, &[u8], ErrorKind); 8] = [
            (429, b"slow down", ErrorKind::RateLimited),
            (401, envelope, ErrorKind::Unauthorized),
            (403, envelope, ErrorKind::Unauthorized),
            (404, b"", ErrorKind::NotFound),
            (500, envelope, ErrorKind::Server),
            (503, b"<html>down</html>", ErrorKind::Server),
            (400, envelope, ErrorKind::Api),
            (400, b"bad request", ErrorKind::Status),
        ];
        for (status, body, kind) in cases {
            let err = failure::<()>(&DATA, status, body);
            assert_eq!(err.kind(), kind, "HTTP {status}");
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.body().map(str::as_bytes), Some(body));
        }
    }

    #[test]
    fn status_error_keeps_pabbly_message() {
        let err = failure::<()>(
            &DATA,
            403,
            br#"{"status":"error","message":"Invalid user api"}"#,
        );
        assert_eq!(err.api_message(), Some("Invalid user api"));
        assert_eq!(
            err.to_string(),
            "HTTP 403 Forbidden from GET /customers/{id}: Invalid user api"
        );
        let html = failure::<()>(&DATA, 503, b"<html>\n<h1>Service down</h1>\n</html>");
        assert_eq!(html.api_message(), None);
        assert_eq!(
            html.to_string(),
            "HTTP 503 Service Unavailable from GET /customers/{id}: <html> <h1>Service down</h1> </html>"
        );
    }

    #[test]
    fn nothing_found_messages() {
        for message in [
            "No customers found",
            "No Invoice Found.",
            "no data found!",
            "  NO PLANS FOUND  ",
        ] {
            assert!(is_nothing_found(message), "{message:?}");
        }
        for message in [
            "Not found",
            "No found",
            "Customer not found",
            "Invalid customer id",
            "No customers were returned",
            "nothing found",
            "",
        ] {
            assert!(!is_nothing_found(message), "{message:?}");
        }
    }

    #[test]
    fn nothing_found_on_a_list_is_an_empty_list() {
        let bodies: [&[u8]; 3] = [
            br#"{"status":"error","message":"No customers found"}"#,
            br#"{"status":"failed","message":"No customers found.","data":[]}"#,
            br#"{"success":false,"error":"No customers found"}"#,
        ];
        for op in [&LIST_DATA, &LIST_MESSAGE, &LIST_BARE] {
            for status in [200, 400, 404] {
                for body in bodies {
                    let response = run::<Vec<Customer>>(op, status, body).expect("empty list");
                    assert!(response.data.is_empty());
                    assert_eq!(response.status(), status);
                    let message = response.message.expect("Pabbly's text is kept");
                    assert!(message.starts_with("No customers found"), "{message}");
                }
            }
        }
    }

    #[test]
    fn nothing_found_is_an_error_elsewhere() {
        let body = br#"{"status":"error","message":"No customers found"}"#;
        // Not a list operation: a read of one object that is not there.
        assert_eq!(
            failure::<Vec<Customer>>(&DATA, 200, body).kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            failure::<Vec<Customer>>(&DATA, 404, body).kind(),
            ErrorKind::NotFound
        );
        // A list, but a status that means something else went wrong.
        assert_eq!(
            failure::<Vec<Customer>>(&LIST_DATA, 403, body).kind(),
            ErrorKind::Unauthorized
        );
        assert_eq!(
            failure::<Vec<Customer>>(&LIST_DATA, 500, body).kind(),
            ErrorKind::Server
        );
        assert_eq!(
            failure::<Vec<Customer>>(&LIST_DATA, 429, body).kind(),
            ErrorKind::RateLimited
        );
        // A list, but another message.
        let other = br#"{"status":"error","message":"Invalid product id"}"#;
        let err = failure::<Vec<Customer>>(&LIST_DATA, 400, other);
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.api_message(), Some("Invalid product id"));
        // A data type that is not a list cannot be empty.
        let err = failure::<Customer>(&LIST_DATA, 200, body);
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.api_message(), Some("No customers found"));
    }

    #[test]
    fn not_found_messages_on_single_object_reads() {
        static CREATE: Operation = Operation {
            method: Method::Post,
            ..op(Envelope::Data)
        };
        for message in [
            "Customer not found",
            "customer NOT FOUND.",
            "No data found",
            "Plan does not exist",
        ] {
            let body = serde_json::json!({"status": "error", "message": message}).to_string();
            for status in [200, 400] {
                let err = failure::<Customer>(&DATA, status, body.as_bytes());
                assert_eq!(err.kind(), ErrorKind::NotFound, "{message} on {status}");
                assert_eq!(err.api_message(), Some(message));
                // A write naming something missing is still an API error.
                let err = failure::<Customer>(&CREATE, status, body.as_bytes());
                assert_eq!(err.kind(), ErrorKind::Api, "{message} on a POST");
            }
        }
        for message in [
            "Invalid customer id",
            "Found a problem",
            "Customer is foundational",
        ] {
            let body = serde_json::json!({"status": "error", "message": message}).to_string();
            assert_eq!(
                failure::<Customer>(&DATA, 200, body.as_bytes()).kind(),
                ErrorKind::Api,
                "{message}"
            );
        }
    }

    /// Every envelope shape listed in the API notes (A to H), through the envelope it occurs
    /// with.
    #[test]
    fn every_documented_envelope_shape() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Month {
            month: String,
        }
        // A: success flag with data.
        let a = run::<Customer>(&DATA, 200, br#"{"success":true,"data":{"id":"c1"}}"#)
            .expect("A decodes");
        assert_eq!((a.data.id.as_str(), a.message), ("c1", None));
        // B: success flag false with `error`.
        let b = failure::<Customer>(&DATA, 200, br#"{"success":false,"error":"Bad request"}"#);
        assert_eq!(
            (b.kind(), b.api_message()),
            (ErrorKind::Api, Some("Bad request"))
        );
        // C: status, message and data (object or list).
        let c = run::<Customer>(
            &DATA,
            200,
            br#"{"status":"success","message":"Customer found","data":{"id":"c1"}}"#,
        )
        .expect("C decodes");
        assert_eq!(c.message.as_deref(), Some("Customer found"));
        let c_list = run::<Vec<Customer>>(
            &LIST_DATA,
            200,
            br#"{"status":"success","message":"Customers","data":[{"id":"a"},{"id":"b"}]}"#,
        )
        .expect("C with a list decodes");
        assert_eq!(c_list.data.len(), 2);
        // C': data is a string.
        let c_prime = run::<String>(
            &DATA,
            200,
            br#"{"status":"success","message":"Category Created","data":"Category Created"}"#,
        )
        .expect("C' decodes");
        assert_eq!(c_prime.data, "Category Created");
        // D: no data at all.
        let d = run::<()>(
            &MESSAGE_ONLY,
            200,
            br#"{"status":"success","message":"Subscription cancelled"}"#,
        )
        .expect("D decodes");
        assert_eq!(d.message.as_deref(), Some("Subscription cancelled"));
        // E: the list under `message`.
        let e = run::<Vec<Customer>>(
            &LIST_MESSAGE,
            200,
            br#"{"status":"success","message":[{"id":"t1"}]}"#,
        )
        .expect("E decodes");
        assert_eq!(e.data, vec![Customer { id: "t1".into() }]);
        // F: failed, with data, on HTTP 200.
        let f = failure::<Customer>(
            &DATA,
            200,
            br#"{"status":"failed","message":"Payment failed","data":{"id":"c1"}}"#,
        );
        assert_eq!((f.kind(), f.status()), (ErrorKind::Api, Some(200)));
        assert_eq!(f.api_message(), Some("Payment failed"));
        // G: a bare array.
        let g = run::<Vec<Month>>(&LIST_BARE, 200, br#"[{"month":"2024-05"}]"#).expect("G decodes");
        assert_eq!(
            g.data,
            vec![Month {
                month: "2024-05".into()
            }]
        );
        // H: error with HTTP 200, 400 or 403.
        for (status, kind) in [
            (200, ErrorKind::Api),
            (400, ErrorKind::Api),
            (403, ErrorKind::Unauthorized),
        ] {
            let h = failure::<Customer>(
                &DATA,
                status,
                br#"{"status":"error","message":"Invalid user api"}"#,
            );
            assert_eq!(
                (h.kind(), h.api_message()),
                (kind, Some("Invalid user api"))
            );
        }
    }
}

/// Property tests: whatever the status and body, every envelope decodes to `Ok` or an `Err`
/// whose `Display` is one line, and never panics; a body that is a `Value` written out decodes
/// to what a reference written over that `Value` gives. `PROPTEST_CASES` runs more cases (see the
/// README, "Errors, retries and timeouts").
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::operation::{Method, Root};
    use proptest::prelude::*;
    use reqwest::header::HeaderMap;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    const fn op(envelope: Envelope, list: bool) -> Operation {
        Operation {
            id: "customers.get",
            method: Method::Get,
            path: "/customers/{id}",
            root: Root::BASE,
            envelope,
            list,
            url_fields: &[],
            bounds: &[],
            repeat_safe: true,
        }
    }

    /// Every envelope, as a single-item and as a list operation.
    static OPS: [Operation; 8] = [
        op(Envelope::Data, false),
        op(Envelope::MessageOnly, false),
        op(Envelope::MessageList, false),
        op(Envelope::Bare, false),
        op(Envelope::Data, true),
        op(Envelope::MessageOnly, true),
        op(Envelope::MessageList, true),
        op(Envelope::Bare, true),
    ];

    /// Shaped like the generated types: a required field, optional ones, a nested list.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Customer {
        id: String,
        email: Option<String>,
        amount: Option<f64>,
        tags: Option<Vec<String>>,
    }

    /// A closed enum, whose serde error quotes the unknown value verbatim.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        Monthly,
        Yearly,
    }

    fn config(default_cases: u32) -> ProptestConfig {
        let mut config = ProptestConfig::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            config.cases = default_cases;
        }
        config
    }

    /// Decodes `body` with `status` through every envelope into several target types and checks
    /// each outcome.
    fn check_all(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
        for op in &OPS {
            check::<Value>(op, status, body)?;
            check::<()>(op, status, body)?;
            check::<String>(op, status, body)?;
            check::<Option<i64>>(op, status, body)?;
            check::<Customer>(op, status, body)?;
            check::<Vec<Customer>>(op, status, body)?;
            check::<Kind>(op, status, body)?;
            check::<BTreeMap<String, Vec<Kind>>>(op, status, body)?;
        }
        Ok(())
    }

    fn check<T: DeserializeOwned + std::fmt::Debug>(
        op: &'static Operation,
        status: u16,
        body: &[u8],
    ) -> Result<(), TestCaseError> {
        let raw = || RawResponse {
            status,
            headers: HeaderMap::new(),
            body: body.to_vec(),
        };
        let decoded = decode::<T>(op, raw(), usize::MAX);
        // A body that is exactly its `Value` written out (no key twice, nothing skipped that
        // `Value` would refuse) decodes as the reference worked out from that `Value` says.
        if let Ok(value) = serde_json::from_slice::<Value>(body)
            && [
                serde_json::to_vec(&value),
                serde_json::to_vec_pretty(&value),
            ]
            .iter()
            .any(|written| written.as_deref().is_ok_and(|written| written == body))
        {
            prop_assert_eq!(
                decoded
                    .as_ref()
                    .ok()
                    .map(|response| format!("{:?}", (&response.data, &response.message))),
                reference::<T>(op, status, &value),
                "{:?} over {:?}: {:?}",
                op.envelope,
                String::from_utf8_lossy(body),
                decoded.as_ref().err()
            );
        }
        match decoded {
            Ok(response) => prop_assert_eq!(response.status(), status),
            Err(error) => {
                let shown = error.to_string();
                prop_assert!(
                    !shown.contains(['\n', '\r']),
                    "{:?} over {:?}: Display is not one line: {:?}",
                    op.envelope,
                    String::from_utf8_lossy(body),
                    shown
                );
                prop_assert!(!shown.trim().is_empty());
                prop_assert_eq!(error.status(), Some(status));
            }
        }
        Ok(())
    }

    /// What decoding `value` as the answer of `op` with `status` gives, written from the
    /// README's rules over `Value` (an independent statement of them): `Some` with the data
    /// and message shown, `None` for an error.
    fn reference<T: DeserializeOwned + std::fmt::Debug>(
        op: &Operation,
        status: u16,
        value: &Value,
    ) -> Option<String> {
        let object = value.as_object();
        let field = |key: &str| object.and_then(|o| o.get(key)).cloned();
        let text = |key: &str| field(key).and_then(|v| v.as_str().map(str::to_owned));
        let says = |key: &str, words: &[&str]| {
            text(key).is_some_and(|t| words.iter().any(|w| t.trim().eq_ignore_ascii_case(w)))
        };
        let failed = says("status", &["error", "failed"])
            || says("success", &["false"])
            || field("success") == Some(Value::Bool(false));
        let decoded = |data: Option<Value>, message: Option<String>| {
            T::deserialize(data.unwrap_or(Value::Null))
                .ok()
                .map(|data| format!("{:?}", (data, message)))
        };
        if (200..300).contains(&status) && !failed {
            return match op.envelope {
                Envelope::Bare => decoded(Some(value.clone()), None),
                _ if object.is_none() => None,
                Envelope::Data => decoded(field("data"), text("message")),
                Envelope::MessageOnly => decoded(None, text("message")),
                Envelope::MessageList => decoded(field("message"), None),
            };
        }
        let api_message = ["message", "error"]
            .into_iter()
            .find_map(|key| match field(key)? {
                Value::Null => None,
                Value::String(t) if t.trim().is_empty() => None,
                Value::String(t) => Some(t),
                other => Some(other.to_string()),
            });
        match api_message {
            Some(message)
                if op.list
                    && failed
                    && matches!(status, 200 | 400 | 404)
                    && is_nothing_found(&message) =>
            {
                decoded(Some(Value::Array(Vec::new())), Some(message))
            }
            _ => None,
        }
    }

    /// Any JSON value, biased toward Pabbly's envelope keys and values.
    fn json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("status".to_owned()),
            Just("message".to_owned()),
            Just("data".to_owned()),
            Just("success".to_owned()),
            Just("error".to_owned()),
            Just("id".to_owned()),
            Just("tags".to_owned()),
            "\\PC{0,8}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            prop_oneof![
                Just("success"),
                Just("error"),
                Just("failed"),
                Just("false"),
                Just("No customers found"),
                Just("Monthly"),
            ]
            .prop_map(Value::from),
            "\\PC{0,12}".prop_map(Value::from),
            "(?s).{0,12}".prop_map(Value::from),
            "[a-zA-Z \\n\\r\\t]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    /// Statuses the decoder treats differently, and any other.
    fn status() -> impl Strategy<Value = u16> {
        prop_oneof![
            prop::sample::select(vec![200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503]),
            any::<u16>(),
        ]
    }

    /// Found by `json_values`: serde quotes an unknown enum value verbatim, so a newline in the
    /// body reached the one-line `Display` of the decode error.
    #[test]
    fn a_value_quoted_by_serde_stays_on_one_line() {
        let raw = RawResponse {
            status: 200,
            headers: HeaderMap::new(),
            body: br#""a\nb""#.to_vec(),
        };
        let shown = decode::<Kind>(&OPS[3], raw, usize::MAX)
            .map(|_| ())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            shown.as_deref(),
            Some(
                "could not decode response of customers.get: unknown variant `a b`, expected \
                 `Monthly` or `Yearly` at line 1 column 6"
            )
        );
    }

    proptest! {
        #![proptest_config(config(256))]

        #[test]
        fn arbitrary_bytes(status in status(), body in prop::collection::vec(any::<u8>(), 0..256)) {
            check_all(status, &body)?;
        }

        #[test]
        fn json_ish_text(status in status(), body in r#"[{}\[\]":,.0-9a-zA-Z \n\t\\/-]{0,96}"#) {
            check_all(status, body.as_bytes())?;
        }

        #[test]
        fn json_values(status in status(), value in json(), pretty in any::<bool>()) {
            let body = if pretty {
                serde_json::to_vec_pretty(&value)
            } else {
                serde_json::to_vec(&value)
            };
            check_all(status, &body.map_err(|e| TestCaseError::fail(e.to_string()))?)?;
        }

        /// Envelopes as Pabbly writes them, successful or not, so that successes and each kind
        /// of failure are common and checked against the reference.
        #[test]
        fn envelopes(
            status in status(),
            fields in prop::collection::vec((
                prop::sample::select(vec!["status", "success", "message", "data", "error"]),
                prop_oneof![
                    prop::sample::select(vec!["success", "error", " Failed ", "false", "true"])
                        .prop_map(Value::from),
                    any::<bool>().prop_map(Value::Bool),
                    json(),
                ],
            ), 0..5),
        ) {
            let envelope: serde_json::Map<String, Value> = fields
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect();
            let body = serde_json::to_vec(&envelope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            check_all(status, &body)?;
        }

        #[test]
        fn envelopes_cut_short(status in status(), value in json(), cut in any::<prop::sample::Index>()) {
            let body = serde_json::to_vec(&serde_json::json!({"status": "success", "data": value}))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let end = cut.index(body.len() + 1);
            check_all(status, &body[..end])?;
        }
    }
}
