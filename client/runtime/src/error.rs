//! The crate's single error type: what went wrong, with what the answer said, built by one named
//! constructor per way a call fails.

use std::error::Error as StdError;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::failure::{ErrorKind, Outcome};
use crate::operation::Operation;
use crate::raw::RawResponse;
use crate::retry::{self, FailedAttempt};
use crate::secret::Redaction;

/// How many characters of a response body (or API message) `Display` and `Debug` show; the
/// whole text stays available through [`Error::body`] and [`Error::api_message`].
const DISPLAY_BODY_CHARS: usize = 200;

/// How many characters of a detail (which can quote the body, e.g. an unknown enum value) or
/// of a cause `Display` and `Debug` show.
const DISPLAY_DETAIL_CHARS: usize = 1_000;

/// The error returned by every fallible operation of this crate.
///
/// `Display` is a single line meant for logs; the full response body, Pabbly's own `message`
/// and the HTTP status are available through accessors. `Display` and `Debug` shorten long
/// texts (200 characters of a body or message, 1,000 of a detail or cause) and say how long
/// the whole is.
///
/// Credentials never appear in `Display`, `Debug`, [`source`](std::error::Error::source) or
/// any accessor: if an answer echoes the client's own API key, secret key or `Authorization`
/// value (a proxy's error page quoting the request head does), every copy of it in the body,
/// message, headers and cause is replaced with `<redacted>` before the error is returned.
///
/// # Example
///
/// ```
/// use pabbly::ErrorKind;
///
/// let result = pabbly::Client::builder("api-key", "secret-key")
///     .base_url("ftp://example.com")
///     .build();
/// if let Err(err) = result {
///     assert_eq!(err.kind(), ErrorKind::InvalidRequest);
///     assert_eq!(err.status(), None);
///     assert_eq!(
///         err.to_string(),
///         "invalid client configuration: base URL must use http or https, not `ftp`"
///     );
/// }
/// ```
pub struct Error {
    // Boxed so `Result<T, Error>` stays one pointer wide on the happy path.
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static Operation>,
    status: Option<u16>,
    api_message: Option<String>,
    body: Option<String>,
    headers: Option<HeaderMap>,
    detail: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
    /// Requests sent (or tried) for the call that failed; 0 when it was refused before sending.
    attempts: u32,
    /// Whether the request reached Pabbly, for the call as a whole.
    outcome: Outcome,
}

/// One named constructor per way a call fails, each giving the error what that failure carries
/// (its kind, whether the request was sent, the answer): the runtime builds errors through
/// these alone.
impl Error {
    // Refused before sending.

