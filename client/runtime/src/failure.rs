//! What kind of failure a call met, and whether its request reached Pabbly: the plain facts an
//! [`Error`](crate::Error) carries, which the retry decision and the observer read too.

/// What went wrong, coarsely enough to `match` on.
///
/// # Example
///
/// ```
/// use pabbly::ErrorKind;
///
/// fn should_retry(err: &pabbly::Error) -> bool {
///     matches!(
///         err.kind(),
///         ErrorKind::Timeout | ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Transport
///     )
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be sent or the response could not be read (DNS, connection, TLS,
    /// a connection closed mid-answer).
    Transport,
    /// An attempt ran past its timeout, the call past its deadline, connecting past the
    /// connect timeout, or waiting for a connection slot past
    /// [`RequestOptions::queue_timeout`](crate::RequestOptions::queue_timeout) (then
    /// [`Outcome::NotSent`]).
    Timeout,
    /// HTTP 429 Too Many Requests; [`Error::retry_after`](crate::Error::retry_after) tells how
    /// long the server asked to wait.
    RateLimited,
    /// HTTP 401 or 403: the API key or secret key was rejected.
    Unauthorized,
    /// HTTP 404, or a failure envelope on a read of one object whose message says it is not
    /// there ("Customer not found", "No data found", "… does not exist"): Pabbly has no error
    /// codes and often answers a missing object with HTTP 200 or 400.
    NotFound,
    /// Pabbly reported a failure in the body (`"status": "error"` / `"failed"` or
    /// `"success": false`), even on HTTP 200.
    Api,
    /// HTTP 5xx.
    Server,
    /// HTTP 3xx: the server redirected the request. Redirects are never followed (Pabbly's
    /// API does not redirect, and following one can turn a create into a `GET` of another
    /// URL, send it twice, or send its body to another host) and never retried; the
    /// `Display` names the status and the `Location`, which
    /// [`Error::headers`](crate::Error::headers) also holds.
    Redirect,
    /// Any other non-2xx HTTP status.
    Status,
    /// The response body was not the expected JSON; the raw body is kept in
    /// [`Error::body`](crate::Error::body).
    Decode,
    /// The response body was larger than the configured `max_response_bytes`, or would take
    /// more than four times that much memory once decoded (a few bytes of `{}` can stand for a
    /// struct of hundreds of bytes). Not retried.
    TooLarge,
    /// The request could not be built: invalid client configuration (e.g. base URL) or
    /// invalid arguments (e.g. an empty path value).
    InvalidRequest,
    /// A page stream ([`Pages`](crate::Pages)) stopped because the server's pages do not end:
    /// a page repeated the one before it, or the default page limit was reached with more
    /// pages possibly left.
    Pagination,
    /// A webhook event that the API does not bear out (`pabbly::webhooks::Webhooks::confirm`):
    /// its object is not there, is still there after a delete event, or the event names none
    /// that can be read back.
    Unconfirmed,
    /// A method of the blocking client (`pabbly::blocking::Client`, feature `blocking`) was
    /// called on a thread that is running an async runtime (inside an `async`
    /// function or a task): blocking there would stall or deadlock the runtime, so nothing was
    /// sent ([`Outcome::NotSent`]). Use the async `pabbly::Client` there, or call from
    /// `tokio::task::spawn_blocking`.
    InsideAsyncRuntime,
}

/// Whether a failed call's request reached Pabbly: what a caller needs to know before repeating
/// a write, since Pabbly has no idempotency keys.
///
/// | outcome | what happened | may Pabbly have acted on it? |
/// |---|---|---|
/// | [`NotSent`](Self::NotSent) | refused before sending, no connection slot within [`RequestOptions::queue_timeout`](crate::RequestOptions::queue_timeout), or the connection could not be made | no: safe to send again |
/// | [`AnswerLost`](Self::AnswerLost) | sent, or possibly sent, and no complete answer came back (timed out, connection lost, body cut short) | maybe: reconcile before repeating a write |
/// | [`Answered`](Self::Answered) | Pabbly answered; the error describes the answer (status, envelope, body) | as the answer says |
///
/// It describes the call, all attempts together: when a retried call's last attempt was not
/// sent but an earlier one was, the outcome is `AnswerLost`.
///
/// ```
/// use pabbly::Outcome;
///
/// fn may_have_created(err: &pabbly::Error) -> bool {
///     match err.outcome() {
///         Outcome::NotSent => false,
///         Outcome::AnswerLost => true,
///         // Pabbly answered with an error: nothing was created.
///         Outcome::Answered => false,
///         _ => true,
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The request provably never reached Pabbly.
    NotSent,
    /// The request was (or may have been) sent, and no complete answer came back.
    AnswerLost,
    /// Pabbly (or something in front of it) answered.
    Answered,
}
