//! The shared HTTP runtime behind every generated client, and the request pipeline: build the
//! request once, then send, classify, back off and retry as the call's policy allows.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue, USER_AGENT,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tracing::Instrument as _;
use tracing::field::Empty;
use url::Url;

use crate::budget;
use crate::envelope;
use crate::error::Error;
use crate::failure::Outcome;
use crate::observe::{AttemptFinished, AttemptStarted, Observer};
use crate::operation::{Operation, Payload, Segment};
use crate::options::{Policy, RequestOptions};
use crate::path;
use crate::query;
use crate::raw::RawResponse;
use crate::response::Response;
use crate::retry;
use crate::secret::{Redaction, Secret};
use crate::validate;

/// Connection state and configuration shared by a client and everything borrowed from it.
///
/// Cloning is cheap (one `Arc` and a few numbers), and `Debug` never shows the credentials.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Config>,
    policy: Policy,
    /// Sent with every request of this runtime, from [`RequestOptions::header`].
    headers: Arc<HeaderMap>,
}

pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) authorization: Secret<HeaderValue>,
    /// Scrubs the credentials from every error before it is returned.
    pub(crate) redaction: Redaction,
    pub(crate) max_response_bytes: usize,
    pub(crate) user_agent: Option<HeaderValue>,
    /// One permit per request in flight, shared by every clone of the client: bounds the
    /// connections opened to Pabbly however many calls the program makes at once.
    pub(crate) slots: Semaphore,
    pub(crate) max_concurrent_requests: usize,
    pub(crate) observer: Option<Arc<dyn Observer>>,
}

/// Headers the client sets itself, which [`RequestOptions::header`] cannot replace.
const RESERVED_HEADERS: [reqwest::header::HeaderName; 5] =
    [AUTHORIZATION, CONTENT_TYPE, CONTENT_LENGTH, ACCEPT, HOST];

/// Decodes one answer into the value a call returns, keeping it, and returns its HTTP status.
/// A `dyn` so that the send-and-retry path is compiled once, not once per response type.
type Decoder<'a> = dyn FnMut(RawResponse) -> Result<u16, Error> + Send + 'a;

/// A request ready to be sent as many times as the policy allows.
struct Prepared {
    url: Url,
    /// Shared by every attempt without copying.
    body: Option<Bytes>,
}

impl Runtime {
    pub(crate) fn new(config: Config, policy: Policy, options: &RequestOptions) -> Self {
        Self {
            inner: Arc::new(config),
            policy: policy.with(options),
            headers: Arc::new(options.apply_headers(&HeaderMap::new())),
        }
    }

    /// A runtime sharing this one's connections and configuration, whose calls follow
    /// `options` where they set something and this runtime's settings elsewhere. Generated
    /// clients call it from `Client::with_options`.
    #[must_use]
    pub fn with_options(&self, options: RequestOptions) -> Runtime {
        let headers = if options.sets_headers() {
            Arc::new(options.apply_headers(&self.headers))
        } else {
            Arc::clone(&self.headers)
        };
        Self {
            inner: Arc::clone(&self.inner),
            policy: self.policy.with(&options),
            headers,
        }
    }

