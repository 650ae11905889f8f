//! Every fault as a client sees it, through reqwest and, where the wire matters, a raw socket.

mod support;

use std::time::{Duration, Instant};

use pabbly_mock::{Fault, MockError, MockServer, Options};
use serde_json::json;
use support::{CREATE, create, http, http_builder, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const BODY: &str = r#"{"customer_id":"cus_1"}"#;

async fn with_fault(fault: Fault) -> MockServer {
    MockServer::start_with(Options::default().fault(CREATE, fault))
        .await
        .expect("starts")
}

/// Sends the portal-session request over a fresh socket and reads until the server closes it.
async fn raw_exchange(server: &MockServer) -> (Vec<u8>, std::io::Result<()>) {
    let mut stream = TcpStream::connect(server.address())
        .await
        .expect("connects");
    let request = format!(
        "POST /api/v1/portal_sessions/ HTTP/1.1\r\nhost: mock\r\nauthorization: Basic a2V5OnNlY3JldA==\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut received = Vec::new();
    let outcome = stream.read_to_end(&mut received).await.map(|_| ());
    (received, outcome)
}

fn split_response(raw: &[u8]) -> (String, &[u8]) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    (
        String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase(),
        &raw[end + 4..],
    )
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("a content-length")
}

#[tokio::test]
async fn a_status_fault_answers_that_status_with_a_pabbly_error_and_retry_after() {
    let server = with_fault(Fault::status(503).retry_after(2)).await;
    let response = create(&server, BODY).await.expect("answered");
    assert_eq!(
        response.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"2"[..])
    );
    let (status, body) = json(response).await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        json!({"status": "error", "message": "Service Unavailable"})
    );
    server.stop().await;
}

#[tokio::test]
async fn a_status_fault_sends_the_body_it_is_given() {
    let server = with_fault(Fault::status(500).body("upstream exploded")).await;
    let response = create(&server, BODY).await.expect("answered");
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"text/plain; charset=utf-8"[..])
    );
    assert!(response.headers().get("retry-after").is_none());
    assert_eq!(response.text().await.expect("a body"), "upstream exploded");

    // A JSON body is sent as JSON; the fault without `times` above still applies until cleared.
    server.clear_faults();
    let slow_down = r#"{"status":"error","message":"Slow down"}"#;
    server
        .fault(CREATE, Fault::status(429).body(slow_down))
        .expect("a known route");
    let response = create(&server, BODY).await.expect("answered");
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let (status, body) = json(response).await;
    assert_eq!(
        (status, body),
        (429, json!({"status": "error", "message": "Slow down"}))
    );
    server.stop().await;
}

#[tokio::test]
async fn a_delay_holds_the_answer() {
    let delay = Duration::from_millis(300);
    let server = with_fault(Fault::delay(delay)).await;
    let started = Instant::now();
    let (status, body) = json(create(&server, BODY).await.expect("answered")).await;
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!(status, 200);
    assert_eq!(body["data"]["customer_id"], "cus_1");

    // A client with a shorter timeout gives up.
    let impatient = http_builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("a client");
    let error = impatient
        .post(format!("{}/portal_sessions/", server.base_url()))
        .basic_auth("k", Some("s"))
        .body(BODY)
        .send()
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    server.stop().await;
}

#[tokio::test]
async fn a_delayed_status_waits_then_fails() {
    let delay = Duration::from_millis(200);
    let server = with_fault(Fault::status(504).delayed(delay)).await;
    let started = Instant::now();
    let response = create(&server, BODY).await.expect("answered");
    assert!(started.elapsed() >= delay);
    assert_eq!(response.status().as_u16(), 504);
    server.stop().await;
}

#[tokio::test]
async fn a_malformed_body_is_complete_but_not_json() {
    let server = with_fault(Fault::malformed()).await;
    let response = create(&server, BODY).await.expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let text = response.text().await.expect("the whole body arrives");
    assert!(text.starts_with(r#"{"status":"success""#), "{text}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );

    let (raw, outcome) = raw_exchange(&server).await;
    outcome.expect("a clean close");
    let (head, body) = split_response(&raw);
    assert_eq!(content_length(&head), body.len());
    server.stop().await;
}

#[tokio::test]
async fn a_truncated_body_announces_more_than_it_sends() {
    let server = with_fault(Fault::truncated()).await;
    let response = create(&server, BODY).await.expect("the head arrives");
    assert_eq!(response.status().as_u16(), 200);
    let error = response.text().await.expect_err("the body is cut short");
    assert!(error.is_body() || error.is_decode(), "{error:?}");

    let (raw, _) = raw_exchange(&server).await;
    let (head, body) = split_response(&raw);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let announced = content_length(&head);
    assert!(!body.is_empty(), "half the body is sent");
    assert!(body.len() < announced, "{} of {announced}", body.len());
    server.stop().await;
}

#[tokio::test]
async fn a_dropped_connection_answers_nothing() {
    let server = with_fault(Fault::drop_connection()).await;
    let error = create(&server, BODY).await.expect_err("no response");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");

    let (raw, _) = raw_exchange(&server).await;
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));
    assert_eq!(server.hits(CREATE), 2);
    server.stop().await;
}

