//! Receiving webhook events: a body is decoded within [`Limits`] (size and nesting) or refused
//! with a [`Rejection`] saying why; with the `axum` feature, the `Webhook` extractor does
//! this for a handler. The generated `webhooks` module re-exports these items and confirms an
//! event through the helpers at the end.

use std::fmt;

use serde::Deserialize as _;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};
use serde_json::value::RawValue;

use crate::{Error, ErrorKind, Response};

/// The largest body accepted by default: 256 KiB, ten times a subscription event with its plan,
/// customer and add-ons.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;

/// The deepest nesting of arrays and objects accepted by default: Pabbly's objects nest about
/// five levels (an invoice's subscription's plan's bump offer).
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// How much of a webhook body is read: its size in bytes and how deep its JSON may nest.
///
/// ```
/// use pabbly::webhooks::{Event, Limits};
///
/// let limits = Limits::new().max_body_bytes(64 * 1024).max_depth(16);
/// let body = br#"{"event_type": "invoice_create", "data": {"id": "inv_1"}}"#;
/// let event = Event::from_slice_with(body, &limits)?;
/// assert_eq!(event.event_type.as_str(), "invoice_create");
/// # Ok::<(), pabbly::webhooks::Rejection>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    max_body_bytes: usize,
    max_depth: usize,
}

impl Limits {
    /// [`DEFAULT_MAX_BODY_BYTES`] and [`DEFAULT_MAX_DEPTH`].
    pub fn new() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Refuses bodies longer than `bytes`; the extractor stops reading there.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Refuses JSON nesting arrays and objects deeper than `depth`.
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a webhook body was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// The request does not say its body is JSON (`Content-Type: application/json`).
    NotJson,
    /// The body is longer than [`Limits::max_body_bytes`].
    TooLarge,
    /// The JSON nests deeper than [`Limits::max_depth`].
    TooDeep,
    /// The body is not JSON, or not an event: a required key is missing or of the wrong type.
    Malformed,
    /// The body could not be read (the connection broke).
    Unreadable,
}

/// A webhook body refused before any of it reached the handler, with the reason in one line.
///
/// With the `axum` feature it answers `400 Bad Request` with the reason as plain text.
///
/// ```
/// use pabbly::webhooks::{Event, RejectionKind};
///
/// let refused = Event::from_slice(br#"{"event_type": 7, "data": {}}"#).unwrap_err();
/// assert_eq!(refused.kind(), RejectionKind::Malformed);
/// assert!(refused.to_string().contains("event_type"), "{refused}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    kind: RejectionKind,
    reason: String,
}

/// How many characters of a decoder's message a reason keeps (it can quote the body).
const REASON_CHARS: usize = 300;

impl Rejection {
    fn new(kind: RejectionKind, reason: impl Into<String>) -> Self {
        let reason: String = reason.into();
        let reason = match reason.char_indices().nth(REASON_CHARS) {
            Some((cut, _)) => format!("{}…", &reason[..cut]),
            None => reason,
        };
        Self { kind, reason }
    }

