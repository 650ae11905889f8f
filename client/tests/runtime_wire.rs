//! Wire-level tests of the runtime against a loopback HTTP server that answers canned bytes.

mod support;

use std::time::{Duration, Instant};

use pabbly::__private::{Envelope, Method, Operation, Payload, Root, Segment};
use pabbly::{ErrorKind, Response};
use serde::{Deserialize, Serialize};
use support::{
    BASIC, CREATE, CREATE_PATH, Captured, Scripted, Step, TestClient, assert_error_has_no_secrets,
    builder, client, response,
};

static INVOICES: Operation = Operation {
    id: "customers.invoices",
    method: Method::Get,
    path: "/customers/{customer_id}/invoices",
    root: Root::BASE,
    envelope: Envelope::MessageList,
    list: true,
    url_fields: &[],
    bounds: &[],
    repeat_safe: true,
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

/// Answers one connection with `bytes` and records the request.
async fn serve_once(bytes: Vec<u8>) -> Scripted {
    Scripted::start(vec![Step::Reply(bytes)]).await
}

fn http_response(status_line: &str, body: &str) -> Vec<u8> {
    response(status_line, &[("Content-Type", "application/json")], body)
}

/// The one request `server` received.
fn only_request(server: &Scripted) -> Captured {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn post_json_sends_exact_request() {
    let reply = http_response(
        "200 OK",
        r#"{"status":"success","message":"Portal session created","data":{"id":"ps_1","access_url":"https://x/y"}}"#,
    );
    let server = serve_once(reply).await;
    let runtime = client(&server.base_url);
    let request = CreateRequest {
        customer_id: "cus_1",
        return_url: "https://example.com/back",
    };

    let future = runtime.execute::<PortalSession, _>(&CREATE, CREATE_PATH, Payload::Json(&request));
    fn assert_send<F: Send>(future: F) -> F {
        future
    }
    let response: Response<PortalSession> = assert_send(future).await.expect("success");
    let captured = only_request(&server);

    assert_eq!(
        captured.request_line,
        "POST /api/v1/portal_sessions/ HTTP/1.1"
    );
    let basic = format!("Basic {BASIC}");
    assert_eq!(captured.header("authorization"), Some(basic.as_str()));
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
    let server = serve_once(reply).await;
    let TestClient(runtime) = builder(&format!("{}/", server.base_url))
        .user_agent("wire-test/1")
        .build()
        .expect("client builds");
    let query = ListQuery {
        limit: 5,
        status: "live",
        cursor: None,
    };

    let response = runtime
        .execute::<Vec<String>, _>(
            &INVOICES,
            &[
                Segment::Literal("customers"),
                Segment::Value("customer_id", "../a b/c?d#e"),
                Segment::Literal("invoices"),
            ],
            Payload::Query(&query),
        )
        .await
        .expect("success");
    let captured = only_request(&server);

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
    let server = serve_once(reply.into_bytes()).await;
    let runtime = client(&server.base_url);

    let err = runtime
        .execute::<(), _>(&CREATE, CREATE_PATH, Payload::none())
        .await
        .expect_err("502 is an error");
    assert_eq!(server.connections(), 1, "a POST is not retried");

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
    assert_error_has_no_secrets(&err);
}

#[tokio::test]
async fn silent_server_hits_timeout() {
    let server = Scripted::start(vec![Step::Hang]).await;
    let TestClient(runtime) = builder(&server.base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");

    let started = Instant::now();
    let err = runtime
        .execute::<(), _>(&CREATE, CREATE_PATH, Payload::none())
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
        let server = serve_once(reply).await;
        let TestClient(runtime) = builder(&server.base_url)
            .max_response_bytes(1024)
            .build()
            .expect("client builds");

        let err = runtime
            .execute::<(), _>(&CREATE, CREATE_PATH, Payload::none())
            .await
            .expect_err("body is over the limit");
        assert_eq!(server.connections(), 1);

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
    let runtime = client(&support::refused_base_url().await);

    let err = runtime
        .execute::<(), _>(&CREATE, CREATE_PATH, Payload::none())
        .await
        .expect_err("nothing listens");

    assert_eq!(err.kind(), ErrorKind::Transport);
    // Even a POST is retried when the connection could not be made: it never reached Pabbly.
    assert_eq!(err.attempts(), 3);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "portal_sessions.create (POST /portal_sessions/) could not connect: error sending request"
        ),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
    assert_error_has_no_secrets(&err);
    // The URL (and so any query data) stays out of the message.
    assert!(!text.contains("127.0.0.1"), "{text}");
}
