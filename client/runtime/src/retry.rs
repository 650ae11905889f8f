//! Whether a failed attempt is tried again, and how long to wait first: exponential backoff with
//! full jitter, and `Retry-After`.

use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use tokio::time::Instant;

use crate::failure::{ErrorKind, Outcome};
use crate::options::Policy;

/// What the retry decision reads of a failed attempt: facts, not the error itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FailedAttempt {
    pub(crate) kind: ErrorKind,
    pub(crate) outcome: Outcome,
    /// The HTTP status of the answer, when there was one.
    pub(crate) status: Option<u16>,
    /// How long the answer's `Retry-After` asked to wait.
    pub(crate) retry_after: Option<Duration>,
}

/// Why an attempt is retried; `None` when it must not be.
///
/// `may_repeat` says whether the request is safe to send twice (an idempotent method, or the
/// caller opted in); `retry_timeouts` whether a timed-out attempt of such a request is retried.
/// A request that never reached the server is retried regardless.
pub(crate) fn reason(
    failed: &FailedAttempt,
    may_repeat: bool,
    retry_timeouts: bool,
) -> Option<&'static str> {
    if failed.outcome == Outcome::NotSent {
        return Some("connect failed");
    }
    if !may_repeat {
        return None;
    }
    match (failed.kind, failed.status) {
        (_, Some(429)) => Some("rate limited"),
        (_, Some(502)) => Some("bad gateway"),
        (_, Some(503)) => Some("service unavailable"),
        (_, Some(504)) => Some("gateway timeout"),
        // Reset or closed after the request went out, or a truncated body.
        (ErrorKind::Transport, None) => Some("connection lost"),
        // The server is there but slow: waiting again only stretches the caller's wait, unless
        // the caller asked for it (a page of a long sync).
        (ErrorKind::Timeout, None) if retry_timeouts => Some("timed out"),
        _ => None,
    }
}

/// How long to wait before retry number `retry` (1 for the second attempt), or `None` to stop
/// and give up: the server asked for a longer wait than `max_delay`, or the wait would
/// end past `deadline`.
pub(crate) fn wait(
    policy: &Policy,
    retry: u32,
    failed: &FailedAttempt,
    now: Instant,
    deadline: Option<Instant>,
    rng: &mut fastrand::Rng,
) -> Option<Duration> {
    let delay = match failed.retry_after {
        Some(asked) if asked > policy.max_delay => return None,
        Some(asked) => asked,
        None => jitter(backoff_ceiling(policy, retry), rng),
    };
    let fits =
        deadline.is_none_or(|deadline| now.checked_add(delay).is_some_and(|end| end < deadline));
    fits.then_some(delay)
}

/// The longest backoff before retry number `retry`: `base_delay × 2^(retry − 1)`, capped at
/// `max_delay`.
pub(crate) fn backoff_ceiling(policy: &Policy, retry: u32) -> Duration {
    let factor = 2u32.saturating_pow(retry.saturating_sub(1));
    policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
}

/// A uniformly random duration in `[0, ceiling]` ("full jitter"): spreads the retries of many
/// clients that failed at the same moment.
pub(crate) fn jitter(ceiling: Duration, rng: &mut fastrand::Rng) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.u64(0..=nanos))
}

