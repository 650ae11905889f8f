//! The tracing output of requests: the span's fields and retry events are there, credentials,
//! path and query values and bodies are not.
//!
//! Its own test binary: the subscriber is installed for the test's thread, and no other test
//! should share the process's callsite registrations with it.

mod support;

use std::io;
use std::sync::{Arc, Mutex};

use pabbly::__private::Payload;
use serde::Deserialize;
use serde_json::json;
use support::{CREATE, CREATE_PATH, GET, Scripted, assert_no_secrets, client, get_path, json};
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

#[derive(Debug, Deserialize)]
struct Customer {
    #[serde(rename = "id")]
    _id: String,
}

#[tokio::test]
async fn spans_carry_fields_and_no_secrets() {
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Scripted::start(vec![
        json(
            "503 Service Unavailable",
            r#"{"status":"error","message":"body-marker-503"}"#,
        ),
        json(
            "200 OK",
            r#"{"status":"success","message":"found","data":{"id":"body-marker-200"}}"#,
        ),
        json(
            "200 OK",
            r#"{"status":"success","message":"ok","data":null}"#,
        ),
        json(
            "404 Not Found",
            r#"{"status":"error","message":"body-marker-404"}"#,
        ),
    ])
    .await;
    let runtime = client(&server.base_url);
    runtime
        .execute::<Customer, _>(&GET, &get_path("path-value-marker"), Payload::none())
        .await
        .expect("succeeds on the second attempt");
    let request = json!({"customer_id": "body-marker-post", "redirect_url": "https://example.com/token-marker"});
    runtime
        .execute::<(), _>(&CREATE, CREATE_PATH, Payload::Json(&request))
        .await
        .expect("created");
    let err = runtime
        .execute::<Customer, _>(&GET, &get_path("path-value-marker"), Payload::none())
        .await
        .expect_err("not found");
    assert_eq!(err.kind(), pabbly::ErrorKind::NotFound);

    let output = sink.text();
    assert_no_secrets(&output);
    // hyper's own events name the host and port it connects to; nothing names a path.
    for private in [
        "path-value-marker",
        "body-marker",
        "token-marker",
        "/customers/path",
    ] {
        assert!(
            !output.contains(private),
            "{private} leaked into:\n{output}"
        );
    }
    for expected in [
        "pabbly.request",
        "operation=\"customers.get\"",
        "method=\"GET\"",
        "path=\"/customers/{customer_id}\"",
        "attempt=2",
        "status=200",
        "latency_ms=",
        "retrying",
        "status=503",
        "reason=\"service unavailable\"",
        "delay_ms=",
        "operation=\"portal_sessions.create\"",
        "method=\"POST\"",
        "attempt=1",
        "status=404",
        "error=NotFound",
    ] {
        assert!(
            output.contains(expected),
            "missing {expected} in:\n{output}"
        );
    }
}