    /// Sends the request for `op`, retrying as the policy allows, and decodes the response
    /// according to `op.envelope`.
    ///
    /// `path` is the template's segments with each path parameter's value in its place; each
    /// value becomes exactly one percent-encoded path segment. The fields named in
    /// `op.url_fields` are checked before anything is sent. The future is `Send` when `B` is `Sync`.
    ///
    /// Runs inside a `pabbly.request` tracing span with the operation id, method and path
    /// template, recording the attempt count, last HTTP status, latency and error kind; each
    /// retry is an event with its reason and delay. Neither credentials, path values, query
    /// values nor bodies are recorded.
    pub async fn execute<T, B>(
        &self,
        op: &'static Operation,
        path: &[Segment<'_>],
        payload: Payload<'_, B>,
    ) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned + Send,
        B: Serialize + ?Sized,
    {
        self.execute_rendered(op, path::render(path), payload).await
    }

    /// [`Runtime::execute`] with the path already rendered, or the reason it cannot be: a
    /// stream of pages renders its path once.
    ///
    /// The only part generic over the payload and response types: it serializes the payload
    /// and decodes each answer, and leaves everything else (checks, sending, deadline,
    /// retries, tracing) to [`Runtime::call`], compiled once for every operation rather than
    /// once per response type.
    pub(crate) async fn execute_rendered<T, B>(
        &self,
        op: &'static Operation,
        path: Result<String, String>,
        payload: Payload<'_, B>,
    ) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned + Send,
        B: Serialize + ?Sized,
    {
        let payload = serialize(op, payload);
        let max_decoded_bytes = self.inner.max_decoded_bytes();
        let mut decoded = None;
        let attempts = self
            .call(op, path, payload, &mut |raw| {
                let response = envelope::decode::<T>(op, raw, max_decoded_bytes)?;
                let status = response.status();
                decoded = Some(response);
                Ok(status)
            })
            .await?;
        // `call` succeeds only once the decoder has succeeded, so `decoded` is set; should that
        // ever break, the caller gets an error rather than a panic.
        decoded
            .map(|response| response.with_attempts(attempts))
            .ok_or_else(|| Error::undecoded_answer(op).with_attempts(attempts))
    }

    /// Everything about a call but its types: checks the request, sends it as the policy
    /// allows, and hands each answer to `decode`, which keeps the decoded value and returns
    /// its HTTP status. Returns how many attempts were made.
    async fn call(
        &self,
        op: &'static Operation,
        path: Result<String, String>,
        payload: Result<Serialized, Error>,
        decode: &mut Decoder<'_>,
    ) -> Result<u32, Error> {
        let span = tracing::info_span!(
            "pabbly.request",
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt = Empty,
            status = Empty,
            latency_ms = Empty,
            error = Empty,
        );
        let started = Instant::now();
        let result = async {
            self.check_headers(op)?;
            let path = path.map_err(|detail| Error::invalid_request(op, detail))?;
            let prepared = prepare(op, &self.inner.base_url, &path, payload?)?;
            self.send_with_retries(op, &prepared, started, decode).await
        }
        .instrument(span.clone())
        .await
        .map_err(|error| error.redacted(&self.inner.redaction));
        span.record("latency_ms", millis(started.elapsed()));
        if let Err(error) = &result {
            span.record("error", tracing::field::debug(error.kind()));
        }
        result
    }

    /// Refuses per-call headers that would replace the client's own.
    fn check_headers(&self, op: &'static Operation) -> Result<(), Error> {
        match RESERVED_HEADERS
            .iter()
            .find(|name| self.headers.contains_key(*name))
        {
            Some(name) => Err(Error::invalid_request(
                op,
                format!("the `{name}` header is set by the client and cannot be replaced"),
            )),
            None => Ok(()),
        }
    }

    /// Returns how many attempts were made.
    async fn send_with_retries(
        &self,
        op: &'static Operation,
        prepared: &Prepared,
        started: Instant,
        decode: &mut Decoder<'_>,
    ) -> Result<u32, Error> {
        let policy = self.policy;
        // A deadline too far out to represent is no deadline.
        let deadline = policy
            .deadline
            .and_then(|deadline| started.checked_add(deadline));
        let may_repeat = op.repeat_safe || policy.retry_unsafe;
        let mut rng = fastrand::Rng::new();
        let mut attempt: u32 = 0;
        // Whether an attempt so far may have reached Pabbly.
        let mut sent = false;
        let result = loop {
            let slot = match self.slot(op, deadline).await {
                Ok(slot) => slot,
                // Not retried: the queue it waited in is still full.
                Err(error) => {
                    let error = error.with_attempts(attempt);
                    break Err(if sent {
                        error.after_sent_attempt()
                    } else {
                        error
                    });
                }
            };
            attempt += 1;
            let result = self
                .observed_attempt(op, prepared, deadline, attempt, decode)
                .await;
            drop(slot);
            let error = match result {
                Ok(status) => break Ok(status),
                Err(error) => error.with_attempts(attempt),
            };
            sent |= error.outcome() != Outcome::NotSent;
            let error = if sent {
                error.after_sent_attempt()
            } else {
                error
            };
            if attempt >= policy.max_attempts {
                break Err(error);
            }
            let failed = error.failed_attempt();
            let Some(reason) = retry::reason(&failed, may_repeat, policy.retry_timeouts) else {
                break Err(error);
            };
            let Some(delay) = retry::wait(
                &policy,
                attempt,
                &failed,
                Instant::now(),
                deadline,
                &mut rng,
            ) else {
                break Err(error);
            };
            tracing::info!(
                attempt,
                status = error.status(),
                reason,
                delay_ms = millis(delay),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        };
        // Recorded once at the end: some subscribers (fmt) append every recorded value.
        let span = tracing::Span::current();
        span.record("attempt", attempt);
        let status = match &result {
            Ok(status) => Some(*status),
            Err(error) => error.status(),
        };
        if let Some(status) = status {
            span.record("status", status);
        }
        result.map(|_| attempt)
    }

    /// Waits for one of the client's connection slots, within the queue timeout and the call's
    /// deadline; a call that gets none was not sent.
    async fn slot(
        &self,
        op: &'static Operation,
        deadline: Option<Instant>,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, Error> {
        let config = &*self.inner;
        let queue_timeout = self.policy.queue_timeout;
        let queue_end = Instant::now().checked_add(queue_timeout);
        let (end, detail) = match (deadline, queue_end) {
            (Some(deadline), Some(queue_end)) if deadline < queue_end => (
                Some(deadline),
                format!(
                    "ran past its deadline of {:?} waiting for a connection slot",
                    self.policy.deadline.unwrap_or_default()
                ),
            ),
            (deadline, queue_end) => (
                queue_end.or(deadline),
                format!("waited {queue_timeout:?} for a connection slot"),
            ),
        };
        let acquire = config.slots.acquire();
        let slot = match end {
            Some(end) => tokio::time::timeout_at(end, acquire).await.map_err(|_| {
                Error::queue_timed_out(
                    op,
                    format!(
                        "{detail} (all {} in use): not sent",
                        config.max_concurrent_requests
                    ),
                )
            })?,
            None => acquire.await,
        };
        // `acquire` fails only once the semaphore is closed, which this one never is.
        slot.map_err(|_| Error::queue_timed_out(op, "the client is shut down: not sent"))
    }

    /// One attempt, decoded, with the observer told before and after; the answer's HTTP status.
    async fn observed_attempt(
        &self,
        op: &'static Operation,
        prepared: &Prepared,
        deadline: Option<Instant>,
        attempt: u32,
        decode: &mut Decoder<'_>,
    ) -> Result<u16, Error> {
        let observer = self.inner.observer.as_deref();
        let method = op.method.as_str();
        if let Some(observer) = observer {
            observer.attempt_started(&AttemptStarted {
                operation: op.id,
                method,
                attempt,
            });
        }
        let sent_at = Instant::now();
        let result = self
            .attempt(op, prepared, deadline)
            .await
            .and_then(&mut *decode);
        if let Some(observer) = observer {
            let (status, outcome, error) = match &result {
                Ok(status) => (Some(*status), Outcome::Answered, None),
                Err(error) => (error.status(), error.outcome(), Some(error.kind())),
            };
            observer.attempt_finished(&AttemptFinished {
                operation: op.id,
                method,
                attempt,
                status,
                latency: sent_at.elapsed(),
                outcome,
                error,
            });
        }
        result
    }

    /// One attempt: send and read the answer in full, within the attempt timeout and the
    /// call's deadline.
    async fn attempt(
        &self,
        op: &'static Operation,
        prepared: &Prepared,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        let deadline_passed = || {
            let limit = self.policy.deadline.unwrap_or_default();
            Error::timed_out(op, format!("ran past its deadline of {limit:?}"))
        };
        let now = Instant::now();
        let timeout = self.policy.timeout;
        let exchange = self.exchange(op, prepared);
        match deadline {
            Some(at) if at.saturating_duration_since(now) < timeout => {
                tokio::time::timeout_at(at, exchange)
                    .await
                    .map_err(|_| deadline_passed())?
            }
            _ => tokio::time::timeout(timeout, exchange)
                .await
                .map_err(|_| Error::timed_out(op, format!("timed out after {timeout:?}")))?,
        }
    }

    fn request(&self, op: &'static Operation, prepared: &Prepared) -> reqwest::RequestBuilder {
        let config = &*self.inner;
        let mut request = config
            .http
            .request(op.method.to_reqwest(), prepared.url.clone())
            .header(AUTHORIZATION, config.authorization.expose().clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(user_agent) = &config.user_agent {
            request = request.header(USER_AGENT, user_agent.clone());
        }
        if let Some(bytes) = &prepared.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(bytes.clone());
        }
        // Last, so a per-call `User-Agent` replaces the client's; the reserved ones are
        // refused before this (`check_headers`).
        request.headers(HeaderMap::clone(&self.headers))
    }

    /// Sends the request and reads the whole body, refusing one over the size limit.
    async fn exchange(
        &self,
        op: &'static Operation,
        prepared: &Prepared,
    ) -> Result<RawResponse, Error> {
        let config = &*self.inner;
        let mut response = self
            .request(op, prepared)
            .send()
            .await
            .map_err(|err| Error::transport(op, err))?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let too_large = |headers| {
            let limit = config.max_response_bytes;
            Error::too_large(
                op,
                status,
                headers,
                format!("response is larger than the limit of {limit} bytes"),
            )
        };

        // Refuse early when the server announces the size; the loop below still enforces the
        // cap for chunked or lying responses.
        if response.content_length().is_some_and(|length| {
            length > u64::try_from(config.max_response_bytes).unwrap_or(u64::MAX)
        }) {
            return Err(too_large(headers));
        }
        // Sized once when the length is announced (within the cap), so the buffer does not
        // grow to twice the body by doubling.
        let announced = response
            .content_length()
            .map_or(0, |length| usize::try_from(length).unwrap_or(usize::MAX));
        let mut body = Vec::with_capacity(announced.min(config.max_response_bytes));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| Error::transport(op, err))?
        {
            if body.len().saturating_add(chunk.len()) > config.max_response_bytes {
                return Err(too_large(headers));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// The payload, serialized: the only step of sending that depends on its type.
enum Serialized {
    None,
    Json(Vec<u8>),
    Query(serde_json::Value),
}

/// Serializes the payload; a value that cannot be is an invalid request.
fn serialize<B: Serialize + ?Sized>(
    op: &'static Operation,
    payload: Payload<'_, B>,
) -> Result<Serialized, Error> {
    let failed = |what: &str, err: serde_json::Error| {
        Error::invalid_request(op, format!("could not serialize {what}: {err}")).with_source(err)
    };
    Ok(match payload {
        Payload::None => Serialized::None,
        Payload::Json(value) => Serialized::Json(
            serde_json::to_vec(value).map_err(|err| failed("the request body", err))?,
        ),
        Payload::Query(value) => Serialized::Query(
            serde_json::to_value(value).map_err(|err| failed("query parameters", err))?,
        ),
    })
}

/// Renders the URL and places the payload, checking what can be checked before sending.
fn prepare(
    op: &'static Operation,
    base_url: &Url,
    rendered_path: &str,
    payload: Serialized,
) -> Result<Prepared, Error> {
    let invalid = |detail: String| Error::invalid_request(op, detail);
    let mut url = path::url_for(base_url, op.root, rendered_path);
    let body = match payload {
        Serialized::None => None,
        Serialized::Json(bytes) => {
            // Checked on the bytes about to be sent, so the check sees exactly the wire names
            // and values.
            validate::url_fields_in_json(op.url_fields, &bytes).map_err(invalid)?;
            validate::bounds_in_json(op.bounds, &bytes).map_err(invalid)?;
            Some(Bytes::from(bytes))
        }
        Serialized::Query(fields) => {
            validate::url_fields(op.url_fields, &fields).map_err(invalid)?;
            validate::bounds(op.bounds, &fields).map_err(invalid)?;
            query::append(&mut url, fields).map_err(invalid)?;
            None
        }
    };
    Ok(Prepared { url, body })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Config {
    /// How much memory one answer may take once decoded.
    fn max_decoded_bytes(&self) -> usize {
        budget::limit_for(self.max_response_bytes)
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &*self.inner;
        f.debug_struct("Runtime")
            .field("base_url", &config.base_url.as_str())
            .field("authorization", &config.authorization)
            .field("policy", &self.policy)
            .field("max_response_bytes", &config.max_response_bytes)
            .field("max_concurrent_requests", &config.max_concurrent_requests)
            .field("user_agent", &config.user_agent)
            .field("observer", &config.observer.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::ErrorKind;
    use crate::operation::{Envelope, Method, Root};
    use crate::secret::{self, Secret};

    static CREATE: Operation = Operation {
        id: "portal_sessions.create",
        method: Method::Post,
        path: "/portal_sessions/",
        root: Root::BASE,
        envelope: Envelope::Data,
        list: false,
        url_fields: &["redirect_url"],
        bounds: &[],
        repeat_safe: false,
    };

    fn runtime() -> Runtime {
        let (key, secret) = (
            Secret::new("ak_live_visible_nowhere".to_owned()),
            Secret::new("sk_live_visible_nowhere".to_owned()),
        );
        let authorization = secret::basic_auth(&key, &secret).expect("valid header");
        Runtime::new(
            Config {
                http: reqwest::Client::builder()
                    .tls_backend_preconfigured(crate::tls_config().expect("TLS settings"))
                    .build()
                    .expect("an HTTP client"),
                base_url: Url::parse("https://payments.pabbly.com/api/v1").expect("valid URL"),
                authorization,
                redaction: Redaction::new(&key, &secret),
                max_response_bytes: 1024,
                user_agent: None,
                slots: Semaphore::new(4),
                max_concurrent_requests: 4,
                observer: None,
            },
            Policy::new(Duration::from_secs(30)),
            &RequestOptions::new(),
        )
    }

    #[test]
    fn debug_redacts_credentials() {
        let runtime = runtime();
        for text in [format!("{runtime:?}"), format!("{runtime:#?}")] {
            assert!(!text.contains("visible_nowhere"), "{text}");
            // Nor their base64 form.
            assert!(!text.contains("YWtfbGl2ZV"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
            assert!(
                text.contains("https://payments.pabbly.com/api/v1"),
                "{text}"
            );
        }
    }

    #[test]
    fn authorization_header_is_marked_sensitive() {
        let runtime = runtime();
        let prepared = prepare(
            &CREATE,
            &runtime.inner.base_url,
            "/portal_sessions/",
            Serialized::Json(br#"{"redirect_url": "https://example.com/"}"#.to_vec()),
        )
        .expect("valid request");
        let request = runtime
            .request(&CREATE, &prepared)
            .build()
            .expect("request builds");
        let authorization = request
            .headers()
            .get(AUTHORIZATION)
            .expect("authorization is set");
        assert!(authorization.is_sensitive());
        let debug = format!("{request:?}");
        assert!(!debug.contains("visible_nowhere"), "{debug}");
    }

    #[test]
    fn with_options_shares_the_connection_state() {
        let runtime = runtime();
        let patient = runtime.with_options(RequestOptions::new().max_attempts(7));
        assert!(Arc::ptr_eq(&runtime.inner, &patient.inner));
        assert_eq!(patient.policy.max_attempts, 7);
        assert_eq!(runtime.policy.max_attempts, 3);
        let both = patient.with_options(RequestOptions::new().retry_unsafe(true));
        assert_eq!(
            (both.policy.max_attempts, both.policy.retry_unsafe),
            (7, true)
        );
    }

    #[test]
    fn url_fields_are_checked_before_sending() {
        let base = Url::parse("https://payments.pabbly.com/api/v1").expect("valid URL");
        let err = prepare(
            &CREATE,
            &base,
            "/portal_sessions/",
            Serialized::Json(br#"{"customer_id": "c1", "redirect_url": "/back"}"#.to_vec()),
        )
        .err()
        .expect("relative URL is refused");
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert_eq!(err.attempts(), 0);
        assert_eq!(
            err.to_string(),
            "invalid request for portal_sessions.create: `redirect_url` must be an absolute http or https URL (relative URL without a base)"
        );
        let query = prepare(
            &CREATE,
            &base,
            "/portal_sessions/",
            Serialized::Query(serde_json::json!({"redirect_url": "ftp://x/"})),
        );
        assert!(query.is_err());
    }

    #[test]
    fn runtime_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Runtime>();
    }
}
