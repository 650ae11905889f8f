//! Retries, backoff, `Retry-After` and deadlines against loopback servers that fail on purpose,
//! counting the attempts the server actually saw.

mod support;

use std::time::{Duration, Instant};

use pabbly::__private::{Method, Operation, Payload, Runtime};
use pabbly::{ErrorKind, RequestOptions, Response};
use serde::{Deserialize, Serialize};
use support::{
    CREATE, CREATE_PATH, LIST, LIST_PATH, Scripted, Step, assert_error_has_no_secrets, client,
    json, ok, reply,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Customer {
    id: String,
}

#[derive(Serialize)]
struct CreateRequest {
    customer_id: &'static str,
    redirect_url: &'static str,
}

const CREATE_REQUEST: CreateRequest = CreateRequest {
    customer_id: "cus_1",
    redirect_url: "https://example.com/back",
};

async fn call(
    runtime: &Runtime,
    op: &'static Operation,
) -> Result<Response<Vec<Customer>>, pabbly::Error> {
    // `op` is LIST or CREATE.
    if op.method == Method::Get {
        runtime.execute(op, LIST_PATH, Payload::none()).await
    } else {
        runtime
            .execute(op, CREATE_PATH, Payload::Json(&CREATE_REQUEST))
            .await
    }
}

/// What a fault should end in, for the safe and the unsafe operation.
struct Expect {
    kind: ErrorKind,
    get_attempts: u32,
    post_attempts: u32,
}

fn truncated() -> Step {
    Step::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"status\":\"succ"
            .to_vec(),
    )
}

fn html() -> Step {
    reply(
        "200 OK",
        &[("Content-Type", "text/html")],
        "<!DOCTYPE html>\n<html><body>Maintenance</body></html>",
    )
}

