//! Loopback HTTP/1.1 servers scripted per connection, the operations the tests call, and checks
//! that nothing secret leaks.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test crate that includes this module uses a different part of it"
)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pabbly::__private::{Envelope, Method, Operation, Root, Runtime, Segment};
use pabbly::{ClientBuilder, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Stands in for the generated `Client`.
#[derive(Debug)]
pub struct TestClient(pub Runtime);

impl From<Runtime> for TestClient {
    fn from(runtime: Runtime) -> Self {
        Self(runtime)
    }
}

pub const API_KEY: &str = "ak_test_key_never_printed";
pub const SECRET_KEY: &str = "sk_test_secret_never_printed";
/// base64("ak_test_key_never_printed:sk_test_secret_never_printed"), as sent on the wire.
pub const BASIC: &str = "YWtfdGVzdF9rZXlfbmV2ZXJfcHJpbnRlZDpza190ZXN0X3NlY3JldF9uZXZlcl9wcmludGVk";

/// Bounds every wait so a broken test fails instead of hanging.
pub const GUARD: Duration = Duration::from_secs(10);

/// A list operation: safe to repeat.
pub static LIST: Operation = Operation {
    id: "customers.list",
    method: Method::Get,
    path: "/customers",
    root: Root::BASE,
    envelope: Envelope::Data,
    list: true,
    url_fields: &[],
    bounds: &[],
    repeat_safe: true,
};

/// A read with a path parameter.
pub static GET: Operation = Operation {
    id: "customers.get",
    method: Method::Get,
    path: "/customers/{customer_id}",
    root: Root::BASE,
    envelope: Envelope::Data,
    list: false,
    url_fields: &[],
    bounds: &[],
    repeat_safe: true,
};

/// A create: not safe to repeat.
pub static CREATE: Operation = Operation {
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

/// The path of [`LIST`], as a generated method passes it.
pub const LIST_PATH: &[Segment<'static>] = &[Segment::Literal("customers")];

/// The path of [`CREATE`]; the empty last segment is its trailing slash.
pub const CREATE_PATH: &[Segment<'static>] =
    &[Segment::Literal("portal_sessions"), Segment::Literal("")];

/// The path of [`GET`] for one customer.
pub fn get_path(customer_id: &str) -> [Segment<'_>; 2] {
    [
        Segment::Literal("customers"),
        Segment::Value("customer_id", customer_id),
    ]
}

/// Retries without noticeable sleeps, so a test of three attempts stays fast.
pub fn fast_retries() -> RequestOptions {
    RequestOptions::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(10))
}

pub fn client(base_url: &str) -> Runtime {
    builder(base_url)
        .build()
        .map(|TestClient(runtime)| runtime)
        .expect("client builds")
}

pub fn builder(base_url: &str) -> ClientBuilder<TestClient> {
    ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .base_url(base_url)
        .timeout(GUARD)
        .request_options(fast_retries())
}

/// Fails the test if `text` contains either credential or the header made from them.
pub fn assert_no_secrets(text: &str) {
    for secret in [API_KEY, SECRET_KEY, BASIC] {
        assert!(!text.contains(secret), "leaked {secret:?} in: {text}");
    }
}

/// Checks `Display`, `Debug` (both forms) and every `source` of `err`.
pub fn assert_error_has_no_secrets(err: &pabbly::Error) {
    assert_no_secrets(&err.to_string());
    assert_no_secrets(&format!("{err:?}"));
    assert_no_secrets(&format!("{err:#?}"));
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        assert_no_secrets(&cause.to_string());
        source = cause.source();
    }
}

/// What one connection of a [`Scripted`] server does.
#[derive(Clone, Debug)]
pub enum Step {
    /// Reads the request, writes these bytes and closes.
    Reply(Vec<u8>),
    /// Closes as soon as the connection is accepted, without reading anything.
    Close,
    /// Reads the request and never answers.
    Hang,
    /// Reads the request and answers with this status line, its head echoed back like a
    /// debugging proxy's error page: as the body (inside a JSON `message` when `json`) and its
    /// `Authorization` value in an `X-Echo-Authorization` header.
    Echo {
        status_line: &'static str,
        json: bool,
    },
}

/// A complete response that closes the connection, so that every attempt is a new connection
/// and the server's connection count is the client's attempt count.
pub fn reply(status_line: &str, headers: &[(&str, &str)], body: &str) -> Step {
    Step::Reply(response(status_line, headers, body))
}

/// The bytes of a [`reply`].
pub fn response(status_line: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status_line}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    format!("{head}\r\n{body}").into_bytes()
}

pub fn json(status_line: &str, body: &str) -> Step {
    reply(status_line, &[("Content-Type", "application/json")], body)
}

pub fn ok() -> Step {
    json(
        "200 OK",
        r#"{"status":"success","message":"ok","data":[{"id":"cus_1"}]}"#,
    )
}

/// A server that plays `steps` in order, one per connection, repeating the last one forever.
pub struct Scripted {
    pub base_url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Captured>>>,
}

impl Scripted {
    pub async fn start(steps: Vec<Step>) -> Self {
        assert!(!steps.is_empty(), "a script needs a step");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (Arc::clone(&connections), Arc::clone(&requests));
        // Dropped with the test's runtime.
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let index = count.fetch_add(1, Ordering::SeqCst);
                let step = steps[index.min(steps.len() - 1)].clone();
                tokio::spawn(play(stream, step, Arc::clone(&seen)));
            }
        });
        Self {
            base_url: base_url(addr),
            connections,
            requests,
        }
    }

    /// Connections accepted so far: one per attempt.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

async fn play(mut stream: TcpStream, step: Step, seen: Arc<Mutex<Vec<Captured>>>) {
    if matches!(step, Step::Close) {
        return;
    }
    let mut buffer = Vec::new();
    let Some(request) = read_request(&mut stream, &mut buffer).await else {
        return;
    };
    seen.lock().expect("not poisoned").push(request.clone());
    match step {
        Step::Reply(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Step::Hang => {
            tokio::time::sleep(GUARD * 2).await;
        }
        Step::Echo { status_line, json } => {
            let head = request.head();
            let body = if json {
                serde_json::json!({"status": "error", "message": head}).to_string()
            } else {
                format!("<html><pre>\n{head}\n</pre></html>")
            };
            let echoed = request.header("authorization").unwrap_or_default();
            let bytes = response(status_line, &[("X-Echo-Authorization", echoed)], &body);
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Step::Close => {}
    }
}

pub fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}/api/v1")
}

/// A port on which nothing listens: bound, then released.
pub async fn refused_base_url() -> String {
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback")
        .local_addr()
        .expect("local addr");
    base_url(addr)
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    /// The request line and headers as they were sent.
    pub fn head(&self) -> String {
        let mut head = self.request_line.clone();
        for (name, value) in &self.headers {
            head.push_str(&format!("\r\n{name}: {value}"));
        }
        head
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Reads one request from `stream`, keeping in `buffer` whatever follows it. `None` when the
/// connection ends first.
pub async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Captured> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        }
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, value)| {
            value.parse().expect("numeric content-length")
        });
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        }
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Captured {
        request_line,
        headers,
        body,
    })
}
