//! Canned answers a test sets per route, checked against the spec's response type before they
//! are served.

use std::str::FromStr;

use pabbly_spec::ir::{Api, Envelope, Operation};
use serde_json::Value;

use crate::MockError;

/// A canned successful answer for one route, instead of the documented example.
///
/// [`Stub::data`] gives the payload and the mock wraps it in the operation's envelope
/// (`{"status":"success","message":…,"data":<payload>}`, or under `message` for the operations
/// that answer so, or bare); [`Stub::body`] gives the whole body. Either way the answer is
/// checked against the spec's response type when the stub is added (field names and types,
/// required fields; operations typed `any` accept anything), so a test cannot feed the client
/// an answer Pabbly would never send by mistake: use a [`Fault`](crate::Fault) for that.
///
/// Attach one with [`Options::stub`](crate::Options::stub) or
/// [`MockServer::stub`](crate::MockServer::stub). Stubs on one route apply in order, each for
/// its [`times`](Stub::times) (every request without it); after the last, the route answers
/// with its example again. A fault queued on the route applies first: one that brings its own
/// status or body answers the request without using up a stub, the others (a delay, a broken
/// body) apply to the stub's answer.
///
/// ```
/// use pabbly_mock::Stub;
/// use serde_json::json;
///
/// // Two pages of one customer each, then the documented answer.
/// let first = Stub::data(&json!([{"id": "cus_1"}])).times(1);
/// let second = Stub::data(&json!([{"id": "cus_2"}])).times(1);
/// # let _ = (first, second);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Stub {
    answer: Result<Answer, String>,
    pub(crate) times: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
enum Answer {
    /// The payload, to wrap in the operation's envelope.
    Data(Value),
    /// The whole body.
    Body(Value),
}

impl Stub {
    /// Answers with `data` as the payload, in the operation's envelope. `data` is any
    /// `Serialize` value: `serde_json::json!(…)` or a model of the `pabbly` crate.
    ///
    /// ```
    /// let stub = pabbly_mock::Stub::data(&serde_json::json!({"id": "cus_1", "first_name": "Ada"}));
    /// # let _ = stub;
    /// ```
    pub fn data(data: &(impl serde::Serialize + ?Sized)) -> Self {
        Self::new(serde_json::to_value(data).map(Answer::Data))
    }

    /// Answers with exactly this body, e.g. an envelope with its own `message`.
    ///
    /// ```
    /// let stub = pabbly_mock::Stub::body(&serde_json::json!({
    ///     "status": "success",
    ///     "message": "Customer found",
    ///     "data": {"id": "cus_1"},
    /// }));
    /// # let _ = stub;
    /// ```
    pub fn body(body: &(impl serde::Serialize + ?Sized)) -> Self {
        Self::new(serde_json::to_value(body).map(Answer::Body))
    }

    fn new(answer: Result<Answer, serde_json::Error>) -> Self {
        Self {
            answer: answer.map_err(|e| format!("the stub does not serialize to JSON: {e}")),
            times: None,
        }
    }

    /// Applies to the next `n` requests of the route only; later ones get the next stub queued
    /// on the route, or the example. Without it the stub applies to every request.
    ///
    /// ```
    /// let once = pabbly_mock::Stub::data(&serde_json::json!([])).times(1);
    /// # let _ = once;
    /// ```
    #[must_use]
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// The body to serve for `op`, checked against its response type.
    pub(crate) fn resolve(&self, api: &Api, op: &Operation) -> Result<Value, MockError> {
        let answer = self.answer.clone().map_err(MockError::Stub)?;
        let body = match answer {
            Answer::Body(body) => body,
            Answer::Data(data) => {
                let mut body = pabbly_spec::sample::response(api, op);
                match (op.response.envelope, body.as_object_mut()) {
                    (Envelope::Bare, _) | (_, None) => body = data,
                    (Envelope::Data, Some(envelope)) => {
                        envelope.insert("data".to_owned(), data);
                    }
                    (Envelope::Message | Envelope::MessageList, Some(envelope)) => {
                        envelope.insert("message".to_owned(), data);
                    }
                }
                body
            }
        };
        let problems = pabbly_spec::check_response(api, op, &body);
        if problems.is_empty() {
            Ok(body)
        } else {
            Err(MockError::Stub(format!(
                "the stub for {} does not match its response type: {}",
                op.id,
                problems.join("; ")
            )))
        }
    }
}

/// The command line's grammar: `times:N,` (optional) then `data:JSON` or `body:JSON`, where
/// JSON may be `@PATH` to read it from a file.
///
/// ```
/// use pabbly_mock::Stub;
///
/// let stub: Stub = r#"times:1,data:{"id":"cus_1"}"#.parse()?;
/// assert_eq!(stub, Stub::data(&serde_json::json!({"id": "cus_1"})).times(1));
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
impl FromStr for Stub {
    type Err = MockError;

    fn from_str(text: &str) -> Result<Self, MockError> {
        let invalid = |why: String| MockError::Stub(format!("invalid stub `{text}`: {why}"));
        let mut rest = text.trim();
        let mut times = None;
        if let Some(after) = rest.strip_prefix("times:") {
            let (count, after) = after.split_once(',').ok_or_else(|| {
                invalid("`times:N` must be followed by data: or body:".to_owned())
            })?;
            times =
                Some(count.trim().parse().map_err(|_| {
                    invalid(format!("`{count}` is not a whole number of requests"))
                })?);
            rest = after.trim_start();
        }
        let (kind, json) = rest.split_once(':').ok_or_else(|| {
            invalid("expected data:JSON or body:JSON (JSON may be @PATH)".to_owned())
        })?;
        let json = match json.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| invalid(format!("cannot read `{path}`: {e}")))?,
            None => json.to_owned(),
        };
        let value: Value = serde_json::from_str(&json)
            .map_err(|e| invalid(format!("the JSON does not parse: {e}")))?;
        let stub = match kind.trim() {
            "data" => Stub::data(&value),
            "body" => Stub::body(&value),
            other => {
                return Err(invalid(format!(
                    "unknown item `{other}`; expected data:JSON or body:JSON"
                )));
            }
        };
        Ok(match times {
            Some(n) => stub.times(n),
            None => stub,
        })
    }
}
