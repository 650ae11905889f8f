//! Faults a test injects on a route: an error status, a delay, a broken body, a dropped
//! connection, a `Retry-After` header — for the first N requests or for all of them.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::MockError;

/// What a fault does instead of (or to) the normal answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// The normal answer (possibly delayed, with `Retry-After` or another body).
    Answer,
    /// This HTTP status.
    Status(u16),
    /// The answer cut in half, with a Content-Length that matches: a complete response whose
    /// body is not valid JSON.
    Malformed,
    /// The answer's full Content-Length, half of its bytes, then the connection closes.
    Truncated,
    /// The connection closes without any response.
    Drop,
}

/// A misbehaviour injected on one route, for tests of timeouts, retries and error handling.
///
/// Build one with a constructor ([`status`](Fault::status), [`delay`](Fault::delay),
/// [`malformed`](Fault::malformed), [`truncated`](Fault::truncated),
/// [`drop_connection`](Fault::drop_connection)), refine it with the modifiers, and attach it to a
/// route with [`Options::fault`](crate::Options::fault) or
/// [`MockServer::fault`](crate::MockServer::fault). It can also be parsed from the command
/// line's grammar (see [`FromStr`](#impl-FromStr-for-Fault)).
///
/// ```
/// use std::time::Duration;
/// use pabbly_mock::Fault;
///
/// // Two 503s with `Retry-After: 2`, each after 50 ms, then normal answers.
/// let fault = Fault::status(503)
///     .retry_after(2)
///     .delayed(Duration::from_millis(50))
///     .times(2);
/// assert_eq!(fault, "status:503,retry-after:2,delay:50ms,times:2".parse()?);
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub(crate) action: Action,
    pub(crate) body: Option<String>,
    pub(crate) delay: Option<Duration>,
    pub(crate) retry_after: Option<u64>,
    pub(crate) times: Option<usize>,
}

impl Fault {
    fn new(action: Action) -> Self {
        Self {
            action,
            body: None,
            delay: None,
            retry_after: None,
            times: None,
        }
    }

    /// Answers with this HTTP status (200–599) and a Pabbly-style error body,
    /// `{"status":"error","message":"Service Unavailable"}`, unless [`body`](Fault::body) gives
    /// another.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::status(429).retry_after(1);
    /// # let _ = fault;
    /// ```
    pub fn status(code: u16) -> Self {
        Self::new(Action::Status(code))
    }

    /// Answers normally, after waiting this long: for client timeouts.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::delay(std::time::Duration::from_secs(2));
    /// # let _ = fault;
    /// ```
    pub fn delay(delay: Duration) -> Self {
        Self::new(Action::Answer).delayed(delay)
    }

    /// Answers with the status of the normal answer and the first half of its body, so the
    /// response is complete but not valid JSON.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::malformed();
    /// # let _ = fault;
    /// ```
    pub fn malformed() -> Self {
        Self::new(Action::Malformed)
    }

    /// Declares the normal answer's full `Content-Length`, sends half of the body and closes the
    /// connection: the client fails while reading the body.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::truncated();
    /// # let _ = fault;
    /// ```
    pub fn truncated() -> Self {
        Self::new(Action::Truncated)
    }

    /// Reads the request and closes the connection without answering.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::drop_connection().times(1);
    /// # let _ = fault;
    /// ```
    pub fn drop_connection() -> Self {
        Self::new(Action::Drop)
    }

