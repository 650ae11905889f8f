//! The static description of one API operation (with the envelope its answer comes in) and the
//! payload passed with it.

/// Everything the runtime needs to know about one endpoint, emitted by the generator as a
/// `static` next to the method that uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Stable identifier such as `"portal_sessions.create"`, used in error messages.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The path template as the spec writes it, e.g. `"/customers/{customer_id}"`, for error
    /// messages and logs. The request's path is made from the [`Segment`]s the generated
    /// method passes.
    pub path: &'static str,
    /// Where the path starts, relative to the client's base URL.
    pub root: Root,
    /// How a successful response body maps onto [`Response`](crate::Response).
    pub envelope: Envelope,
    /// The response data is a list. Pabbly answers an empty list with a failure envelope whose
    /// message reads "No … found" (HTTP 200, 400 or 404); for such an operation that answer
    /// decodes as an empty list instead of an error.
    pub list: bool,
    /// Wire names of the top-level request fields typed as URLs. Each one present as a string
    /// must be an absolute `http`/`https` URL, or the call fails with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) before anything is sent.
    pub url_fields: &'static [&'static str],
    /// The bounds of the top-level integer request fields that have them; a value outside is
    /// refused with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) before
    /// anything is sent.
    pub bounds: &'static [Bounds],
    /// Sending the request twice has the effect of sending it once (the spec decides, by
    /// method unless it says otherwise), so a failed attempt may be repeated without the
    /// caller's consent.
    pub repeat_safe: bool,
}

/// How a successful response body maps onto [`Response`](crate::Response).
///
/// Whatever the envelope, a body object whose `status` is `"error"` or `"failed"`, or whose
/// `success` is `false`, is an [`ErrorKind::Api`](crate::ErrorKind::Api) error even on HTTP 200
/// — except on a list operation ([`Operation::list`]), where such an answer with a "No … found"
/// message on HTTP 200, 400 or 404 is an empty list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    /// `{"status":"success","message":"…","data":<T>}`: `data` is decoded as `T` (from `null`
    /// when absent, so `T = ()` or `Option<_>` works); `message` becomes `Response::message`.
    Data,
    /// `{"status":"success","message":"…"}`: `T` is `()`, any `data` is ignored.
    MessageOnly,
    /// `{"status":"success","message":[…]}`: `T` is decoded from `message`, and
    /// `Response::message` is `None`.
    MessageList,
    /// The whole body is `T` (e.g. a bare JSON array).
    Bare,
}

/// Where an operation's path starts, relative to the client's base URL: `up` trailing segments
/// of the base URL's path removed, then `then` appended. The spec's `base: ../v2` is
/// `Root { up: 1, then: &["v2"] }`, which sends the dashboard's request to `…/api/v2/…`
/// whether the base URL is Pabbly's or a mock's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Root {
    /// How many trailing segments of the base URL's path to remove.
    pub up: usize,
    /// Segments appended after that.
    pub then: &'static [&'static str],
}

impl Root {
    /// The base URL itself.
    pub const BASE: Root = Root { up: 0, then: &[] };
}

/// One `/`-separated segment of a request path, as the generated method supplies it: the
/// template's segments in order, each path parameter's value in its place, so there is always
/// exactly one value per placeholder. A last empty literal is the template's trailing slash
/// (`/portal_sessions/` is `[Literal("portal_sessions"), Literal("")]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text of the template, sent as written.
    Literal(&'static str),
    /// A path parameter: its wire name (for error messages) and the caller's value, sent
    /// percent-encoded as exactly one segment.
    Value(&'static str, &'a str),
}

/// Inclusive bounds on one integer request field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The field's wire name.
    pub field: &'static str,
    /// The smallest allowed value.
    pub min: Option<i64>,
    /// The largest allowed value.
    pub max: Option<i64>,
}

/// HTTP methods used by the Pabbly API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Delete => reqwest::Method::DELETE,
            Self::Patch => reqwest::Method::PATCH,
        }
    }
}

/// What is sent along with a request.
///
/// Generic over the borrowed value so generated code can pass `&CreateRequest` (or any
/// `T: Serialize`) without boxing or type erasure. For a request without a payload use
/// [`Payload::none()`]: the bare `Payload::None` variant leaves `B` uninferred.
pub enum Payload<'a, B: ?Sized = ()> {
    /// No body and no query string.
    None,
    /// Serialize the value with `serde_json` as the request body
    /// (`Content-Type: application/json`).
    Json(&'a B),
    /// Serialize the value into query parameters: it must serialize to a JSON object (or
    /// `null`, meaning no parameters). Strings are sent raw, numbers and booleans as their JSON
    /// text, `null` fields are skipped, arrays repeat the key, and nested objects are sent as
    /// compact JSON text.
    Query(&'a B),
}

impl Payload<'static, ()> {
    /// A payload-less request, with the type parameter pinned so it needs no annotation.
    pub const fn none() -> Self {
        Self::None
    }
}
