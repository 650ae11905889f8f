//! Sample webhook events from the spec, and a sender that POSTs one to a receiver under test as
//! Pabbly would: a JSON body, unsigned, one request per event.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use hyper::Request;
use hyper::body::Body;
use hyper::header::{self, HeaderValue};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

use crate::{MockError, api};

/// How long a delivery may take in all, connecting included.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// How much of the receiver's answer is kept.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Every event type the spec lists, in spec order.
///
/// ```
/// let types = pabbly_mock::event_types()?;
/// assert!(types.contains(&"subscription_activate"));
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
///
/// # Errors
/// [`MockError::Spec`] when the spec does not load.
pub fn event_types() -> Result<Vec<&'static str>, MockError> {
    let api = api()?;
    Ok(api
        .webhooks
        .iter()
        .flat_map(|w| &w.events)
        .map(|e| e.wire.as_str())
        .collect())
}

/// A whole body for an event of `event_type`: the docs' example, or its data sampled from the
/// type the spec gives it; where the event is confirmed by reading its object back, `data`
/// names the mock's sample object (`"id": "5e5f50647c5aeb3675f416aa"`), which the mock serves.
///
/// ```
/// let body = pabbly_mock::sample_event("subscription_renew")?;
/// assert_eq!(body["event_type"], "subscription_renew");
/// assert_eq!(body["event_source"], "scheduler");
/// assert!(body["data"]["id"].is_string());
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
///
/// # Errors
/// [`MockError::UnknownEvent`] when the spec does not list `event_type`.
pub fn sample_event(event_type: &str) -> Result<Value, MockError> {
    let api = api()?;
    let event = api
        .webhooks
        .iter()
        .flat_map(|w| &w.events)
        .find(|e| e.wire == event_type)
        .ok_or_else(|| MockError::UnknownEvent(event_type.to_owned()))?;
    Ok(pabbly_spec::sample::event(api, event))
}

/// What the receiver answered a delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text (its first 64 KiB).
    pub body: String,
}

/// POSTs a sample event of `event_type` ([`sample_event`]) to `url`, as Pabbly would.
///
/// `url` is an `http://` URL on this machine (the receiver under test), e.g.
/// `http://127.0.0.1:3000/pabbly/SECRET`.
///
/// ```no_run
/// # async fn example() -> Result<(), pabbly_mock::MockError> {
/// let delivery = pabbly_mock::send_event("http://127.0.0.1:3000/pabbly/s3cret", "invoice_create").await?;
/// assert_eq!(delivery.status, 200);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`MockError::UnknownEvent`] for a type the spec does not list, [`MockError::Delivery`] when
/// the URL is not a loopback `http://` URL or the receiver cannot be reached or does not answer
/// within 30 s.
pub async fn send_event(url: &str, event_type: &str) -> Result<Delivery, MockError> {
    send_json(url, &sample_event(event_type)?).await
}

/// POSTs `body` as a webhook event to `url` (see [`send_event`]): for events the samples do not
/// cover, such as one naming an object the mock does not have.
///
/// # Errors
/// As [`send_event`].
pub async fn send_json(url: &str, body: &Value) -> Result<Delivery, MockError> {
    let (authority, path) = loopback(url)?;
    let body = body.to_string();
    tokio::time::timeout(DELIVERY_TIMEOUT, deliver(authority, path, body))
        .await
        .map_err(|_| MockError::Delivery(format!("{url} did not answer within 30 s")))?
}

/// `http://127.0.0.1:PORT/path` → (`127.0.0.1:PORT`, `/path`); only loopback hosts.
fn loopback(url: &str) -> Result<(&str, &str), MockError> {
    let refuse = |why: &str| MockError::Delivery(format!("cannot deliver to `{url}`: {why}"));
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| refuse("the sender speaks plain http:// to a local receiver"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _port)| host);
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Err(refuse(
            "the host is not this machine (127.0.0.1, localhost or [::1])",
        ));
    }
    if path.chars().any(char::is_control) || path.contains(' ') {
        return Err(refuse("the path holds a space or a control character"));
    }
    Ok((authority, if path.is_empty() { "/" } else { path }))
}

async fn deliver(authority: &str, path: &str, body: String) -> Result<Delivery, MockError> {
    let failed = |what: &str, error: &dyn std::fmt::Display| {
        MockError::Delivery(format!(
            "delivery to http://{authority}{path}: {what}: {error}"
        ))
    };
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| failed("cannot connect", &e))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed("no HTTP connection", &e))?;
    let driver = tokio::spawn(connection);
    let host = HeaderValue::from_str(authority).map_err(|e| failed("bad host", &e))?;
    let request = Request::post(path)
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "pabbly-mock")
        .body(body)
        .map_err(|e| failed("bad request", &e))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| failed("no answer", &e))?;
    let status = response.status();
    let mut incoming = response.into_body();
    let mut answer = Vec::new();
    while answer.len() < MAX_ANSWER_BYTES {
        let Some(frame) = poll_fn(|cx| Pin::new(&mut incoming).poll_frame(cx)).await else {
            break;
        };
        let frame = frame.map_err(|e| failed("the answer broke off", &e))?;
        if let Ok(data) = frame.into_data() {
            answer.extend_from_slice(&data);
        }
    }
    answer.truncate(MAX_ANSWER_BYTES);
    driver.abort();
    Ok(Delivery {
        status: status.as_u16(),
        body: String::from_utf8_lossy(&answer).into_owned(),
    })
}
