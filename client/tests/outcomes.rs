//! What a billing service can tell about a call it made, written as the service's own tests
//! against `pabbly-mock`: whether the request reached Pabbly, how many attempts it took, the
//! answer's headers, which operation failed, not-found answers, retrying slow reads, and
//! per-call headers.

mod with_mock;

use std::time::Duration;

use pabbly::reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use pabbly::{Client, ErrorKind, Outcome, RequestOptions};
use pabbly_mock::{Fault, MockServer, Options};
use with_mock::client;

/// Bounds every wait so a broken test fails instead of hanging.
const GUARD: Duration = Duration::from_secs(20);

async fn until_hits(server: &MockServer, route: &str, hits: usize) {
    tokio::time::timeout(GUARD, async {
        while server.hits(route) < hits {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the request arrives");
}

#[tokio::test]
async fn a_write_that_never_got_a_connection_slot_is_not_sent() {
    // The read holds the client's only slot for a second.
    let options = Options::default().fault(
        "customers.get",
        Fault::delay(Duration::from_secs(1)).times(1),
    );
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .max_concurrent_requests(1)
        .request_options(RequestOptions::new().queue_timeout(Duration::from_millis(50)))
        .build()
        .expect("a valid configuration");

    let reader = client.clone();
    let read = tokio::spawn(async move { reader.customers().get("cus_1").await });
    until_hits(&server, "customers.get", 1).await;

    let request = pabbly::customers::CreateRequest::new("Ada", "Lovelace", "ada@example.com");
    let error = client
        .customers()
        .create(&request)
        .await
        .expect_err("no slot within the queue timeout");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.outcome(), Outcome::NotSent);
    assert_eq!(error.attempts(), 0, "waiting for a slot is not an attempt");
    assert_eq!(error.operation(), Some("customers.create"));
    assert_eq!(
        error.to_string(),
        "customers.create (POST /customer) waited 50ms for a connection slot (all 1 in use): not sent"
    );
    assert_eq!(server.hits("customers.create"), 0);

    let read = tokio::time::timeout(GUARD, read)
        .await
        .expect("the read finishes")
        .expect("the task does not panic")
        .expect("the read succeeds");
    assert_eq!(read.attempts(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_response_tells_its_attempts_and_headers() {
    let options = Options::default().fault("customers.get", Fault::status(503).times(2));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let response = client(&server)
        .customers()
        .get("cus_1")
        .await
        .expect("the third attempt succeeds");
    assert_eq!(response.attempts(), 3, "Pabbly counted three calls");
    assert_eq!(server.hits("customers.get"), 3);
    let content_type = response.headers().get("content-type");
    assert_eq!(
        content_type.map(HeaderValue::as_bytes),
        Some(&b"application/json"[..])
    );
    server.stop().await;
}

#[tokio::test]
async fn errors_name_their_operation_and_say_whether_pabbly_answered() {
    let invalid = r#"{"status":"error","message":"Invalid email address"}"#;
    let options = Options::default()
        .fault(
            "customers.create",
            Fault::status(400).body(invalid).times(1),
        )
        .fault("customers.create", Fault::drop_connection().times(1));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = client(&server);
    let request = pabbly::customers::CreateRequest::new("Ada", "Lovelace", "not-an-email");

    let refused = client.customers().create(&request).await.expect_err("400");
    assert_eq!(refused.kind(), ErrorKind::Api);
    assert_eq!(refused.operation(), Some("customers.create"));
    assert_eq!(refused.outcome(), Outcome::Answered);
    assert_eq!(
        refused.to_string(),
        "Pabbly API error from customers.create (HTTP 400): Invalid email address"
    );

    // Cut off after sending: Pabbly may have created the customer; not retried.
    let lost = client
        .customers()
        .create(&request)
        .await
        .expect_err("dropped");
    assert_eq!(lost.kind(), ErrorKind::Transport);
    assert_eq!(lost.outcome(), Outcome::AnswerLost);
    assert_eq!(lost.attempts(), 1);
    assert_eq!(server.hits("customers.create"), 2);

    // Nothing listens any more: provably not sent, so retried whatever the method.
    let base_url = server.base_url().to_owned();
    server.stop().await;
    let offline = Client::builder("test-key", "test-secret")
        .base_url(base_url)
        .request_options(RequestOptions::new().base_delay(Duration::from_millis(1)))
        .build()
        .expect("a valid configuration");
    let unreachable = offline
        .customers()
        .create(&request)
        .await
        .expect_err("refused");
    assert_eq!(unreachable.outcome(), Outcome::NotSent);
    assert_eq!(unreachable.attempts(), 3);
}

#[tokio::test]
async fn a_not_found_message_on_a_read_is_not_found() {
    let missing = r#"{"status":"error","message":"Customer not found"}"#;
    let options = Options::default()
        .fault("customers.get", Fault::status(200).body(missing).times(1))
        .fault("customers.get", Fault::status(400).body(missing).times(1))
        .fault(
            "customers.update",
            Fault::status(400).body(missing).times(1),
        );
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = client(&server);
    for status in [200, 400] {
        let error = client.customers().get("cus_9").await.expect_err("missing");
        assert_eq!(error.kind(), ErrorKind::NotFound, "on HTTP {status}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.api_message(), Some("Customer not found"));
    }
    // A write keeps `Api`: the rule is about reads of one object.
    let update = pabbly::customers::UpdateRequest::new();
    let error = client
        .customers()
        .update("cus_9", &update)
        .await
        .expect_err("missing");
    assert_eq!(error.kind(), ErrorKind::Api);
    server.stop().await;
}

#[tokio::test]
async fn a_slow_read_is_retried_only_when_asked() {
    let slow = || Fault::delay(Duration::from_secs(5)).times(1);
    let options = Options::default()
        .fault("customers.get", slow())
        .fault("customers.get", slow())
        .fault("customers.create", slow());
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client =
        client(&server).with_options(RequestOptions::new().timeout(Duration::from_secs(1)));

    let error = client.customers().get("cus_1").await.expect_err("too slow");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.outcome(), Outcome::AnswerLost);
    assert_eq!(error.attempts(), 1, "timeouts are not retried by default");

    let patient = client.with_options(RequestOptions::new().retry_timeouts(true));
    let response = patient
        .customers()
        .get("cus_1")
        .await
        .expect("the retry is quick");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.hits("customers.get"), 3);

    // A create that timed out may have happened: never repeated without `retry_unsafe`.
    let request = pabbly::customers::CreateRequest::new("Ada", "Lovelace", "ada@example.com");
    let error = patient
        .customers()
        .create(&request)
        .await
        .expect_err("too slow");
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Timeout, 1));
    assert_eq!(server.hits("customers.create"), 1);
    server.stop().await;
}

#[tokio::test]
async fn per_call_headers_are_sent_and_the_clients_own_cannot_be_replaced() {
    let server = MockServer::start().await.expect("mock starts");
    let client = client(&server);
    let request_id = HeaderName::from_static("x-request-id");
    let traced = client.with_options(
        RequestOptions::new().header(request_id.clone(), HeaderValue::from_static("req-41")),
    );
    traced.customers().get("cus_1").await.expect("succeeds");
    client.customers().get("cus_2").await.expect("succeeds");
    let received = server.requests("customers.get");
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("x-request-id"), Some("req-41"));
    assert_eq!(
        received[1].header("x-request-id"),
        None,
        "only on that call"
    );
    assert_eq!(
        received[0].header("authorization"),
        None,
        "the journal keeps no credentials"
    );

    let forged = client.with_options(RequestOptions::new().header(
        AUTHORIZATION,
        HeaderValue::from_static("Basic Zm9vOmJhcg=="),
    ));
    let error = forged.customers().get("cus_1").await.expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(error.outcome(), Outcome::NotSent);
    assert_eq!(server.hits("customers.get"), 2);
    server.stop().await;
}

#[tokio::test]
async fn a_burst_against_a_silent_server_returns_within_the_timeouts() {
    // Accepts every request and answers none in time.
    let options = Options::default().fault("customers.get", Fault::delay(Duration::from_secs(30)));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .max_concurrent_requests(2)
        .timeout(Duration::from_millis(200))
        .request_options(RequestOptions::new().queue_timeout(Duration::from_millis(300)))
        .build()
        .expect("a valid configuration");
    let calls = (0..8).map(|n| {
        let client = client.clone();
        tokio::spawn(async move { client.customers().get(&format!("cus_{n}")).await })
    });
    let mut sent = 0;
    for call in calls {
        let error = tokio::time::timeout(GUARD, call)
            .await
            .expect("no call outlives its timeouts")
            .expect("the task does not panic")
            .expect_err("nothing answers");
        assert_eq!(error.kind(), ErrorKind::Timeout);
        match error.outcome() {
            Outcome::NotSent => assert_eq!(error.attempts(), 0, "{error}"),
            Outcome::AnswerLost => {
                assert_eq!(error.attempts(), 1, "{error}");
                sent += 1;
            }
            other => panic!("unexpected {other:?}: {error}"),
        }
    }
    assert_eq!(
        server.hits("customers.get"),
        sent,
        "exactly the calls that got a slot were sent"
    );
    server.stop().await;
}