    /// Sends this text instead of the normal body (for [`malformed`](Fault::malformed) and
    /// [`truncated`](Fault::truncated), before it is cut); `Content-Type` is JSON when the text
    /// parses as JSON and plain text otherwise. A dropped connection sends nothing.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::status(500).body(r#"{"status":"error","message":"Boom"}"#);
    /// # let _ = fault;
    /// ```
    #[must_use]
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Waits this long before acting (answering, or dropping the connection).
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::status(504).delayed(std::time::Duration::from_millis(300));
    /// # let _ = fault;
    /// ```
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Adds a `Retry-After: <seconds>` header to the response.
    ///
    /// ```
    /// let fault = pabbly_mock::Fault::status(429).retry_after(30);
    /// # let _ = fault;
    /// ```
    #[must_use]
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Applies to the next `n` requests of the route only; later ones get the next fault queued
    /// on the route, or the normal answer. Without it the fault applies to every request.
    /// `times(0)` applies to none.
    ///
    /// ```
    /// // Fail twice, then succeed: what a retry test needs.
    /// let fault = pabbly_mock::Fault::status(503).times(2);
    /// # let _ = fault;
    /// ```
    #[must_use]
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Whether the fault answers with a status or body of its own instead of the route's.
    pub(crate) fn replaces_answer(&self) -> bool {
        matches!(self.action, Action::Status(_)) || self.body.is_some()
    }

    /// Checks what the type cannot: the status is one a server may answer with.
    pub(crate) fn validate(&self) -> Result<(), MockError> {
        match self.action {
            Action::Status(code) if !(200..=599).contains(&code) => Err(MockError::Fault(format!(
                "status {code} is not a final HTTP status (200–599)"
            ))),
            _ => Ok(()),
        }
    }
}

/// How the request log names a fault, e.g. `status 503, retry-after 2`.
impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match self.action {
            Action::Answer => {}
            Action::Status(code) => parts.push(format!("status {code}")),
            Action::Malformed => parts.push("malformed".to_owned()),
            Action::Truncated => parts.push("truncated".to_owned()),
            Action::Drop => parts.push("drop".to_owned()),
        }
        if let Some(delay) = self.delay {
            parts.push(format!("delay {}ms", delay.as_millis()));
        }
        if let Some(seconds) = self.retry_after {
            parts.push(format!("retry-after {seconds}"));
        }
        if self.body.is_some() {
            parts.push("custom body".to_owned());
        }
        f.write_str(&parts.join(", "))
    }
}

/// The command line's fault grammar: comma-separated items in any order — one action
/// (`status`, `malformed`, `truncated`, `drop`, or `delay` alone) and any modifiers, `body` last.
///
/// | item | meaning |
/// |---|---|
/// | `status:CODE` | answer with status CODE and a Pabbly-style error body |
/// | `delay:DURATION` | wait before acting; alone, answer normally after the wait (`250ms`, `2s`) |
/// | `malformed` | answer with half of the normal body: complete, but not JSON |
/// | `truncated` | declare the full length, send half of the body, close the connection |
/// | `drop` | close the connection without answering |
/// | `retry-after:SECONDS` | add a `Retry-After` header |
/// | `times:N` | apply to the next N requests only |
/// | `body:TEXT` | send TEXT instead; must come last, as it takes the rest (commas included) |
///
/// ```
/// use pabbly_mock::Fault;
///
/// let fault: Fault = r#"status:500,body:{"status":"error","message":"a, b"}"#.parse()?;
/// assert_eq!(fault, Fault::status(500).body(r#"{"status":"error","message":"a, b"}"#));
/// assert!("status:503,drop".parse::<Fault>().is_err());
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
impl FromStr for Fault {
    type Err = MockError;

