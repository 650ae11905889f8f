//! Retry and timeout settings, per client and per call: the public overrides and the resolved
//! policy the runtime follows.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Attempts per call, counting the first: two retries ride out a brief outage or a deploy
/// without multiplying load on an API that allows only 10,000 calls a day.
pub(crate) const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// First backoff ceiling; doubled per retry.
pub(crate) const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
/// Longest wait between two attempts, and the longest `Retry-After` honoured: a caller should
/// not be held for minutes by one call without asking for it.
pub(crate) const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);
/// Longest wait for one of the client's connection slots: with the 30 s attempt timeout, a
/// call against a server that accepts and never answers returns within a minute, however many
/// calls are queued behind a full client.
pub(crate) const DEFAULT_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// Retry, backoff and timeout settings that override the client's defaults.
///
/// Every setting left unset keeps the value it had, so options can be layered: the built-in
/// defaults, then [`ClientBuilder::request_options`](crate::ClientBuilder::request_options)
/// for the whole client, then `Client::with_options` for the calls made through the returned
/// client.
///
/// | setting | default |
/// |---|---|
/// | [`max_attempts`](Self::max_attempts) | 3 (the first attempt and two retries) |
/// | [`base_delay`](Self::base_delay) | 200 ms |
/// | [`max_delay`](Self::max_delay) | 5 s |
/// | [`timeout`](Self::timeout) (each attempt) | [`ClientBuilder::timeout`](crate::ClientBuilder::timeout), 30 s |
/// | [`deadline`](Self::deadline) (all attempts) | none |
/// | [`queue_timeout`](Self::queue_timeout) (waiting for a connection slot) | 30 s |
/// | [`retry_unsafe`](Self::retry_unsafe) | `false` |
/// | [`retry_timeouts`](Self::retry_timeouts) | `false` |
/// | [`header`](Self::header) | none |
///
/// # When a call is retried
///
/// A failed attempt is retried, while attempts remain, when it
///
/// - could not connect (refused, unreachable, DNS, connect timeout): the request provably
///   never reached Pabbly, so any request is retried;
/// - got HTTP 429, 502, 503 or 504, or lost the connection after sending: only requests that
///   are safe to repeat (GET, PUT, DELETE), or any request when
///   [`retry_unsafe`](Self::retry_unsafe) is set.
///
/// - timed out, when [`retry_timeouts`](Self::retry_timeouts) is set: only requests that are
///   safe to repeat, as above.
///
/// Other failures (500, 4xx, Pabbly's error envelopes, undecodable bodies, a timed-out attempt
/// by default, a call that got no connection slot within
/// [`queue_timeout`](Self::queue_timeout)) are returned at once: repeating them would give the
/// same answer, or may already have taken effect.
///
/// Between attempts the runtime waits a random time between zero and
/// `base_delay × 2^(retry − 1)`, capped at `max_delay` ("full jitter", so that many clients
/// failing together do not retry together). A `Retry-After` header (seconds or HTTP date) is
/// waited for exactly instead; when it asks for more than `max_delay`, or the wait would pass
/// the deadline, the error is returned without waiting.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use pabbly::RequestOptions;
///
/// // A background sync that may take its time but must finish within a minute.
/// let patient = RequestOptions::new()
///     .max_attempts(6)
///     .max_delay(Duration::from_secs(10))
///     .deadline(Duration::from_secs(60));
///
/// // A create the caller knows is safe to repeat (it checks for duplicates itself).
/// let create = RequestOptions::new().retry_unsafe(true);
///
/// // No retries at all.
/// let once = RequestOptions::new().max_attempts(1);
/// # let _ = (patient, create, once);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[must_use = "options do nothing until passed to a client"]
pub struct RequestOptions {
    max_attempts: Option<u32>,
    base_delay: Option<Duration>,
    max_delay: Option<Duration>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    queue_timeout: Option<Duration>,
    retry_unsafe: Option<bool>,
    retry_timeouts: Option<bool>,
    /// Sent with every request; a later layer replaces a name an earlier one set.
    headers: HeaderMap,
}