    /// A configuration problem found by the builder.
    pub(crate) fn config(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest, None).with_detail(detail)
    }

    /// A request for `operation` that cannot be built from the given arguments.
    pub(crate) fn invalid_request(
        operation: &'static Operation,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::InvalidRequest, Some(operation)).with_detail(detail)
    }

    /// The call ran out of time waiting for one of the client's connection slots: nothing was
    /// sent.
    pub(crate) fn queue_timed_out(
        operation: &'static Operation,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::Timeout, Some(operation)).with_detail(detail)
    }

    // Sent, or possibly sent, without a complete answer.

    /// A failure reported by reqwest while connecting, sending or reading the body.
    pub(crate) fn transport(operation: &'static Operation, error: reqwest::Error) -> Self {
        // The URL carries the rendered path and query, which may hold caller data.
        let error = error.without_url();
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_redirect() {
            // Only a caller-supplied HTTP client follows redirects; its loop is no lost
            // connection to retry.
            ErrorKind::Redirect
        } else {
            ErrorKind::Transport
        };
        let verb = match (error.is_connect(), error.is_timeout()) {
            (true, _) => "could not connect",
            (false, true) => "timed out",
            (false, false) => "failed",
        };
        let outcome = if error.is_connect() {
            Outcome::NotSent
        } else {
            Outcome::AnswerLost
        };
        Self::new(kind, Some(operation))
            .with_detail(format!("{verb}: {}", error_chain(&error)))
            .with_outcome(outcome)
            .with_source(error)
    }

    /// The attempt or the whole call ran out of time after the request may have been sent;
    /// `detail` says which limit.
    pub(crate) fn timed_out(operation: &'static Operation, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, Some(operation))
            .with_detail(detail)
            .with_outcome(Outcome::AnswerLost)
    }

    // Answered.

    /// An answer saying the call failed, by its HTTP status or by Pabbly's failure envelope,
    /// classified as `kind`, with Pabbly's message when it gave one. A redirect says where it
    /// pointed: it is not followed.
    pub(crate) fn refused(
        operation: &'static Operation,
        kind: ErrorKind,
        raw: RawResponse,
        api_message: Option<String>,
    ) -> Self {
        let mut error = Self::new(kind, Some(operation));
        if kind == ErrorKind::Redirect {
            error = error.with_detail(redirect_detail(&raw.headers));
        }
        error.answered(raw).with_api_message(api_message)
    }

    /// An answer that is not what the spec describes; `detail` says how.
    pub(crate) fn decode(
        operation: &'static Operation,
        raw: RawResponse,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::Decode, Some(operation))
            .with_detail(detail)
            .answered(raw)
    }

    /// An answer the runtime accepted but did not keep: a broken invariant of the runtime,
    /// reported rather than panicking.
    pub(crate) fn undecoded_answer(operation: &'static Operation) -> Self {
        Self::new(ErrorKind::Decode, Some(operation))
            .with_outcome(Outcome::Answered)
            .with_detail(
                "the answer was accepted but not decoded (a bug in pabbly: please report it)",
            )
    }

    /// An answer refused for its size; `detail` says which limit. Its body is not kept: it is
    /// the very thing too big to hold on to.
    pub(crate) fn too_large(
        operation: &'static Operation,
        status: u16,
        headers: HeaderMap,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::TooLarge, Some(operation))
            .with_detail(detail)
            .with_status(status, headers)
    }

    /// One item of a fetched page that does not decode; `item` is its JSON text.
    pub(crate) fn undecodable_item(
        operation: &'static Operation,
        item: &str,
        detail: impl Into<String>,
        source: serde_json::Error,
    ) -> Self {
        Self::new(ErrorKind::Decode, Some(operation))
            .with_outcome(Outcome::Answered)
            .with_detail(detail)
            .with_body(item.to_owned())
            .with_source(source)
    }

    /// A page stream stopped because the server's pages do not end; `detail` says how it
    /// knows.
    pub(crate) fn pagination(operation: &'static Operation, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Pagination, Some(operation))
            .with_outcome(Outcome::Answered)
            .with_detail(detail)
    }

    // After the call.

    /// Untyped data that does not decode into the type the caller asked for.
    /// A blocking call made on a thread running an async runtime: refused, nothing sent.
    #[cfg(feature = "blocking")]
    pub(crate) fn inside_async_runtime(operation: &'static Operation) -> Self {
        Self::new(ErrorKind::InsideAsyncRuntime, Some(operation)).with_detail(
            "refused: a blocking call on a thread running an async runtime would stall it \
             (use the async client there, or call from `spawn_blocking`)",
        )
    }

    /// The blocking client could not start the thread that drives its requests: nothing sent.
    #[cfg(feature = "blocking")]
    pub(crate) fn no_blocking_driver(operation: &'static Operation, detail: String) -> Self {
        Self::new(ErrorKind::Transport, Some(operation)).with_detail(detail)
    }

    pub(crate) fn undecodable_data(error: serde_json::Error) -> Self {
        Self::new(ErrorKind::Decode, None)
            .with_detail(format!("the data does not decode: {error}"))
            .with_source(error)
    }

    /// A webhook event that reading its object back did not bear out.
    pub(crate) fn unconfirmed(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unconfirmed, None).with_detail(detail)
    }

    /// This error (the read that was to confirm a webhook event) as the event's refusal: the
    /// operation, status and body stay, the kind becomes [`ErrorKind::Unconfirmed`].
    pub(crate) fn into_unconfirmed(mut self, detail: impl Into<String>) -> Self {
        self.inner.kind = ErrorKind::Unconfirmed;
        self.with_detail(detail)
    }
}

