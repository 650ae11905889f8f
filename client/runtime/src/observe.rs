//! A per-client hook told about every attempt and its result: for counting calls against
//! Pabbly's daily limit, or for metrics, without a process-wide tracing subscriber.

use std::time::Duration;

use crate::failure::{ErrorKind, Outcome};

/// Told about every attempt a client makes; set with
/// [`ClientBuilder::observer`](crate::ClientBuilder::observer).
///
/// Both methods run on the calling task, in the request path: keep them quick and never block
/// (increment a counter, send on a channel). They see no credentials, path values, query
/// values or bodies. Every [`attempt_started`](Self::attempt_started) is followed by one
/// [`attempt_finished`](Self::attempt_finished) for the same attempt, unless the caller drops
/// the call's future in between.
///
/// # Example: counting Pabbly's 10,000 calls a day
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use pabbly::{AttemptFinished, Observer, Outcome};
///
/// /// Calls that reached (or may have reached) Pabbly today; reset it at midnight UTC.
/// #[derive(Default)]
/// struct DailyBudget(AtomicU64);
///
/// impl Observer for DailyBudget {
///     fn attempt_finished(&self, attempt: &AttemptFinished) {
///         if attempt.outcome != Outcome::NotSent {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// let budget = Arc::new(DailyBudget::default());
/// let client = pabbly::Client::builder("API_KEY", "SECRET_KEY")
///     .observer(Arc::clone(&budget))
///     .build()?;
/// # let _ = client;
/// assert_eq!(budget.0.load(Ordering::Relaxed), 0);
/// # Ok::<(), pabbly::Error>(())
/// ```
pub trait Observer: Send + Sync + 'static {
    /// An attempt holds a connection slot and is about to be sent.
    fn attempt_started(&self, attempt: &AttemptStarted) {
        let _ = attempt;
    }

    /// An attempt ended: answered (successfully or not), or failed without an answer.
    fn attempt_finished(&self, attempt: &AttemptFinished) {
        let _ = attempt;
    }
}

impl<O: Observer + ?Sized> Observer for std::sync::Arc<O> {
    fn attempt_started(&self, attempt: &AttemptStarted) {
        (**self).attempt_started(attempt);
    }

    fn attempt_finished(&self, attempt: &AttemptFinished) {
        (**self).attempt_finished(attempt);
    }
}

/// An attempt about to be sent; see [`Observer::attempt_started`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptStarted {
    /// The operation id, e.g. `"customers.get"`.
    pub operation: &'static str,
    /// The HTTP method, e.g. `"GET"`.
    pub method: &'static str,
    /// 1 for the first attempt of the call, 2 for its first retry, and so on.
    pub attempt: u32,
}

/// An attempt that ended; see [`Observer::attempt_finished`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptFinished {
    /// The operation id, e.g. `"customers.get"`.
    pub operation: &'static str,
    /// The HTTP method, e.g. `"GET"`.
    pub method: &'static str,
    /// 1 for the first attempt of the call, 2 for its first retry, and so on.
    pub attempt: u32,
    /// The HTTP status of the answer, when one came.
    pub status: Option<u16>,
    /// From sending the request until the answer was read and decoded, or the attempt failed.
    pub latency: Duration,
    /// Whether the request reached Pabbly: [`Outcome::NotSent`] when the connection could not
    /// be made, so Pabbly did not count it.
    pub outcome: Outcome,
    /// How the attempt failed, or `None` when it succeeded.
    pub error: Option<ErrorKind>,
}
