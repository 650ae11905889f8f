//! The mock answers like Pabbly without faults: credentials, routing, validation against the
//! spec, the example answer with ids echoed, hit counts, and stopping.

mod support;

use pabbly_mock::{MockError, MockServer, Options};
use serde_json::json;
use support::{CREATE, create, http, json, url};

const BODY: &str = r#"{"customer_id":"cus_1","redirect_url":"https://example.com/back"}"#;

#[tokio::test]
async fn missing_or_malformed_credentials_get_403() {
    let server = MockServer::start().await.expect("starts");
    let target = url(&server, "/portal_sessions/");
    let attempts = [
        http().post(&target).body(BODY),
        http()
            .post(&target)
            .basic_auth("", Some("secret"))
            .body(BODY),
        http()
            .post(&target)
            .basic_auth("key", None::<&str>)
            .body(BODY),
        http()
            .post(&target)
            .header("authorization", "Bearer key")
            .body(BODY),
        http()
            .post(&target)
            .header("authorization", "Basic %%%")
            .body(BODY),
    ];
    for attempt in attempts {
        let (status, body) = json(attempt.send().await.expect("answered")).await;
        assert_eq!(status, 403);
        assert_eq!(
            body,
            json!({"status": "error", "message": "Invalid user api"})
        );
    }
    assert_eq!(server.hits(CREATE), 5);
    server.stop().await;
}

#[tokio::test]
async fn strict_mode_accepts_only_the_configured_pair() {
    let options = Options::default().credentials("live-key", "live-secret");
    let server = MockServer::start_with(options).await.expect("starts");
    let target = url(&server, "/portal_sessions/");
    let send = |key: &str, secret: &str| {
        http()
            .post(&target)
            .basic_auth(key, Some(secret))
            .header("content-type", "application/json")
            .body(BODY)
            .send()
    };
    for (key, secret) in [
        ("test-key", "test-secret"),
        ("live-key", "wrong"),
        ("wrong", "live-secret"),
    ] {
        let (status, body) = json(send(key, secret).await.expect("answered")).await;
        assert_eq!(status, 403, "{key}:{secret}");
        assert_eq!(body["message"], "Invalid user api");
    }
    let (status, _) = json(send("live-key", "live-secret").await.expect("answered")).await;
    assert_eq!(status, 200);
    server.stop().await;
}

#[tokio::test]
async fn unknown_routes_get_404_and_known_paths_with_another_method_405() {
    let server = MockServer::start().await.expect("starts");
    let authed = |request: reqwest::RequestBuilder| request.basic_auth("k", Some("s"));
    let origin = format!("http://{}", server.address());
    for target in [
        url(&server, "/no_such_resource/"),
        // The spec's path is exact: no trailing-slash guessing.
        url(&server, "/portal_sessions"),
        // Outside the API prefix.
        format!("{origin}/portal_sessions/"),
        format!("{origin}/api/v9/portal_sessions/"),
    ] {
        let response = authed(http().post(&target)).send().await.expect("answered");
        let (status, body) = json(response).await;
        assert_eq!(status, 404, "{target}");
        assert_eq!(
            body,
            json!({"status": "error", "message": "Route not found"})
        );
    }
    let response = authed(http().get(url(&server, "/portal_sessions/")))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response.headers().get("allow").map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );
    let (_, body) = json(response).await;
    assert_eq!(body["status"], "error");
    // A request for the route with the wrong method is still a request the route received.
    assert_eq!(server.hits(CREATE), 0);
    server.stop().await;
}

#[tokio::test]
async fn malformed_json_gets_400() {
    let server = MockServer::start().await.expect("starts");
    let (status, body) = json(
        create(&server, r#"{"customer_id": "#)
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], "error");
    let message = body["message"].as_str().expect("a message");
    assert!(message.starts_with("Malformed JSON body"), "{message}");
    server.stop().await;
}