/// What a call adds to the error of its last attempt.
impl Error {
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// Marks a call whose last attempt was not sent but an earlier one was: Pabbly may have
    /// acted on the earlier one.
    pub(crate) fn after_sent_attempt(mut self) -> Self {
        if self.inner.outcome == Outcome::NotSent {
            self.inner.outcome = Outcome::AnswerLost;
        }
        self
    }

    /// Replaces every copy of the client's own credentials in the texts this error shows: the
    /// body, Pabbly's message, the detail, the response headers and the cause (which is then
    /// kept as its redacted text).
    pub(crate) fn redacted(mut self, redaction: &Redaction) -> Self {
        let inner = &mut *self.inner;
        for text in [&mut inner.body, &mut inner.api_message, &mut inner.detail]
            .into_iter()
            .flatten()
        {
            if let Some(clean) = redaction.scrub(text) {
                *text = clean;
            }
        }
        for value in inner.headers.iter_mut().flat_map(HeaderMap::values_mut) {
            if let Some(clean) = redaction.scrub(&String::from_utf8_lossy(value.as_bytes())) {
                let mut clean = HeaderValue::from_bytes(clean.as_bytes())
                    .unwrap_or(HeaderValue::from_static(Redaction::MARK));
                clean.set_sensitive(true);
                *value = clean;
            }
        }
        if let Some(source) = inner.source.as_deref() {
            let shown = format!("{}\n{source:?}", error_chain(source));
            if redaction.scrub(&shown).is_some() {
                let chain = error_chain(source);
                let clean = redaction.scrub(&chain).unwrap_or(chain);
                inner.source = Some(Box::new(RedactedCause(clean)));
            }
        }
        self
    }
}