impl RequestOptions {
    /// Options that override nothing.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new();
    /// assert_eq!(options, pabbly::RequestOptions::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how many attempts a call may make in total, counting the first (default 3).
    /// `1` disables retries; `0` is treated as `1`.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new().max_attempts(5);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sets the backoff ceiling before the first retry (default 200 ms); it doubles for each
    /// further retry, up to [`max_delay`](Self::max_delay).
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new()
    ///     .base_delay(std::time::Duration::from_millis(500));
    /// ```
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = Some(delay);
        self
    }

    /// Sets the longest wait between two attempts (default 5 s). It also bounds `Retry-After`:
    /// a server asking for a longer wait gets its error returned instead (read the wait with
    /// [`Error::retry_after`](crate::Error::retry_after)).
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new()
    ///     .max_delay(std::time::Duration::from_secs(30));
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = Some(delay);
        self
    }

    /// Sets the time allowed for each attempt, from connecting until the whole body is read
    /// (default: the builder's [`timeout`](crate::ClientBuilder::timeout), 30 s). An attempt
    /// that runs out of time fails the call with
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) and is not retried.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new()
    ///     .timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the time allowed for the whole call: every attempt, every wait for a connection
    /// slot and every backoff sleep (default: none, so a call takes at most `max_attempts`
    /// attempt timeouts plus the sleeps between them). When it passes, the call fails with
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), or with the last attempt's error if
    /// the deadline would pass during a backoff sleep. A later layer can replace the deadline
    /// but not remove it; `Duration::MAX` amounts to none.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new()
    ///     .deadline(std::time::Duration::from_secs(20));
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Allows retrying requests that are not safe to repeat, i.e. POST (default `false`).
    ///
    /// Pabbly has no idempotency keys: a create whose response was lost may have succeeded, and
    /// retrying it can create the customer, subscription or payment twice. Set this for a call
    /// only when a duplicate is harmless or detected by the caller. Requests that never reached
    /// the server (the connection could not be made) are retried whatever this says.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new().retry_unsafe(true);
    /// ```
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry_unsafe = Some(retry);
        self
    }

    /// Retries an attempt that ran past its [`timeout`](Self::timeout) (default `false`), for
    /// requests that are safe to repeat (GET, PUT, DELETE, or any with
    /// [`retry_unsafe`](Self::retry_unsafe)): one slow page then does not abort a sync. Each
    /// retry waits the usual backoff and counts against [`max_attempts`](Self::max_attempts)
    /// and the [`deadline`](Self::deadline). A timed-out POST is never retried without
    /// `retry_unsafe`: Pabbly may have acted on it.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sync = pabbly::RequestOptions::new()
    ///     .timeout(Duration::from_secs(10))
    ///     .retry_timeouts(true)
    ///     .deadline(Duration::from_secs(60));
    /// ```
    pub fn retry_timeouts(mut self, retry: bool) -> Self {
        self.retry_timeouts = Some(retry);
        self
    }

    /// Sets how long a call waits for one of the client's connection slots
    /// ([`ClientBuilder::max_concurrent_requests`](crate::ClientBuilder::max_concurrent_requests))
    /// before it gives up (default 30 s; the [`deadline`](Self::deadline) also bounds it). A call
    /// that gives up fails with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) and
    /// [`Outcome::NotSent`](crate::Outcome::NotSent): nothing left the process, so it is safe
    /// to send again. It is not retried: the queue it waited in is still full.
    ///
    /// ```
    /// let options = pabbly::RequestOptions::new()
    ///     .queue_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn queue_timeout(mut self, wait: Duration) -> Self {
        self.queue_timeout = Some(wait);
        self
    }

    /// Sends this header with every request, e.g. a request id to correlate logs; a later layer
    /// setting the same name replaces it. The headers the client sets itself
    /// (`Authorization`, `Content-Type`, `Content-Length`, `Accept`, `Host`) cannot be
    /// replaced: a call with one of them fails with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) before anything is sent.
    /// `Debug` shows the names only.
    ///
    /// ```
    /// use pabbly::reqwest::header::{HeaderName, HeaderValue};
    ///
    /// let request_id = HeaderValue::from_str("req-7f3a")?;
    /// let options = pabbly::RequestOptions::new()
    ///     .header(HeaderName::from_static("x-request-id"), request_id);
    /// # let _ = options;
    /// # Ok::<(), pabbly::reqwest::header::InvalidHeaderValue>(())
    /// ```
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// `headers` with this layer's headers applied.
    pub(crate) fn apply_headers(&self, headers: &HeaderMap) -> HeaderMap {
        let mut merged = headers.clone();
        for (name, value) in &self.headers {
            merged.insert(name, value.clone());
        }
        merged
    }

    pub(crate) fn sets_headers(&self) -> bool {
        !self.headers.is_empty()
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("queue_timeout", &self.queue_timeout)
            .field("retry_unsafe", &self.retry_unsafe)
            .field("retry_timeouts", &self.retry_timeouts)
            .field("headers", &header_names)
            .finish()
    }
}