#[tokio::test]
async fn times_fails_the_first_requests_then_answers_normally() {
    let server = with_fault(Fault::status(503).retry_after(1).times(2)).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = create(&server, BODY).await.expect("answered");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [503, 503, 200, 200]);
    assert_eq!(server.hits(CREATE), 4);
    server.stop().await;
}

#[tokio::test]
async fn faults_on_one_route_apply_in_order() {
    let options = Options::default()
        .fault(CREATE, Fault::status(502).times(1))
        .fault("POST /portal_sessions/", Fault::drop_connection().times(1))
        .fault("POST /api/v1/portal_sessions/", Fault::malformed().times(1));
    let server = MockServer::start_with(options).await.expect("starts");
    let first = create(&server, BODY).await.expect("answered");
    assert_eq!(first.status().as_u16(), 502);
    assert!(create(&server, BODY).await.is_err(), "dropped");
    let third = create(&server, BODY).await.expect("answered");
    let text = third.text().await.expect("a body");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    let (status, _) = json(create(&server, BODY).await.expect("answered")).await;
    assert_eq!(status, 200);
    assert_eq!(server.hits(CREATE), 4);
    server.stop().await;
}

#[tokio::test]
async fn faults_added_to_a_running_server_apply_to_later_requests() {
    let server = MockServer::start().await.expect("starts");
    let (status, _) = json(create(&server, BODY).await.expect("answered")).await;
    assert_eq!(status, 200);
    server
        .fault(CREATE, Fault::status(500).times(1))
        .expect("a known route");
    let (status, _) = json(create(&server, BODY).await.expect("answered")).await;
    assert_eq!(status, 500);
    server
        .fault(CREATE, Fault::status(503))
        .expect("a known route");
    server.clear_faults();
    let (status, _) = json(create(&server, BODY).await.expect("answered")).await;
    assert_eq!(status, 200);
    server.stop().await;
}

#[tokio::test]
async fn a_zero_times_fault_never_applies() {
    let server = with_fault(Fault::status(503).times(0)).await;
    let (status, _) = json(create(&server, BODY).await.expect("answered")).await;
    assert_eq!(status, 200);
    server.stop().await;
}

#[tokio::test]
async fn faults_on_unknown_routes_or_impossible_statuses_are_refused() {
    let unknown =
        MockServer::start_with(Options::default().fault("nope.create", Fault::malformed())).await;
    assert!(
        matches!(&unknown, Err(MockError::UnknownRoute(route)) if route == "nope.create"),
        "{unknown:?}"
    );
    let server = MockServer::start().await.expect("starts");
    let error = server
        .fault(CREATE, Fault::status(99))
        .expect_err("not a final status");
    assert!(error.to_string().contains("99"), "{error}");
    assert!(matches!(
        server.fault("GET /portal_sessions/", Fault::status(503)),
        Err(MockError::UnknownRoute(_))
    ));
    server.stop().await;
}

#[tokio::test]
async fn retry_after_also_rides_on_a_normal_answer() {
    let server = with_fault(Fault::delay(Duration::ZERO).retry_after(7)).await;
    let response = create(&server, BODY).await.expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"7"[..])
    );
    server.stop().await;
}

#[tokio::test]
async fn requests_after_a_fault_reuse_nothing_broken() {
    // A dropped or truncated answer must not poison the client's next request.
    let options = Options::default()
        .fault(CREATE, Fault::truncated().times(1))
        .fault(CREATE, Fault::drop_connection().times(1));
    let server = MockServer::start_with(options).await.expect("starts");
    let client = http();
    let send = || {
        client
            .post(format!("{}/portal_sessions/", server.base_url()))
            .basic_auth("k", Some("s"))
            .body(BODY)
            .send()
    };
    let truncated = send().await.expect("the head arrives");
    assert!(truncated.text().await.is_err());
    assert!(send().await.is_err());
    let (status, _) = json(send().await.expect("answered")).await;
    assert_eq!(status, 200);
    server.stop().await;
}