/// The parts the constructors above are made of, and what [`crate::testing::ErrorBuilder`]
/// builds any error from.
impl Error {
    /// An error of `kind` with nothing else set, not sent.
    pub(crate) fn new(kind: ErrorKind, operation: Option<&'static Operation>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                operation,
                status: None,
                api_message: None,
                body: None,
                headers: None,
                detail: None,
                source: None,
                attempts: 0,
                outcome: Outcome::NotSent,
            }),
        }
    }

    /// The answer's status, headers and body (as text: bytes that are not UTF-8 replaced).
    fn answered(self, raw: RawResponse) -> Self {
        let RawResponse {
            status,
            headers,
            body,
        } = raw;
        // Without a copy when it is UTF-8: it can be megabytes.
        let body = String::from_utf8(body)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
        self.with_status(status, headers).with_body(body)
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.inner.detail = Some(detail.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// An answer was received: its status and headers.
    pub(crate) fn with_status(mut self, status: u16, headers: HeaderMap) -> Self {
        self.inner.status = Some(status);
        self.inner.headers = Some(headers);
        self.inner.outcome = Outcome::Answered;
        self
    }

    pub(crate) fn with_body(mut self, body: String) -> Self {
        self.inner.body = Some(body);
        self
    }

    pub(crate) fn with_api_message(mut self, message: Option<String>) -> Self {
        self.inner.api_message = message;
        self
    }

    pub(crate) fn with_outcome(mut self, outcome: Outcome) -> Self {
        self.inner.outcome = outcome;
        self
    }
}

impl Error {
    /// Whether the request reached Pabbly; see [`Outcome`].
    ///
    /// ```
    /// fn safe_to_send_again(err: &pabbly::Error) -> bool {
    ///     err.outcome() == pabbly::Outcome::NotSent
    /// }
    /// ```
    pub fn outcome(&self) -> Outcome {
        self.inner.outcome
    }

    /// The id of the operation that failed, e.g. `"customers.get"`; `None` for an invalid
    /// client configuration. Stable: use it as a metrics label.
    ///
    /// ```
    /// fn label(err: &pabbly::Error) -> &'static str {
    ///     err.operation().unwrap_or("client")
    /// }
    /// ```
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation.map(|op| op.id)
    }

    /// The category of this error.
    ///
    /// ```
    /// fn is_auth_problem(err: &pabbly::Error) -> bool {
    ///     err.kind() == pabbly::ErrorKind::Unauthorized
    /// }
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status of the response, if one was received.
    ///
    /// ```
    /// fn was_server_side(err: &pabbly::Error) -> bool {
    ///     err.status().is_some_and(|status| status >= 500)
    /// }
    /// ```
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// Pabbly's own explanation (the envelope's `message`, or `error`), when the body had one.
    ///
    /// ```
    /// fn explain(err: &pabbly::Error) -> &str {
    ///     err.api_message().unwrap_or("no message from Pabbly")
    /// }
    /// ```
    pub fn api_message(&self) -> Option<&str> {
        self.inner.api_message.as_deref()
    }

    /// The complete response body, when a response was read (bytes that are not UTF-8 are
    /// replaced with U+FFFD), with every copy of the client's own credentials replaced by
    /// `<redacted>`: an error can be logged whole without leaking them.
    ///
    /// ```
    /// fn log_body(err: &pabbly::Error) {
    ///     if let Some(body) = err.body() {
    ///         eprintln!("response body: {body}");
    ///     }
    /// }
    /// ```
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// The response headers, when a response was received (e.g. to read `Retry-After`).
    ///
    /// ```
    /// fn retry_after(err: &pabbly::Error) -> Option<&str> {
    ///     err.headers()?.get("retry-after")?.to_str().ok()
    /// }
    /// ```
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// How long the server asked to wait before trying again, from its `Retry-After` header
    /// (seconds or an HTTP date; a date in the past is zero). Usually set on
    /// [`ErrorKind::RateLimited`] and 503 answers; `None` without such a header or when it
    /// cannot be read.
    ///
    /// ```
    /// async fn later(err: &pabbly::Error) {
    ///     if let Some(wait) = err.retry_after() {
    ///         tokio::time::sleep(wait).await;
    ///     }
    /// }
    /// ```
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        let value = self
            .headers()?
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?;
        retry::parse_retry_after(value, chrono::Utc::now())
    }

    /// What the retry decision reads of this error.
    pub(crate) fn failed_attempt(&self) -> FailedAttempt {
        FailedAttempt {
            kind: self.kind(),
            outcome: self.outcome(),
            status: self.status(),
            retry_after: self.retry_after(),
        }
    }

    /// How many requests the call sent, or tried to send, before failing: 0 when it was
    /// refused before sending (an invalid argument), more than 1 when it was retried.
    ///
    /// ```
    /// fn was_retried(err: &pabbly::Error) -> bool {
    ///     err.attempts() > 1
    /// }
    /// ```
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the request ran out of time (same as `kind() == ErrorKind::Timeout`).
    ///
    /// ```
    /// fn should_retry(err: &pabbly::Error) -> bool {
    ///     err.is_timeout()
    /// }
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let id = inner.operation.map_or("request", |op| op.id);
        match inner.kind {
            ErrorKind::Api => {
                write!(f, "Pabbly API error from {id}")?;
                if let Some(status) = inner.status {
                    write!(f, " (HTTP {status})")?;
                }
                self.write_explanation(f)
            }
            ErrorKind::RateLimited
            | ErrorKind::Unauthorized
            | ErrorKind::NotFound
            | ErrorKind::Server
            | ErrorKind::Redirect
            | ErrorKind::Status => {
                write!(f, "HTTP")?;
                if let Some(status) = inner.status {
                    write!(f, " {status}")?;
                    if let Some(reason) = reqwest::StatusCode::from_u16(status)
                        .ok()
                        .and_then(|code| code.canonical_reason())
                    {
                        write!(f, " {reason}")?;
                    }
                }
                match inner.operation {
                    // Built by `testing::ErrorBuilder`, which knows only the id.
                    Some(op) if op.path.is_empty() => write!(f, " from {}", op.id)?,
                    Some(op) => write!(f, " from {} {}", op.method.as_str(), op.path)?,
                    None => {}
                }
                match (inner.kind, &inner.detail) {
                    // Where it pointed says more than the (usually empty) body.
                    (ErrorKind::Redirect, Some(detail)) => {
                        write!(f, ": {}", one_line(detail, DISPLAY_DETAIL_CHARS))
                    }
                    _ => self.write_explanation(f),
                }
            }
            ErrorKind::Decode => {
                write!(f, "could not decode response of {id}")?;
                if let Some(detail) = &inner.detail {
                    write!(f, ": {}", one_line(detail, DISPLAY_DETAIL_CHARS))?;
                }
                Ok(())
            }
            ErrorKind::InvalidRequest => {
                match inner.operation {
                    Some(op) => write!(f, "invalid request for {}", op.id)?,
                    None => write!(f, "invalid client configuration")?,
                }
                if let Some(detail) = &inner.detail {
                    write!(f, ": {}", one_line(detail, DISPLAY_DETAIL_CHARS))?;
                }
                Ok(())
            }
            ErrorKind::Unconfirmed => {
                write!(f, "webhook event not confirmed")?;
                if let Some(op) = inner.operation {
                    write!(f, " by {}", op.id)?;
                }
                if let Some(detail) = &inner.detail {
                    write!(f, ": {}", one_line(detail, DISPLAY_DETAIL_CHARS))?;
                }
                Ok(())
            }
            ErrorKind::Transport
            | ErrorKind::Timeout
            | ErrorKind::TooLarge
            | ErrorKind::Pagination
            | ErrorKind::InsideAsyncRuntime => {
                write!(f, "{id}")?;
                if let Some(op) = inner.operation.filter(|op| !op.path.is_empty()) {
                    write!(f, " ({} {})", op.method.as_str(), op.path)?;
                }
                if let Some(detail) = &inner.detail {
                    write!(f, " {}", one_line(detail, DISPLAY_DETAIL_CHARS))?;
                }
                Ok(())
            }
        }
    }
}

