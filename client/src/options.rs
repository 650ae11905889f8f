//! Retry and timeout settings, per client and per call: the public overrides and the resolved
//! policy the runtime follows.

use std::time::Duration;

/// Attempts per call, counting the first: two retries ride out a brief outage or a deploy
/// without multiplying load on an API that allows only 10,000 calls a day.
pub(crate) const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// First backoff ceiling; doubled per retry.
pub(crate) const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
/// Longest wait between two attempts, and the longest `Retry-After` honoured: a caller should
/// not be held for minutes by one call without asking for it.
pub(crate) const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);

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
/// | [`retry_unsafe`](Self::retry_unsafe) | `false` |
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
/// Other failures (500, 4xx, Pabbly's error envelopes, undecodable bodies, a timed-out attempt)
/// are returned at once: repeating them would give the same answer, or may already have taken
/// effect.
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use = "options do nothing until passed to a client"]
pub struct RequestOptions {
    max_attempts: Option<u32>,
    base_delay: Option<Duration>,
    max_delay: Option<Duration>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry_unsafe: Option<bool>,
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
}

/// The settings one call runs with: defaults with every layer of [`RequestOptions`] applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Policy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry_unsafe: bool,
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
            retry_unsafe: false,
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
            retry_unsafe: options.retry_unsafe.unwrap_or(self.retry_unsafe),
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
                retry_unsafe: false,
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
                retry_unsafe: true,
            }
        );
        let tighter = call.with(&RequestOptions::new().deadline(Duration::from_secs(1)));
        assert_eq!(tighter.deadline, Some(Duration::from_secs(1)));
    }

    #[test]
    fn at_least_one_attempt() {
        let policy =
            Policy::new(Duration::from_secs(1)).with(&RequestOptions::new().max_attempts(0));
        assert_eq!(policy.max_attempts, 1);
    }
}