#[tokio::test]
async fn fault_matrix_for_safe_and_unsafe_requests() {
    let busy = r#"{"status":"error","message":"busy"}"#;
    let cases: Vec<(&str, Option<Step>, Expect)> = vec![
        (
            "429",
            Some(json("429 Too Many Requests", busy)),
            Expect {
                kind: ErrorKind::RateLimited,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "502",
            Some(reply(
                "502 Bad Gateway",
                &[("Content-Type", "text/html")],
                "<html>bad gateway</html>",
            )),
            Expect {
                kind: ErrorKind::Server,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "503",
            Some(json("503 Service Unavailable", busy)),
            Expect {
                kind: ErrorKind::Server,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "504",
            Some(json("504 Gateway Timeout", busy)),
            Expect {
                kind: ErrorKind::Server,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "500",
            Some(json("500 Internal Server Error", busy)),
            Expect {
                kind: ErrorKind::Server,
                get_attempts: 1,
                post_attempts: 1,
            },
        ),
        (
            // Nothing listens: the request provably never left, so even the POST is retried.
            "connection refused",
            None,
            Expect {
                kind: ErrorKind::Transport,
                get_attempts: 3,
                post_attempts: 3,
            },
        ),
        (
            "accept then close",
            Some(Step::Close),
            Expect {
                kind: ErrorKind::Transport,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "truncated body",
            Some(truncated()),
            Expect {
                kind: ErrorKind::Transport,
                get_attempts: 3,
                post_attempts: 1,
            },
        ),
        (
            "HTML body",
            Some(html()),
            Expect {
                kind: ErrorKind::Decode,
                get_attempts: 1,
                post_attempts: 1,
            },
        ),
        (
            "delay past deadline",
            Some(Step::Hang),
            Expect {
                kind: ErrorKind::Timeout,
                get_attempts: 1,
                post_attempts: 1,
            },
        ),
    ];

    for (fault, step, expect) in cases {
        for (op, method, attempts) in [
            (&LIST, "GET", expect.get_attempts),
            (&CREATE, "POST", expect.post_attempts),
        ] {
            let case = format!("{fault} on {method} {}", op.path);
            let server = match &step {
                Some(step) => Some(Scripted::start(vec![step.clone()]).await),
                None => None,
            };
            let base = match &server {
                Some(server) => server.base_url.clone(),
                None => support::refused_base_url().await,
            };
            let runtime = client(&base)
                .with_options(RequestOptions::new().deadline(Duration::from_millis(400)));

            let started = Instant::now();
            let err = call(&runtime, op).await.expect_err(&case);
            let elapsed = started.elapsed();

            assert_eq!(err.kind(), expect.kind, "{case}: {err}");
            assert_eq!(err.attempts(), attempts, "{case}: attempts reported");
            if let Some(server) = &server {
                assert_eq!(
                    server.connections(),
                    attempts as usize,
                    "{case}: attempts seen"
                );
            }
            assert!(elapsed < Duration::from_secs(2), "{case}: took {elapsed:?}");
            if expect.kind == ErrorKind::Timeout {
                assert!(elapsed >= Duration::from_millis(380), "{case}: {elapsed:?}");
                assert_eq!(
                    err.to_string(),
                    format!(
                        "{} ({method} {}) ran past its deadline of 400ms",
                        op.id, op.path
                    )
                );
            }
            assert_error_has_no_secrets(&err);
        }
    }
}

#[tokio::test]
async fn safe_request_recovers_after_transient_failures() {
    let server = Scripted::start(vec![
        json("503 Service Unavailable", "{}"),
        Step::Close,
        ok(),
    ])
    .await;
    let response = call(&client(&server.base_url), &LIST)
        .await
        .expect("third attempt succeeds");
    assert_eq!(response.data, vec![Customer { id: "cus_1".into() }]);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn post_is_not_retried_unless_the_call_opts_in() {
    let steps = vec![
        json("503 Service Unavailable", "{}"),
        json("502 Bad Gateway", "{}"),
        ok(),
    ];

    let server = Scripted::start(steps.clone()).await;
    let err = call(&client(&server.base_url), &CREATE)
        .await
        .expect_err("not retried by default");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(503)));
    assert_eq!(server.connections(), 1);

    let server = Scripted::start(steps).await;
    let opted_in = client(&server.base_url).with_options(RequestOptions::new().retry_unsafe(true));
    opted_in
        .execute::<Vec<Customer>, _>(&CREATE, CREATE_PATH, Payload::Json(&CREATE_REQUEST))
        .await
        .expect("retried until it succeeds");
    assert_eq!(server.connections(), 3);
    // The same body went out every time.
    let bodies: Vec<Vec<u8>> = server.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|body| body == &bodies[0]), "{bodies:?}");
    assert_eq!(
        bodies[0],
        br#"{"customer_id":"cus_1","redirect_url":"https://example.com/back"}"#
    );
}

#[tokio::test]
async fn attempts_are_configurable_per_client_and_per_call() {
    let failing = || vec![json("503 Service Unavailable", "{}")];

    let server = Scripted::start(failing()).await;
    let five = support::builder(&server.base_url)
        .request_options(support::fast_retries().max_attempts(5))
        .build()
        .map(|support::TestClient(runtime)| runtime)
        .expect("client builds");
    let err = call(&five, &LIST).await.expect_err("always 503");
    assert_eq!((err.attempts(), server.connections()), (5, 5));

    let server = Scripted::start(failing()).await;
    let base = support::builder(&server.base_url)
        .request_options(support::fast_retries().max_attempts(5))
        .build()
        .map(|support::TestClient(runtime)| runtime)
        .expect("client builds");
    let once = base.with_options(RequestOptions::new().max_attempts(1));
    let err = call(&once, &LIST).await.expect_err("always 503");
    assert_eq!((err.attempts(), server.connections()), (1, 1));
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Scripted::start(vec![
        reply(
            "429 Too Many Requests",
            &[("Retry-After", "1"), ("Content-Type", "application/json")],
            r#"{"status":"error","message":"Too many requests"}"#,
        ),
        ok(),
    ])
    .await;
    // `max_delay` also bounds how long a `Retry-After` may ask for.
    let runtime = client(&server.base_url)
        .with_options(RequestOptions::new().max_delay(Duration::from_secs(2)));
    let started = Instant::now();
    call(&runtime, &LIST)
        .await
        .expect("succeeds after the wait");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn retry_after_longer_than_max_delay_returns_at_once() {
    let server = Scripted::start(vec![reply(
        "503 Service Unavailable",
        &[("Retry-After", "120")],
        "down for maintenance",
    )])
    .await;
    let started = Instant::now();
    let err = call(&client(&server.base_url), &LIST)
        .await
        .expect_err("the wait is too long");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.connections(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.body(), Some("down for maintenance"));
}

#[tokio::test]
async fn deadline_stops_retries_before_a_sleep_would_pass_it() {
    // Every answer asks for a 1 s wait: attempt 1 at 0 s, attempt 2 at 1 s; a third would
    // start at 2 s, past the 1.5 s deadline, so the second error is returned at once.
    let server = Scripted::start(vec![reply(
        "503 Service Unavailable",
        &[("Retry-After", "1")],
        "busy",
    )])
    .await;
    let runtime = client(&server.base_url).with_options(
        RequestOptions::new()
            .max_attempts(10)
            .max_delay(Duration::from_secs(2))
            .deadline(Duration::from_millis(1500)),
    );
    let started = Instant::now();
    let err = call(&runtime, &LIST).await.expect_err("always 503");
    let elapsed = started.elapsed();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(503)));
    assert_eq!((err.attempts(), server.connections()), (2, 2));
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn deadline_cuts_an_attempt_in_progress() {
    // The first answer is a quick 503; the retry meets a server that never answers. The
    // per-attempt timeout (10 s) would wait far longer than the call's deadline.
    let server = Scripted::start(vec![json("503 Service Unavailable", "{}"), Step::Hang]).await;
    let runtime = client(&server.base_url).with_options(
        RequestOptions::new()
            .max_attempts(10)
            .deadline(Duration::from_millis(300)),
    );
    let started = Instant::now();
    let err = call(&runtime, &LIST).await.expect_err("deadline passes");
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_timeout());
    assert_eq!((err.attempts(), server.connections()), (2, 2));
    assert!(
        elapsed >= Duration::from_millis(280) && elapsed < Duration::from_secs(1),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn attempt_timeout_is_not_retried() {
    let server = Scripted::start(vec![Step::Hang]).await;
    let runtime = client(&server.base_url)
        .with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let err = call(&runtime, &LIST).await.expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!((err.attempts(), server.connections()), (1, 1));
    assert_eq!(
        err.to_string(),
        "customers.list (GET /customers) timed out after 200ms"
    );
}
