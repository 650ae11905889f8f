//! Wire-level tests of the runtime against a loopback HTTP server that answers canned bytes.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use pabbly::__private::{Envelope, Method, Operation, Payload, Runtime};
use pabbly::{ClientBuilder, ErrorKind, Response};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Stands in for the generated `Client`.
#[derive(Debug)]
struct TestClient(Runtime);

impl From<Runtime> for TestClient {
    fn from(runtime: Runtime) -> Self {
        Self(runtime)
    }
}

const API_KEY: &str = "test_api_key";
const SECRET_KEY: &str = "test_secret";
/// base64("test_api_key:test_secret")
const BASIC: &str = "Basic dGVzdF9hcGlfa2V5OnRlc3Rfc2VjcmV0";

/// Bounds every wait so a broken test fails instead of hanging.
const GUARD: Duration = Duration::from_secs(10);

static CREATE: Operation = Operation {
    id: "portal_sessions.create",
    method: Method::Post,
    path: "/portal_sessions/",
    envelope: Envelope::Data,
};

static LIST: Operation = Operation {
    id: "customers.invoices",
    method: Method::Get,
    path: "/customers/{customer_id}/invoices",
    envelope: Envelope::MessageList,
};

#[derive(Serialize)]
struct CreateRequest<'a> {
    customer_id: &'a str,
    return_url: &'a str,
}

#[derive(Debug, Deserialize, PartialEq)]
struct PortalSession {
    id: String,
    access_url: String,
}

#[derive(Serialize)]
struct ListQuery {
    limit: u32,
    status: &'static str,
    cursor: Option<String>,
}

/// One request as the server saw it.
struct Captured {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Accepts one connection, reads one request, writes `reply` and closes.
async fn serve_once(reply: Vec<u8>) -> (String, JoinHandle<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let server = tokio::spawn(async move {
        let (mut stream, _) = tokio::time::timeout(GUARD, listener.accept())
            .await
            .expect("client connected in time")
            .expect("accept");
        let captured = tokio::time::timeout(GUARD, read_request(&mut stream))
            .await
            .expect("request read in time");
        stream.write_all(&reply).await.expect("write reply");
        stream.shutdown().await.expect("shutdown");
        captured
    });
    (base_url(addr), server)
}

fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}/api/v1")
}

async fn read_request(stream: &mut TcpStream) -> Captured {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.expect("read request");
        assert!(read > 0, "connection closed before the request head ended");
        buf.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).expect("ASCII head");
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
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.expect("read body");
        assert!(read > 0, "connection closed before the body ended");
        body.extend_from_slice(&chunk[..read]);
    }
    Captured {
        request_line,
        headers,
        body,
    }
}

