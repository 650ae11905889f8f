//! The HTTP/1 server: accepting connections, one request at a time through routing, faults and
//! the normal answer, and shutting down. Written on hyper directly because two faults live below
//! a framework's reach: closing a connection without a response, and cutting a body short.

use std::future::poll_fn;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;

use crate::State;
use crate::fault::{Action, Fault};
use crate::journal::Received;
use crate::respond::{self, Reply};
use crate::route::Lookup;

/// The largest request body read; Pabbly's requests are small JSON objects. A request that
/// declares more in `Content-Length` gets its 413 before any of the body is read.
const MAX_REQUEST_BODY: usize = 1 << 20;

/// How long [`run`] lets in-flight requests finish once stopped, before cutting them off.
const GRACE: Duration = Duration::from_secs(2);

/// Accepts connections until `stop` fires (or its sender is dropped), then closes the listener,
/// lets in-flight requests finish for up to [`GRACE`] and closes every connection.
pub(crate) async fn run(listener: TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    let (closing, closing_seen) = watch::channel(());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, Arc::clone(&state), closing_seen.clone()));
                }
                // Out of file descriptors or a connection reset while queued: wait briefly
                // rather than spin, and keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            // Reaps finished connections so the set does not grow with every request.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    closing.send_replace(());
    let drained = tokio::time::timeout(GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
}