#[tokio::test]
async fn a_missing_required_field_gets_400_naming_it() {
    let server = MockServer::start().await.expect("starts");
    for body in ["{}", "", r#"{"redirect_url":"https://example.com/"}"#] {
        let (status, answer) = json(create(&server, body).await.expect("answered")).await;
        assert_eq!(status, 400, "{body:?}");
        assert_eq!(answer["status"], "error");
        let message = answer["message"].as_str().expect("a message");
        assert!(
            message.contains("`customer_id`") && message.contains("missing"),
            "{message}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_value_of_the_wrong_type_gets_400_naming_the_field() {
    let server = MockServer::start().await.expect("starts");
    let cases = [
        (r#"{"customer_id": 5}"#, "customer_id", "expected a string"),
        (
            r#"{"customer_id": "c", "redirect_url": true}"#,
            "redirect_url",
            "expected a string",
        ),
        (r#"["customer_id"]"#, "$", "expected an object"),
    ];
    for (body, field, expected) in cases {
        let (status, answer) = json(create(&server, body).await.expect("answered")).await;
        assert_eq!(status, 400, "{body}");
        let message = answer["message"].as_str().expect("a message");
        assert!(
            message.contains(field) && message.contains(expected),
            "{body}: {message}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_example_answers_with_the_request_s_customer_id() {
    let server = MockServer::start().await.expect("starts");
    let response = create(&server, r#"{"customer_id":"cus_42"}"#)
        .await
        .expect("answered");
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let (status, body) = json(response).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "success");
    assert_eq!(body["message"], "Portal token created successfully");
    assert_eq!(body["data"]["customer_id"], "cus_42");
    // The rest is the documented example, untouched.
    assert_eq!(body["data"]["id"], "5e5f56717c5aeb3675f416d1");
    assert_eq!(body["data"]["expires_at"], "2020-03-05T07:19:13.131Z");
    server.stop().await;
}

#[tokio::test]
async fn hits_count_every_request_by_operation_id_or_method_and_path() {
    let server = MockServer::start().await.expect("starts");
    for body in [BODY, "{}", BODY] {
        create(&server, body).await.expect("answered");
    }
    assert_eq!(server.hits(CREATE), 3);
    assert_eq!(server.hits("POST /portal_sessions/"), 3);
    assert_eq!(server.hits("post /api/v1/portal_sessions/"), 3);
    assert_eq!(server.hits("GET /portal_sessions/"), 0);
    assert_eq!(server.hits("portal_sessions.frobnicate"), 0);
    server.stop().await;
}

#[tokio::test]
async fn stop_frees_the_port_and_closes_open_connections() {
    let server = MockServer::start().await.expect("starts");
    let address = server.address();
    // A keep-alive connection left open must not hold the stop.
    let client = http();
    let response = client
        .post(url(&server, "/portal_sessions/"))
        .basic_auth("k", Some("s"))
        .body(BODY)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    tokio::time::timeout(std::time::Duration::from_secs(5), server.stop())
        .await
        .expect("stops promptly");
    let again = MockServer::start_with(Options::default().port(address.port()))
        .await
        .expect("the port is free again");
    assert_eq!(again.address(), address);
    again.stop().await;
}

#[tokio::test]
async fn a_port_in_use_is_a_bind_error() {
    let server = MockServer::start().await.expect("starts");
    let second = MockServer::start_with(Options::default().port(server.address().port())).await;
    assert!(matches!(second, Err(MockError::Bind(_))), "{second:?}");
    server.stop().await;
}

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let server = MockServer::start().await.expect("starts");
    let padding = "x".repeat(2 << 20);
    let body = format!(r#"{{"customer_id":"{padding}"}}"#);
    let (status, answer) = json(create(&server, &body).await.expect("answered")).await;
    assert_eq!(status, 413);
    assert_eq!(answer["status"], "error");
    server.stop().await;
}

/// Writes `head` (and `body_start`) on a raw connection with valid credentials, then returns
/// the answer's status line, read within a guard so a server that never answers fails the
/// test. `trickle` keeps sending one byte every 50 ms meanwhile, as a slow client would.
async fn raw_request(
    server: &MockServer,
    content_length: u64,
    sent: &[u8],
    trickle: bool,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let stream = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    // base64("test-key:test-secret")
    let head = format!(
        "POST /api/v1/portal_sessions/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Basic dGVzdC1rZXk6dGVzdC1zZWNyZXQ=\r\n\
         Content-Type: application/json\r\nContent-Length: {content_length}\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.expect("head sent");
    writer.write_all(sent).await.expect("body start sent");
    let dribble = tokio::spawn(async move {
        while trickle && writer.write_all(b" ").await.is_ok() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Held open (not closed) until the test ends, like a client still sending.
        std::future::pending::<()>().await;
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut chunk = [0u8; 1024];
        while !answer.windows(2).any(|w| w == b"\r\n") {
            match reader.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    dribble.abort();
    assert!(read.is_ok(), "no answer within 10 s");
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_declared_length_over_the_cap_gets_413_before_the_body() {
    let server = MockServer::start().await.expect("starts");
    // 1 GiB announced, a few bytes sent, and the client then waits for the answer.
    let status = raw_request(&server, 1 << 30, br#"{"customer_id":"#, false).await;
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large");
    server.stop().await;
}

#[tokio::test]
async fn a_body_trickling_in_gets_408_after_the_body_timeout() {
    let options = Options::default().body_timeout(std::time::Duration::from_millis(300));
    let server = MockServer::start_with(options).await.expect("starts");
    // A byte every 50 ms of a 1,000-byte body: each arrives long before an idle timeout would
    // fire, the whole never does.
    let status = raw_request(&server, 1_000, b"{", true).await;
    assert_eq!(status, "HTTP/1.1 408 Request Timeout");
    server.stop().await;
}
