//! A one-shot loopback HTTP server that records the request it gets and answers canned bytes,
//! and the real spec, loaded once per test binary where a test needs its facts.
//!
//! Deliberately raw (tokio sockets, no HTTP library) so a test controls every byte of the answer,
//! including broken ones: truncated bodies, wrong lengths, HTML error pages.
#![allow(
    dead_code,
    reason = "each test binary uses its own part of this support module"
)]

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the server received.
#[derive(Debug)]
pub(crate) struct Recorded {
    /// `METHOD /path HTTP/1.1`.
    pub(crate) request_line: String,
    /// Header names lowercased, in arrival order.
    pub(crate) headers: Vec<(String, String)>,
    /// The body bytes as text.
    pub(crate) body: String,
}

impl Recorded {
    /// The value of header `name` (lowercase), if sent.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server that will answer exactly one request.
pub(crate) struct OneShot {
    /// `http://127.0.0.1:PORT`.
    pub(crate) origin: String,
    task: JoinHandle<Recorded>,
}

impl OneShot {
    /// Starts a server answering `status` with `content_type` and `body`.
    pub(crate) async fn answer(status: &str, content_type: &str, body: &str) -> Self {
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        Self::raw(response.into_bytes()).await
    }

    /// Starts a server that writes `response` verbatim, then closes the connection.
    pub(crate) async fn raw(response: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("a client connects");
            let recorded = read_request(&mut socket).await;
            socket.write_all(&response).await.expect("answer written");
            let _ = socket.shutdown().await;
            recorded
        });
        Self { origin, task }
    }

    /// The request the server received; fails the test if none came within five seconds.
    pub(crate) async fn recorded(self) -> Recorded {
        match tokio::time::timeout(Duration::from_secs(5), self.task).await {
            Ok(Ok(recorded)) => recorded,
            Ok(Err(error)) => panic!("the test server failed: {error}"),
            Err(_) => panic!("the client never sent a request"),
        }
    }
}

/// A server answering every request with `respond(request)`, one connection per request,
/// until dropped; it keeps every request it saw.
pub(crate) struct Scripted {
    pub(crate) origin: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Scripted {
    /// Starts the server; `respond` returns the JSON body of a 200 answer.
    pub(crate) async fn start(respond: fn(&Recorded) -> String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&seen);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let recorded = read_request(&mut socket).await;
                let body = respond(&recorded);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                log.lock().expect("not poisoned").push(recorded);
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        Self { origin, seen, task }
    }

    /// The request lines seen so far, in order.
    pub(crate) fn request_lines(&self) -> Vec<String> {
        let seen = self.seen.lock().expect("not poisoned");
        seen.iter().map(|r| r.request_line.clone()).collect()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Recorded {
    let mut buffer = Vec::new();
    let header_end = loop {
        let mut chunk = [0_u8; 4096];
        let n = socket.read(&mut chunk).await.expect("read request");
        assert!(n > 0, "connection closed before the request headers ended");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0_u8; 4096];
        let n = socket.read(&mut chunk).await.expect("read body");
        assert!(n > 0, "connection closed before the request body ended");
        body.extend_from_slice(&chunk[..n]);
    }
    Recorded {
        request_line,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The real spec, `spec/pabbly.yaml`, lowered; fails the test if it does not load.
pub(crate) fn real_spec() -> pabbly_spec::ir::Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/pabbly.yaml");
    match pabbly_spec::load(&path, "spec/pabbly.yaml") {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}"),
    }
}