/// Serves one connection; when the server closes, idle keep-alive connections close at once and
/// a request in flight is answered first.
async fn connection(stream: TcpStream, state: Arc<State>, mut closing: watch::Receiver<()>) {
    let service = service_fn(move |request| handle(Arc::clone(&state), request));
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = closing.changed() => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// Returned by the service to make hyper close the connection without writing a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// One request: route, count, fault, normal answer, fault applied to it, log line.
async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Answer>, DropConnection> {
    let started = Instant::now();
    let (parts, incoming) = request.into_parts();
    let path = parts.uri.path();
    let log = |status: &str, fault: Option<&Fault>| {
        if state.log {
            let fault = fault.map_or(String::new(), |f| format!(" (fault: {f})"));
            eprintln!(
                "{} {path} {status} {:.1}ms{fault}",
                parts.method,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    // The whole request comes first: operations sharing a path are told apart by their
    // parameters, and a dropped connection is one that was sent completely.
    // However slowly it arrives, the whole body gets `body_timeout`: a client sending a byte a
    // second cannot hold the connection.
    let body = match tokio::time::timeout(state.body_timeout, read_body(incoming)).await {
        Ok(Ok(body)) => body,
        Ok(Err(())) => {
            log("aborted by client", None);
            return Err(DropConnection);
        }
        Err(_) => {
            let response = plain(Reply::error(
                StatusCode::REQUEST_TIMEOUT,
                "Request body not received in time",
            ));
            log(response.status().as_str(), None);
            return Ok(response);
        }
    };
    let lookup = respond::choose(
        state.api,
        state.routes.find(parts.method.as_str(), path),
        parts.uri.query(),
        body.as_deref(),
    );
    let fault = match &lookup {
        Lookup::Operations(candidates) => candidates.first().and_then(|candidate| {
            state.record(
                candidate.index,
                Received::new(
                    parts.method.as_str(),
                    path,
                    respond::form_pairs(parts.uri.query().unwrap_or("")),
                    &parts.headers,
                    body.as_deref().unwrap_or_default(),
                ),
            );
            if let Some(hits) = state.hits.get(candidate.index) {
                hits.fetch_add(1, Ordering::SeqCst);
            }
            state.take_fault(candidate.index)
        }),
        _ => None,
    };
    if let Some(delay) = fault.as_ref().and_then(|f| f.delay) {
        tokio::time::sleep(delay).await;
    }
    if fault.as_ref().is_some_and(|f| f.action == Action::Drop) {
        log("dropped", fault.as_ref());
        return Err(DropConnection);
    }
    // A fault that brings its own answer leaves the route's stubs for later requests.
    let use_stub = !fault.as_ref().is_some_and(Fault::replaces_answer);
    let reply = respond::answer(
        &state,
        &lookup,
        parts.uri.query(),
        &parts.headers,
        body.as_deref(),
        use_stub,
    );
    let response = match &fault {
        Some(fault) => faulty(reply, fault),
        None => plain(reply),
    };
    log(response.status().as_str(), fault.as_ref());
    Ok(response)
}

/// The request body, or `None` when it is larger than [`MAX_REQUEST_BODY`]; `Err` when the
/// client went away mid-body. A body declared larger is not read at all (hyper then closes
/// the connection after the answer).
async fn read_body(incoming: Incoming) -> Result<Option<Vec<u8>>, ()> {
    if incoming.size_hint().lower() > MAX_REQUEST_BODY as u64 {
        return Ok(None);
    }
    let mut incoming = pin!(incoming);
    let mut body = Vec::new();
    let mut too_large = false;
    while let Some(frame) = poll_fn(|cx| incoming.as_mut().poll_frame(cx)).await {
        let frame = frame.map_err(|_| ())?;
        if let Ok(data) = frame.into_data() {
            // Keep reading a too-large body, so the client gets the 413 instead of a reset.
            too_large |= body.len() + data.len() > MAX_REQUEST_BODY;
            if !too_large {
                body.extend_from_slice(&data);
            }
        }
    }
    Ok((!too_large).then_some(body))
}

fn plain(reply: Reply) -> Response<Answer> {
    let content_type = HeaderValue::from_static("application/json");
    build(
        reply.status,
        reply.headers,
        content_type,
        Answer::whole(reply.body),
    )
}

/// The normal reply with `fault` applied to it (a dropped connection is handled before).
fn faulty(reply: Reply, fault: &Fault) -> Response<Answer> {
    let mut headers = reply.headers;
    if let Some(seconds) = fault.retry_after {
        headers.push((header::RETRY_AFTER, HeaderValue::from(seconds)));
    }
    let (status, body) = match fault.action {
        Action::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = fault.body.clone().unwrap_or_else(|| {
                Reply::error(status, status.canonical_reason().unwrap_or("Error")).body
            });
            // The normal answer's headers (such as `Allow`) belong to its status, not this one.
            headers.retain(|(name, _)| name == header::RETRY_AFTER);
            (status, body)
        }
        _ => (reply.status, fault.body.clone().unwrap_or(reply.body)),
    };
    let json = HeaderValue::from_static("application/json");
    let content_type = match fault.action {
        // A broken body still claims to be JSON: that is the fault.
        Action::Malformed | Action::Truncated => json,
        _ if serde_json::from_str::<serde_json::Value>(&body).is_ok() => json,
        _ => HeaderValue::from_static("text/plain; charset=utf-8"),
    };
    let body = match fault.action {
        Action::Malformed => Answer::whole(first_half(&body).to_owned()),
        Action::Truncated => Answer::truncated(body),
        _ => Answer::whole(body),
    };
    build(status, headers, content_type, body)
}

fn build(
    status: StatusCode,
    headers: Vec<(header::HeaderName, HeaderValue)>,
    content_type: HeaderValue,
    body: Answer,
) -> Response<Answer> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let map = response.headers_mut();
    map.insert(header::CONTENT_TYPE, content_type);
    for (name, value) in headers {
        map.append(name, value);
    }
    response
}

/// The first half of `text`, cut at a character boundary.
fn first_half(text: &str) -> &str {
    let mut end = text.len() / 2;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A response body: whole, or cut short after half of its bytes.
pub(crate) struct Answer {
    /// The bytes still to send.
    data: Option<Bytes>,
    /// The length announced in `Content-Length`.
    length: u64,
    /// Whether the connection is closed once `data` is sent, short of `length`.
    cut: Cut,
}

/// Where a truncated body is on its way to closing the connection.
enum Cut {
    /// A whole body: nothing to cut.
    No,
    /// Half the body is still to be sent.
    Pending,
    /// Half was handed to hyper; one more poll lets it reach the socket before the error.
    Flushing,
    /// Closing: the next poll fails, which makes hyper abort the connection.
    Now,
}

impl Answer {
    fn whole(body: String) -> Self {
        let data = Bytes::from(body);
        Self {
            length: data.len() as u64,
            data: Some(data),
            cut: Cut::No,
        }
    }

    fn truncated(body: String) -> Self {
        let length = body.len() as u64;
        let mut data = Bytes::from(body);
        data.truncate(data.len() / 2);
        Self {
            data: Some(data),
            length,
            cut: Cut::Pending,
        }
    }
}

/// Why a truncated body stops: hyper closes the connection on any body error.
#[derive(Debug)]
pub(crate) struct Truncated;

impl std::fmt::Display for Truncated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("body truncated by an injected fault")
    }
}

impl std::error::Error for Truncated {}

impl Body for Answer {
    type Data = Bytes;
    type Error = Truncated;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Truncated>>> {
        let this = &mut *self;
        match this.cut {
            Cut::No => Poll::Ready(this.data.take().map(|data| Ok(Frame::data(data)))),
            Cut::Pending => {
                this.cut = Cut::Flushing;
                match this.data.take() {
                    Some(data) if !data.is_empty() => Poll::Ready(Some(Ok(Frame::data(data)))),
                    _ => self.poll_frame(cx),
                }
            }
            Cut::Flushing => {
                // hyper flushes its buffer when the body is not ready; fail on the next poll.
                this.cut = Cut::Now;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Cut::Now => Poll::Ready(Some(Err(Truncated))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.cut, Cut::No) && self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.length)
    }
}