impl Error {
    /// Appends `: <Pabbly's message>` or `: <shortened body>` so the reader sees why.
    fn write_explanation(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        if let Some(message) = inner
            .api_message
            .as_deref()
            .filter(|m| !m.trim().is_empty())
        {
            return write!(f, ": {}", one_line(message, DISPLAY_BODY_CHARS));
        }
        match inner.body.as_deref() {
            Some(body) if !body.trim().is_empty() => {
                write!(f, ": {}", one_line(body, DISPLAY_BODY_CHARS))
            }
            Some(_) => f.write_str(" (empty body)"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        // Long texts are shortened here too: a 16 MiB HTML page in a panic message helps no one.
        fn short(text: &Option<String>, max_chars: usize) -> Option<Shortened<'_>> {
            text.as_deref().map(|text| Shortened(text, max_chars))
        }
        let source = inner.source.as_ref().map(|source| format!("{source:?}"));
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("operation", &inner.operation.map(|op| op.id))
            .field("status", &inner.status)
            .field(
                "api_message",
                &short(&inner.api_message, DISPLAY_BODY_CHARS),
            )
            .field("body", &short(&inner.body, DISPLAY_BODY_CHARS))
            .field("detail", &short(&inner.detail, DISPLAY_DETAIL_CHARS))
            .field("attempts", &inner.attempts)
            .field("outcome", &inner.outcome)
            .field("source", &short(&source, DISPLAY_DETAIL_CHARS))
            .finish()
    }
}

/// A text as `Debug` shows it: quoted when it is short, else its first characters on one line
/// and its whole length.
struct Shortened<'a>(&'a str, usize);