    /// What was wrong with the body.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// The reason, as the `400` answer states it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Rejection {}

/// Decodes a webhook body into `T` within `limits`.
///
/// # Errors
/// A [`Rejection`] when the body is too long, nests too deep, is not JSON or not a `T`.
pub fn decode<T: DeserializeOwned>(body: &[u8], limits: &Limits) -> Result<T, Rejection> {
    if body.len() > limits.max_body_bytes {
        return Err(too_large(limits));
    }
    check_depth(body, limits.max_depth)?;
    serde_json::from_slice(body).map_err(|error| {
        let what = if error.is_data() {
            "the body is not a webhook event"
        } else {
            "the body is not valid JSON"
        };
        Rejection::new(RejectionKind::Malformed, format!("{what}: {error}"))
    })
}

fn too_large(limits: &Limits) -> Rejection {
    Rejection::new(
        RejectionKind::TooLarge,
        format!(
            "the body is longer than the {} bytes a webhook event may have",
            limits.max_body_bytes
        ),
    )
}

/// Refuses JSON nesting deeper than `max` before the decoder recurses into it: one pass over the
/// bytes, counting brackets outside strings.
fn check_depth(body: &[u8], max: usize) -> Result<(), Rejection> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in body.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(Rejection::new(
                        RejectionKind::TooDeep,
                        format!("the JSON nests deeper than {max} levels (at byte {offset})"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Decodes an envelope key that is a string (or `null`, then `None`), naming the key when it is
/// not: "expected `event_type` as a string".
pub struct Text(pub &'static str);

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` as a string", self.0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Decodes an event's `data`, kept as sent, refusing anything but an object.
pub struct Data;

impl<'de> DeserializeSeed<'de> for Data {
    type Value = Box<RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if raw.get().trim_start().starts_with('{') {
            Ok(raw)
        } else {
            Err(de::Error::custom("`data` is not a JSON object"))
        }
    }
}

/// The string under `key` in an event's `data`, if `data` is an object that has one.
pub fn object_id(data: &RawValue, key: &str) -> Option<String> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(data.get()).ok()?;
    match object.get(key)? {
        serde_json::Value::String(id) if !id.is_empty() => Some(id.clone()),
        _ => None,
    }
}

/// The event names no object to read back: it has no `key` in its data.
pub fn missing_id(event_type: &str, key: &str) -> Error {
    Error::unconfirmed(format!(
        "the {event_type} event's data has no `{key}` string naming its object"
    ))
}

/// The API has no read that confirms events of this type.
pub fn not_confirmable(event_type: &str) -> Error {
    Error::unconfirmed(format!(
        "no operation reads back the object of a {event_type} event: check it by hand \
         (see the README's Webhooks section)"
    ))
}

/// The read's answer for an event that says its object exists: the object, or `Unconfirmed`
/// when the read found nothing.
///
/// # Errors
/// `Unconfirmed` when the object is not there; the read's own error otherwise.
pub fn expect_found<T>(
    event_type: &str,
    id: &str,
    read: Result<Response<T>, Error>,
) -> Result<T, Error> {
    match read {
        Ok(response) => Ok(response.into_data()),
        Err(error) if error.kind() == ErrorKind::NotFound => Err(error.into_unconfirmed(format!(
            "the {event_type} event names `{id}`, which does not exist"
        ))),
        Err(error) => Err(error),
    }
}

/// The read's answer for an event that says its object was deleted: `Ok` when the read found
/// nothing, `Unconfirmed` when the object is still there.
///
/// # Errors
/// `Unconfirmed` when the object still exists; the read's own error otherwise.
pub fn expect_gone<T>(
    event_type: &str,
    id: &str,
    read: Result<Response<T>, Error>,
) -> Result<(), Error> {
    match read {
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
        Ok(_) => Err(Error::unconfirmed(format!(
            "the {event_type} event says `{id}` was deleted, but it still exists"
        ))),
    }
}

/// Untyped data read back, decoded as the event's data type.
///
/// # Errors
/// `Decode` when the answer is not a `T`.
pub fn decode_answer<T: DeserializeOwned>(answer: serde_json::Value) -> Result<T, Error> {
    serde_json::from_value(answer).map_err(Error::undecodable_data)
}

#[cfg(feature = "axum")]
pub use receiver::Webhook;

/// The axum extractor.
#[cfg(feature = "axum")]
mod receiver {
    use axum::extract::{FromRequest, Request};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use http_body_util::{BodyExt as _, LengthLimitError, Limited};
    use serde::de::DeserializeOwned;

    use super::{Limits, Rejection, RejectionKind, decode, too_large};

    /// An axum extractor for a webhook event `E` (normally `pabbly::webhooks::Event`).
    ///
    /// It refuses, with `400 Bad Request` and the reason as plain text, a request whose
    /// `Content-Type` is not JSON, whose body is longer than [`Limits::max_body_bytes`] (read
    /// no further than that, and refused at once when `Content-Length` announces more), nests
    /// deeper than [`Limits::max_depth`], is not JSON, or is not an event. The limits are the
    /// defaults unless the router adds others as an extension:
    /// `.layer(axum::Extension(Limits::new().max_body_bytes(…)))`.
    ///
    /// ```
    /// use axum::{Extension, Router, routing::post};
    /// use pabbly::webhooks::{Event, Limits, Webhook};
    ///
    /// async fn receive(Webhook(event): Webhook<Event>) -> &'static str {
    ///     println!("{} from {:?}", event.event_type, event.event_source);
    ///     "ok"
    /// }
    ///
    /// let app: Router = Router::new()
    ///     .route("/pabbly/{secret}", post(receive))
    ///     .layer(Extension(Limits::new().max_body_bytes(64 * 1024)));
    /// # let _ = app;
    /// ```
    #[derive(Clone, Debug)]
    pub struct Webhook<E>(pub E);

    impl<S: Send + Sync, E: DeserializeOwned> FromRequest<S> for Webhook<E> {
        type Rejection = Rejection;

        async fn from_request(request: Request, _state: &S) -> Result<Self, Rejection> {
            let limits = request
                .extensions()
                .get::<Limits>()
                .copied()
                .unwrap_or_default();
            let headers = request.headers();
            let json = headers
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(';').next())
                .map(|mime| mime.trim().to_ascii_lowercase())
                .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
            if !json {
                return Err(Rejection::new(
                    RejectionKind::NotJson,
                    "the body is not declared as JSON (Content-Type: application/json)",
                ));
            }
            let announced = headers
                .get(header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.parse::<u64>().ok());
            if announced.is_some_and(|length| {
                usize::try_from(length).map_or(true, |length| length > limits.max_body_bytes)
            }) {
                return Err(too_large(&limits));
            }
            let body = Limited::new(request.into_body(), limits.max_body_bytes);
            let bytes = match body.collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
                    return Err(too_large(&limits));
                }
                Err(error) => {
                    return Err(Rejection::new(
                        RejectionKind::Unreadable,
                        format!("the body could not be read: {error}"),
                    ));
                }
            };
            decode(&bytes, &limits).map(Webhook)
        }
    }

    impl IntoResponse for Rejection {
        fn into_response(self) -> Response {
            (StatusCode::BAD_REQUEST, self.reason).into_response()
        }
    }
}