    fn from_str(text: &str) -> Result<Self, MockError> {
        let invalid = |why: String| MockError::Fault(format!("invalid fault `{text}`: {why}"));
        let mut action = None;
        let mut fault = Fault::new(Action::Answer);
        let mut rest = text.trim();
        while !rest.is_empty() {
            let item = if rest.starts_with("body:") {
                std::mem::take(&mut rest)
            } else {
                let (item, after) = rest.split_once(',').unwrap_or((rest, ""));
                rest = after.trim_start();
                item.trim()
            };
            let (name, value) = match item.split_once(':') {
                Some((name, value)) => (name, Some(value)),
                None => (item, None),
            };
            let mut set_action = |new: Action| match action.replace(new) {
                None => Ok(()),
                Some(_) => Err(invalid(
                    "give one of status, malformed, truncated, drop".to_owned(),
                )),
            };
            match (name, value) {
                ("status", Some(code)) => set_action(Action::Status(
                    code.parse()
                        .map_err(|_| invalid(format!("`{code}` is not a status code")))?,
                ))?,
                ("malformed", None) => set_action(Action::Malformed)?,
                ("truncated", None) => set_action(Action::Truncated)?,
                ("drop", None) => set_action(Action::Drop)?,
                ("delay", Some(value)) => {
                    fault.delay = Some(parse_duration(value).ok_or_else(|| {
                        invalid(format!("`{value}` is not a duration such as 250ms or 2s"))
                    })?)
                }
                ("retry-after", Some(value)) => {
                    fault.retry_after = Some(value.parse().map_err(|_| {
                        invalid(format!("`{value}` is not a whole number of seconds"))
                    })?);
                }
                ("times", Some(value)) => {
                    fault.times = Some(value.parse().map_err(|_| {
                        invalid(format!("`{value}` is not a whole number of requests"))
                    })?);
                }
                ("body", Some(value)) => fault.body = Some(value.to_owned()),
                ("", None) => return Err(invalid("an empty item".to_owned())),
                _ => {
                    return Err(invalid(format!(
                        "unknown item `{item}`; expected status:CODE, delay:DURATION, malformed, \
                         truncated, drop, retry-after:SECONDS, times:N or body:TEXT"
                    )));
                }
            }
        }
        match action {
            Some(action) => fault.action = action,
            None if fault.delay.is_some() => {}
            None => {
                return Err(invalid(
                    "no action: give status:CODE, delay:DURATION, malformed, truncated or drop"
                        .to_owned(),
                ));
            }
        }
        fault.validate()?;
        Ok(fault)
    }
}

/// `250ms` or `2s`.
fn parse_duration(text: &str) -> Option<Duration> {
    if let Some(millis) = text.strip_suffix("ms") {
        millis.parse().ok().map(Duration::from_millis)
    } else {
        text.strip_suffix('s')?
            .parse()
            .ok()
            .map(Duration::from_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Fault, String> {
        text.parse::<Fault>().map_err(|e| e.to_string())
    }

    #[test]
    fn every_item_parses() {
        assert_eq!(
            parse("status:503,retry-after:2,times:2"),
            Ok(Fault::status(503).retry_after(2).times(2))
        );
        assert_eq!(
            parse("delay:250ms"),
            Ok(Fault::delay(Duration::from_millis(250)))
        );
        assert_eq!(
            parse(" truncated , delay:2s "),
            Ok(Fault::truncated().delayed(Duration::from_secs(2)))
        );
        assert_eq!(parse("malformed"), Ok(Fault::malformed()));
        assert_eq!(parse("drop,times:1"), Ok(Fault::drop_connection().times(1)));
        assert_eq!(
            parse("status:500,body:a,b: c"),
            Ok(Fault::status(500).body("a,b: c"))
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let cases = [
            ("", "no action"),
            ("times:2", "no action"),
            ("status:503,drop", "give one of"),
            ("status:abc", "`abc` is not a status code"),
            ("status:42", "not a final HTTP status"),
            ("delay:5", "not a duration"),
            ("retry-after:soon", "whole number of seconds"),
            ("explode", "unknown item `explode`"),
            ("status:503,,times:1", "an empty item"),
        ];
        for (text, expected) in cases {
            match parse(text) {
                Ok(fault) => panic!("`{text}` parsed as {fault:?}"),
                Err(message) => assert!(message.contains(expected), "`{text}`: {message}"),
            }
        }
    }

    #[test]
    fn display_names_the_parts() {
        let fault = Fault::status(503)
            .retry_after(2)
            .delayed(Duration::from_millis(5));
        assert_eq!(fault.to_string(), "status 503, delay 5ms, retry-after 2");
    }
}