impl fmt::Debug for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self(text, max_chars) = *self;
        if text.chars().nth(max_chars).is_none() {
            return fmt::Debug::fmt(text, f);
        }
        write!(f, "{:?} ({} bytes)", one_line(text, max_chars), text.len())
    }
}

/// A cause whose text held a credential, kept as that text with the credential replaced.
#[derive(Debug)]
struct RedactedCause(String);

impl fmt::Display for RedactedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for RedactedCause {}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// Where a redirect pointed, for the error: it is not followed.
fn redirect_detail(headers: &HeaderMap) -> String {
    match headers.get(reqwest::header::LOCATION) {
        Some(location) => format!(
            "redirected to `{}`, not followed",
            String::from_utf8_lossy(location.as_bytes())
        ),
        None => "a redirect without a `Location`, not followed".to_owned(),
    }
}

/// Collapses whitespace (HTML error pages are multi-line) and cuts to `max_chars` characters.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        for ch in (count > 0).then_some(' ').into_iter().chain(word.chars()) {
            if count == max_chars {
                out.push('…');
                return out;
            }
            // Control characters other than whitespace would break the single line too.
            out.push(if ch.is_control() { ' ' } else { ch });
            count += 1;
        }
    }
    out
}

/// reqwest's own message is terse ("error sending request"); the cause chain says why.
fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(err) = current {
        let text = err.to_string();
        // Layers sometimes repeat their cause's message verbatim.
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Envelope, Method, Root};

    static OP: Operation = Operation {
        id: "portal_sessions.create",
        method: Method::Post,
        path: "/portal_sessions/",
        root: Root::BASE,
        envelope: Envelope::Data,
        list: false,
        url_fields: &[],
        bounds: &[],
        repeat_safe: false,
    };

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn one_line_collapses_and_shortens() {
        assert_eq!(one_line("  a \n\t b  ", 10), "a b");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(one_line("héllo wörld", 7), "héllo w…");
        assert_eq!(one_line("a\u{7}b", 10), "a b");
        assert_eq!(one_line("", 10), "");
    }

    #[test]
    fn display_api_error() {
        let body = r#"{"status":"error","message":"Invalid customer id"}"#;
        let message = Some("Invalid customer id".to_owned());
        let err = Error::refused(&OP, ErrorKind::Api, raw(200, body), message);
        assert_eq!((err.outcome(), err.body()), (Outcome::Answered, Some(body)));
        assert_eq!(
            err.to_string(),
            "Pabbly API error from portal_sessions.create (HTTP 200): Invalid customer id"
        );
    }

    #[test]
    fn display_status_error_shortens_body() {
        let body = format!("<html>\n<body>\n{}</body></html>", "x".repeat(500));
        let err = Error::refused(&OP, ErrorKind::Server, raw(503, &body), None);
        let text = err.to_string();
        assert!(
            text.starts_with(
                "HTTP 503 Service Unavailable from POST /portal_sessions/: <html> <body> xxx"
            ),
            "{text}"
        );
        assert!(text.ends_with('…'), "{text}");
        assert!(!text.contains('\n'));
        assert!(text.chars().count() < 300);
        assert_eq!(err.body(), Some(body.as_str()));
    }

    #[test]
    fn display_status_error_with_empty_body() {
        let err = Error::refused(&OP, ErrorKind::Status, raw(418, ""), None);
        assert_eq!(
            err.to_string(),
            "HTTP 418 I'm a teapot from POST /portal_sessions/ (empty body)"
        );
    }

    #[test]
    fn display_config_error() {
        assert_eq!(
            Error::config("base URL is empty").to_string(),
            "invalid client configuration: base URL is empty"
        );
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
