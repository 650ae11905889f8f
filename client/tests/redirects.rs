//! A server that answers with a redirect: never followed, for any method, and never retried.
//! The request goes to the first host only; the error names the status and where it pointed.

mod support;

use pabbly::__private::{Envelope, Method, Operation, Payload, Root, Segment};
use pabbly::ErrorKind;
use serde_json::json;
use support::{
    CREATE, CREATE_PATH, GET, Scripted, assert_error_has_no_secrets, client, fast_retries,
    get_path, ok, reply,
};

static UPDATE: Operation = Operation {
    id: "customers.update",
    method: Method::Put,
    path: "/customer/{customer_id}",
    root: Root::BASE,
    envelope: Envelope::Data,
    list: false,
    url_fields: &[],
    bounds: &[],
    repeat_safe: true,
};

static DELETE: Operation = Operation {
    id: "customers.delete",
    method: Method::Delete,
    path: "/customers/{customer_id}",
    root: Root::BASE,
    envelope: Envelope::Data,
    list: false,
    url_fields: &[],
    bounds: &[],
    repeat_safe: true,
};

const REDIRECTS: [&str; 5] = [
    "301 Moved Permanently",
    "302 Found",
    "303 See Other",
    "307 Temporary Redirect",
    "308 Permanent Redirect",
];

/// Calls `op` once through a client that may retry anything, against `server`.
async fn call(server: &Scripted, op: &'static Operation) -> pabbly::Error {
    let runtime =
        client(&server.base_url).with_options(fast_retries().retry_unsafe(true).max_attempts(3));
    let body = json!({"customer_id": "cus_1", "email": "someone@example.com"});
    let customers = get_path("cus_1");
    let result = match op.method {
        Method::Get => {
            runtime
                .execute::<(), _>(
                    op,
                    &customers,
                    Payload::Query(&json!({"email": "someone@example.com"})),
                )
                .await
        }
        Method::Delete => {
            runtime
                .execute::<(), _>(op, &customers, Payload::none())
                .await
        }
        Method::Put => {
            let customer = [
                Segment::Literal("customer"),
                Segment::Value("customer_id", "cus_1"),
            ];
            runtime
                .execute::<(), _>(op, &customer, Payload::Json(&body))
                .await
        }
        _ => {
            runtime
                .execute::<(), _>(op, CREATE_PATH, Payload::Json(&body))
                .await
        }
    };
    result.expect_err("a redirect is an error")
}

#[tokio::test]
async fn a_redirect_is_reported_for_every_method_and_nothing_reaches_the_other_host() {
    let elsewhere = Scripted::start(vec![ok()]).await;
    let target = format!("{}/stolen?from=redirect", elsewhere.base_url);
    for op in [&GET, &CREATE, &UPDATE, &DELETE] {
        for status_line in REDIRECTS {
            let server =
                Scripted::start(vec![reply(status_line, &[("Location", &target)], "")]).await;
            let err = call(&server, op).await;
            let status: u16 = status_line[..3].parse().expect("numeric status");
            let method = match op.method {
                Method::Get => "GET",
                Method::Post => "POST",
                Method::Put => "PUT",
                _ => "DELETE",
            };
            assert_eq!(err.kind(), ErrorKind::Redirect, "{method} {status}: {err}");
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.attempts(), 1, "{method} {status}: not retried");
            assert_eq!(server.connections(), 1, "{method} {status}: one request");
            assert_eq!(
                err.to_string(),
                format!(
                    "HTTP {status_line} from {method} {}: redirected to `{target}`, not followed",
                    op.path
                )
            );
            let location = err.headers().and_then(|h| h.get("location"));
            assert_eq!(location.map(|v| v.as_bytes()), Some(target.as_bytes()));
            assert_error_has_no_secrets(&err);
        }
    }
    assert_eq!(
        elsewhere.connections(),
        0,
        "nothing was sent to the other host"
    );
}

/// A server whose every answer is "ask this same URL again".
async fn redirect_loop() -> Scripted {
    Scripted::start(vec![reply(
        "302 Found",
        &[("Location", "/api/v1/customers/cus_1")],
        "",
    )])
    .await
}

#[tokio::test]
async fn a_redirect_loop_is_one_request() {
    let server = redirect_loop().await;
    let err = client(&server.base_url)
        .with_options(fast_retries().max_attempts(5))
        .execute::<(), _>(&GET, &get_path("cus_1"), Payload::none())
        .await
        .expect_err("a redirect is an error");
    assert_eq!(err.kind(), ErrorKind::Redirect);
    assert_eq!((err.attempts(), server.connections()), (1, 1));
    let shown = err.to_string();
    assert!(
        shown.ends_with("redirected to `/api/v1/customers/cus_1`, not followed"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_redirect_without_location_is_reported_too() {
    let server = Scripted::start(vec![reply("302 Found", &[], "")]).await;
    let err = call(&server, &CREATE).await;
    assert_eq!(err.kind(), ErrorKind::Redirect);
    assert_eq!(
        err.to_string(),
        "HTTP 302 Found from POST /portal_sessions/: a redirect without a `Location`, not followed"
    );
}

/// A caller-supplied HTTP client may follow redirects; its "too many redirects" is no lost
/// connection, so the call is not tried again (it was, three times over).
#[tokio::test]
async fn a_loop_followed_by_a_callers_http_client_is_not_retried() {
    let server = redirect_loop().await;
    let follows = pabbly::reqwest::Client::builder()
        .tls_backend_preconfigured(pabbly::tls_config().expect("TLS settings"))
        .redirect(pabbly::reqwest::redirect::Policy::limited(3))
        .build()
        .expect("HTTP client builds");
    let err = support::builder(&server.base_url)
        .http_client(follows)
        .build()
        .map(|support::TestClient(runtime)| runtime)
        .expect("client builds")
        .with_options(fast_retries().max_attempts(3))
        .execute::<(), _>(&GET, &get_path("cus_1"), Payload::none())
        .await
        .expect_err("too many redirects");
    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert_eq!(err.attempts(), 1);
    // The first request and the three redirects reqwest followed: one call's worth.
    assert_eq!(server.connections(), 4);
    assert_error_has_no_secrets(&err);
}