fn http_response(status_line: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_line}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn client(base_url: &str) -> TestClient {
    ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .base_url(base_url)
        .timeout(GUARD)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn post_json_sends_exact_request() {
    let reply = http_response(
        "200 OK",
        r#"{"status":"success","message":"Portal session created","data":{"id":"ps_1","access_url":"https://x/y"}}"#,
    );
    let (base, server) = serve_once(reply).await;
    let TestClient(runtime) = client(&base);
    let request = CreateRequest {
        customer_id: "cus_1",
        return_url: "https://example.com/back",
    };

    let future = runtime.execute::<PortalSession, _>(&CREATE, &[], Payload::Json(&request));
    fn assert_send<F: Send>(future: F) -> F {
        future
    }
    let response: Response<PortalSession> = assert_send(future).await.expect("success");
    let captured = server.await.expect("server task");

    assert_eq!(
        captured.request_line,
        "POST /api/v1/portal_sessions/ HTTP/1.1"
    );
    assert_eq!(captured.header("authorization"), Some(BASIC));
    assert_eq!(captured.header("content-type"), Some("application/json"));
    assert_eq!(captured.header("accept"), Some("application/json"));
    assert_eq!(
        captured.body,
        br#"{"customer_id":"cus_1","return_url":"https://example.com/back"}"#
    );
    assert_eq!(
        captured.header("user-agent"),
        Some(concat!("pabbly-rust/", env!("CARGO_PKG_VERSION")))
    );

    assert_eq!(response.status(), 200);
    assert_eq!(response.message.as_deref(), Some("Portal session created"));
    assert_eq!(
        response.data,
        PortalSession {
            id: "ps_1".into(),
            access_url: "https://x/y".into()
        }
    );
}

#[tokio::test]
async fn get_with_hostile_path_value_and_query() {
    let reply = http_response("200 OK", r#"{"status":"success","message":["inv_1"]}"#);
    let (base, server) = serve_once(reply).await;
    let TestClient(runtime) = ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .base_url(format!("{base}/"))
        .user_agent("wire-test/1")
        .build()
        .expect("client builds");
    let query = ListQuery {
        limit: 5,
        status: "live",
        cursor: None,
    };

    let response = runtime
        .execute::<Vec<String>, _>(&LIST, &["../a b/c?d#e"], Payload::Query(&query))
        .await
        .expect("success");
    let captured = server.await.expect("server task");

    assert_eq!(
        captured.request_line,
        "GET /api/v1/customers/..%2Fa%20b%2Fc%3Fd%23e/invoices?limit=5&status=live HTTP/1.1"
    );
    assert_eq!(captured.header("content-type"), None);
    assert_eq!(captured.header("user-agent"), Some("wire-test/1"));
    assert!(captured.body.is_empty());
    assert_eq!(response.data, vec!["inv_1".to_owned()]);
    assert_eq!(response.message, None);
}

#[tokio::test]
async fn html_error_page_keeps_status_and_body() {
    let page = "<html>\n<body>Bad gateway</body>\n</html>";
    let reply = format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    let (base, server) = serve_once(reply.into_bytes()).await;
    let TestClient(runtime) = client(&base);

    let err = runtime
        .execute::<(), _>(&CREATE, &[], Payload::none())
        .await
        .expect_err("502 is an error");
    server.await.expect("server task");

    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.body(), Some(page));
    assert_eq!(
        err.headers()
            .and_then(|headers| headers.get("content-type"))
            .and_then(|value| value.to_str().ok()),
        Some("text/html")
    );
    assert_eq!(
        err.to_string(),
        "HTTP 502 Bad Gateway from POST /portal_sessions/: <html> <body>Bad gateway</body> </html>"
    );
    let debug = format!("{err:?}");
    assert!(
        !debug.contains(SECRET_KEY) && !debug.contains(API_KEY),
        "{debug}"
    );
}

#[tokio::test]
async fn silent_server_hits_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    // Accepts and reads but never answers; the task is dropped with the test's runtime.
    let _server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let _ = read_request(&mut stream).await;
        tokio::time::sleep(GUARD).await;
        drop(stream);
    });
    let TestClient(runtime) = ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .base_url(base_url(addr))
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");

    let started = Instant::now();
    let err = runtime
        .execute::<(), _>(&CREATE, &[], Payload::none())
        .await
        .expect_err("must time out");
    let elapsed = started.elapsed();

    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_timeout());
    assert_eq!(err.status(), None);
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert_eq!(
        err.to_string(),
        "portal_sessions.create (POST /portal_sessions/) timed out after 300ms"
    );
}

#[tokio::test]
async fn body_over_limit_is_refused() {
    let body = "x".repeat(4096);
    let announced = http_response("200 OK", &body);
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n800\r\n{half}\r\n800\r\n{half}\r\n0\r\n\r\n",
        half = "x".repeat(0x800)
    )
    .into_bytes();

    for reply in [announced, chunked] {
        let (base, server) = serve_once(reply).await;
        let TestClient(runtime) = ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
            .base_url(&base)
            .timeout(GUARD)
            .max_response_bytes(1024)
            .build()
            .expect("client builds");

        let err = runtime
            .execute::<(), _>(&CREATE, &[], Payload::none())
            .await
            .expect_err("body is over the limit");
        server.await.expect("server task");

        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.body(), None);
        assert_eq!(
            err.to_string(),
            "portal_sessions.create (POST /portal_sessions/) response is larger than the limit of 1024 bytes"
        );
    }
}

#[tokio::test]
async fn refused_connection_is_transport_error() {
    // Bind then drop to get a port that nothing listens on.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback")
        .local_addr()
        .expect("local addr");
    let TestClient(runtime) = client(&base_url(addr));

    let err = runtime
        .execute::<(), _>(&CREATE, &[], Payload::none())
        .await
        .expect_err("nothing listens");

    assert_eq!(err.kind(), ErrorKind::Transport);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "portal_sessions.create (POST /portal_sessions/) failed: error sending request"
        ),
        "{text}"
    );
    assert!(!text.contains('\n') && !text.contains(SECRET_KEY), "{text}");
    // The URL (and so any query data) stays out of the message.
    assert!(!text.contains("127.0.0.1"), "{text}");
}