/// The wait a `Retry-After` value asks for, measured from `now`: delay-seconds or an HTTP date
/// (all three formats of RFC 9110 §5.6.7). A date in the past means no wait. A number too large
/// to represent is the longest wait, so that it is refused rather than ignored. Anything else
/// is `None`.
pub(crate) fn parse_retry_after(value: &str, now: chrono::DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    const FORMATS: [&str; 3] = [
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "%a, %d %b %Y %H:%M:%S GMT",
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        "%A, %d-%b-%y %H:%M:%S GMT",
        // asctime: Sun Nov  6 08:49:37 1994
        "%a %b %e %H:%M:%S %Y",
    ];
    let date = FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())?
        .and_utc();
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn policy() -> Policy {
        Policy {
            max_attempts: 10,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            deadline: None,
            queue_timeout: Duration::from_secs(30),
            retry_unsafe: false,
            retry_timeouts: false,
        }
    }

    /// An answer with `status`, asking for a wait of `retry_after` seconds.
    fn answered(status: u16, retry_after: Option<u64>) -> FailedAttempt {
        let kind = match status {
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Status,
        };
        FailedAttempt {
            kind,
            outcome: Outcome::Answered,
            status: Some(status),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    /// No answer: a failure of `kind` with `outcome`.
    fn unanswered(kind: ErrorKind, outcome: Outcome) -> FailedAttempt {
        FailedAttempt {
            kind,
            outcome,
            status: None,
            retry_after: None,
        }
    }

    #[test]
    fn ceiling_doubles_up_to_the_cap() {
        let ceilings: Vec<u128> = (1..=8)
            .map(|retry| backoff_ceiling(&policy(), retry).as_millis())
            .collect();
        assert_eq!(ceilings, [200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
        // Absurd retry counts saturate instead of overflowing.
        assert_eq!(backoff_ceiling(&policy(), u32::MAX), Duration::from_secs(5));
        let huge = Policy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..policy()
        };
        assert_eq!(backoff_ceiling(&huge, 40), Duration::MAX);
    }

    #[test]
    fn jitter_stays_within_zero_and_the_ceiling_and_spreads() {
        let mut rng = fastrand::Rng::with_seed(7);
        let ceiling = Duration::from_millis(800);
        let samples: Vec<Duration> = (0..2000).map(|_| jitter(ceiling, &mut rng)).collect();
        assert!(samples.iter().all(|delay| *delay <= ceiling));
        let below_quarter = samples.iter().filter(|d| **d < ceiling / 4).count();
        let above_three_quarters = samples.iter().filter(|d| **d > ceiling * 3 / 4).count();
        // Uniform: about 500 in each outer quarter.
        assert!((350..650).contains(&below_quarter), "{below_quarter}");
        assert!(
            (350..650).contains(&above_three_quarters),
            "{above_three_quarters}"
        );
        assert_eq!(jitter(Duration::ZERO, &mut rng), Duration::ZERO);
        assert!(jitter(Duration::MAX, &mut rng) <= Duration::MAX);
    }

    #[test]
    fn retry_after_seconds() {
        let now = Utc::now();
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
    }

    #[test]
    fn retry_after_http_dates() {
        let now = Utc
            .with_ymd_and_hms(1994, 11, 6, 8, 49, 7)
            .single()
            .expect("valid date");
        for value in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(value, now),
                Some(Duration::from_secs(30)),
                "{value}"
            );
        }
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
    }

    #[test]
    fn retry_after_garbage() {
        let now = Utc::now();
        for value in [
            "",
            "  ",
            "-1",
            "1.5",
            "+3",
            "soon",
            "1e3",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "2024-05-01T10:00:00Z",
        ] {
            assert_eq!(parse_retry_after(value, now), None, "{value:?}");
        }
    }

    #[test]
    fn which_failures_are_retried() {
        let connect = unanswered(ErrorKind::Transport, Outcome::NotSent);
        let lost = unanswered(ErrorKind::Transport, Outcome::AnswerLost);
        let timeout = unanswered(ErrorKind::Timeout, Outcome::AnswerLost);
        let decode = FailedAttempt {
            kind: ErrorKind::Decode,
            ..answered(200, None)
        };
        for may_repeat in [true, false] {
            for retry_timeouts in [true, false] {
                let reason = |failed: &FailedAttempt| reason(failed, may_repeat, retry_timeouts);
                assert_eq!(reason(&connect), Some("connect failed"));
                assert_eq!(reason(&decode), None);
                assert_eq!(reason(&answered(500, None)), None);
                assert_eq!(reason(&answered(404, None)), None);
            }
        }
        assert_eq!(reason(&timeout, true, false), None);
        assert_eq!(
            reason(&timeout, false, true),
            None,
            "a POST's timeout is never retried"
        );
        assert_eq!(reason(&timeout, true, true), Some("timed out"));
        assert_eq!(reason(&lost, true, false), Some("connection lost"));
        assert_eq!(reason(&lost, false, false), None);
        for (status, expected) in [
            (429, "rate limited"),
            (502, "bad gateway"),
            (503, "service unavailable"),
            (504, "gateway timeout"),
        ] {
            assert_eq!(reason(&answered(status, None), true, false), Some(expected));
            assert_eq!(reason(&answered(status, None), false, false), None);
        }
    }

    #[test]
    fn wait_honours_retry_after_within_limits() {
        let mut rng = fastrand::Rng::with_seed(1);
        let now = Instant::now();
        let asked = answered(429, Some(2));
        assert_eq!(
            wait(&policy(), 1, &asked, now, None, &mut rng),
            Some(Duration::from_secs(2))
        );
        // Longer than max_delay: return the error rather than hold the caller.
        let too_long = answered(429, Some(6));
        assert_eq!(wait(&policy(), 1, &too_long, now, None, &mut rng), None);
        // Would end past the deadline.
        let deadline = now + Duration::from_secs(1);
        assert_eq!(
            wait(&policy(), 1, &asked, now, Some(deadline), &mut rng),
            None
        );
        // No wait asked for (or one that could not be read): backoff.
        let garbage = answered(503, None);
        let delay = wait(&policy(), 3, &garbage, now, None, &mut rng).expect("retries");
        assert!(delay <= Duration::from_millis(800), "{delay:?}");
    }

    #[test]
    fn wait_without_retry_after_uses_backoff_and_deadline() {
        let mut rng = fastrand::Rng::with_seed(2);
        let now = Instant::now();
        let error = answered(503, None);
        for retry in 1..=6 {
            let delay = wait(&policy(), retry, &error, now, None, &mut rng).expect("retries");
            assert!(delay <= backoff_ceiling(&policy(), retry), "{delay:?}");
        }
        let slow = Policy {
            base_delay: Duration::from_secs(5),
            ..policy()
        };
        // A backoff of up to 5 s against 1 ms left: almost surely past it; never beyond it.
        let deadline = Some(now + Duration::from_millis(1));
        for _ in 0..100 {
            if let Some(delay) = wait(&slow, 1, &error, now, deadline, &mut rng) {
                assert!(delay < Duration::from_millis(1));
            }
        }
    }
}