/// The settings one call runs with: defaults with every layer of [`RequestOptions`] applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Policy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) queue_timeout: Duration,
    pub(crate) retry_unsafe: bool,
    pub(crate) retry_timeouts: bool,
}

impl Policy {
    /// The built-in defaults, with `timeout` per attempt.
    pub(crate) fn new(timeout: Duration) -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_delay: DEFAULT_BASE_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            timeout,
            deadline: None,
            queue_timeout: DEFAULT_QUEUE_TIMEOUT,
            retry_unsafe: false,
            retry_timeouts: false,
        }
    }

    /// This policy with every setting `options` sets replaced.
    pub(crate) fn with(self, options: &RequestOptions) -> Self {
        Self {
            max_attempts: options.max_attempts.unwrap_or(self.max_attempts).max(1),
            base_delay: options.base_delay.unwrap_or(self.base_delay),
            max_delay: options.max_delay.unwrap_or(self.max_delay),
            timeout: options.timeout.unwrap_or(self.timeout),
            deadline: options.deadline.or(self.deadline),
            queue_timeout: options.queue_timeout.unwrap_or(self.queue_timeout),
            retry_unsafe: options.retry_unsafe.unwrap_or(self.retry_unsafe),
            retry_timeouts: options.retry_timeouts.unwrap_or(self.retry_timeouts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_options_keep_every_setting() {
        let base = Policy::new(Duration::from_secs(30));
        assert_eq!(base.with(&RequestOptions::new()), base);
        assert_eq!(
            base,
            Policy {
                max_attempts: 3,
                base_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(5),
                timeout: Duration::from_secs(30),
                deadline: None,
                queue_timeout: Duration::from_secs(30),
                retry_unsafe: false,
                retry_timeouts: false,
            }
        );
    }

    #[test]
    fn layers_apply_in_order() {
        let client = Policy::new(Duration::from_secs(30)).with(
            &RequestOptions::new()
                .max_attempts(5)
                .deadline(Duration::from_secs(60)),
        );
        let call = client.with(
            &RequestOptions::new()
                .retry_unsafe(true)
                .retry_timeouts(true)
                .queue_timeout(Duration::from_secs(3))
                .timeout(Duration::from_secs(2))
                .base_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(100)),
        );
        assert_eq!(
            call,
            Policy {
                max_attempts: 5,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(100),
                timeout: Duration::from_secs(2),
                deadline: Some(Duration::from_secs(60)),
                queue_timeout: Duration::from_secs(3),
                retry_unsafe: true,
                retry_timeouts: true,
            }
        );
        let tighter = call.with(&RequestOptions::new().deadline(Duration::from_secs(1)));
        assert_eq!(tighter.deadline, Some(Duration::from_secs(1)));
    }

    #[test]
    fn headers_layer_by_name_and_debug_hides_values() {
        let name = HeaderName::from_static("x-request-id");
        let client = RequestOptions::new()
            .header(name.clone(), HeaderValue::from_static("client"))
            .header(
                HeaderName::from_static("x-team"),
                HeaderValue::from_static("billing"),
            );
        let call = RequestOptions::new().header(name.clone(), HeaderValue::from_static("call-1"));
        let merged = call.apply_headers(&client.apply_headers(&HeaderMap::new()));
        assert_eq!(merged.get_all(&name).iter().count(), 1);
        assert_eq!(merged.get(&name), Some(&HeaderValue::from_static("call-1")));
        assert_eq!(
            merged.get("x-team"),
            Some(&HeaderValue::from_static("billing"))
        );
        let debug = format!("{call:?}");
        assert!(debug.contains("x-request-id"), "{debug}");
        assert!(!debug.contains("call-1"), "{debug}");
    }

    #[test]
    fn at_least_one_attempt() {
        let policy =
            Policy::new(Duration::from_secs(1)).with(&RequestOptions::new().max_attempts(0));
        assert_eq!(policy.max_attempts, 1);
    }
}
