//! Hostile or odd input on the wire: empty lists reported as errors, invalid URL fields, and
//! every kind of error checked for leaked credentials.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use pabbly::__private::{Payload, Runtime};
use pabbly::{ClientBuilder, ErrorKind, RequestOptions};
use serde::Deserialize;
use serde_json::json;
use support::{
    API_KEY, BASIC, CREATE, CREATE_PATH, GET, LIST, LIST_PATH, SECRET_KEY, Scripted, Step,
    TestClient, assert_error_has_no_secrets, assert_no_secrets, client, get_path, json, reply,
};

#[derive(Debug, Deserialize)]
struct Customer {
    #[serde(rename = "id")]
    _id: String,
}

#[tokio::test]
async fn nothing_found_on_a_list_is_an_empty_page() {
    for status in ["200 OK", "400 Bad Request", "404 Not Found"] {
        let server = Scripted::start(vec![json(
            status,
            r#"{"status":"error","message":"No customers found"}"#,
        )])
        .await;
        let response = client(&server.base_url)
            .execute::<Vec<Customer>, _>(&LIST, LIST_PATH, Payload::none())
            .await
            .expect("an empty list, not an error");
        assert!(response.data.is_empty());
        assert_eq!(response.message.as_deref(), Some("No customers found"));
        assert_eq!(server.connections(), 1, "{status}: not retried");
    }
}

#[tokio::test]
async fn invalid_url_field_is_refused_before_sending() {
    let server = Scripted::start(vec![json("200 OK", "{}")]).await;
    let runtime = client(&server.base_url);
    for bad in [
        "/relative",
        "javascript:alert(1)",
        "not a url",
        "",
        // Pass the WHATWG parser, which strips them, but would be sent verbatim.
        "https://www.pabbly.com/\r\nSet-Cookie: a=b",
        "https://www.pab\tbly.com/",
        "https://www.pabbly.com/\0",
        " https://www.pabbly.com/",
    ] {
        let request = json!({"customer_id": "cus_1", "redirect_url": bad});
        let err = runtime
            .execute::<(), _>(&CREATE, CREATE_PATH, Payload::Json(&request))
            .await
            .expect_err(bad);
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{bad:?}");
        assert_eq!(err.attempts(), 0);
        let text = err.to_string();
        assert!(
            text.starts_with(
                "invalid request for portal_sessions.create: `redirect_url` must be an absolute http or https URL"
            ),
            "{text}"
        );
    }
    // Give a wrongly sent request time to arrive before counting.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn valid_url_field_is_sent() {
    let server = Scripted::start(vec![json(
        "200 OK",
        r#"{"status":"success","message":"created","data":null}"#,
    )])
    .await;
    let request = json!({"customer_id": "cus_1", "redirect_url": "https://www.pabbly.com/"});
    client(&server.base_url)
        .execute::<(), _>(&CREATE, CREATE_PATH, Payload::Json(&request))
        .await
        .expect("sent and accepted");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Basic {BASIC}").as_str())
    );
}

/// Calls `runtime` once against a server playing `step`; the call must fail.
async fn fail(step: Option<Step>, configure: impl FnOnce(&str) -> Runtime) -> pabbly::Error {
    let base = match step {
        Some(step) => Scripted::start(vec![step]).await.base_url,
        None => support::refused_base_url().await,
    };
    configure(&base)
        .execute::<Customer, _>(&GET, &get_path("hostile/path value"), Payload::none())
        .await
        .expect_err("the call fails")
}

#[tokio::test]
async fn no_kind_of_error_shows_credentials() {
    let standard = |base: &str| client(base);
    let envelope = r#"{"status":"error","message":"Invalid user api"}"#;
    let errors = vec![
        fail(None, standard).await,
        fail(Some(Step::Hang), |base| {
            client(base).with_options(RequestOptions::new().timeout(Duration::from_millis(100)))
        })
        .await,
        fail(Some(json("429 Too Many Requests", envelope)), standard).await,
        fail(Some(json("403 Forbidden", envelope)), standard).await,
        fail(Some(json("404 Not Found", envelope)), standard).await,
        fail(Some(json("200 OK", envelope)), standard).await,
        fail(Some(json("500 Internal Server Error", envelope)), standard).await,
        fail(
            Some(reply("418 I'm a teapot", &[], "short and stout")),
            standard,
        )
        .await,
        fail(Some(reply("200 OK", &[], "<html>oops</html>")), standard).await,
        fail(
            Some(reply(
                "307 Temporary Redirect",
                &[("Location", "/elsewhere")],
                "",
            )),
            standard,
        )
        .await,
        fail(Some(json("200 OK", &"x".repeat(2048))), |base| {
            support::builder(base)
                .max_response_bytes(1024)
                .build()
                .map(|TestClient(runtime)| runtime)
                .expect("client builds")
        })
        .await,
    ];
    let mut kinds: BTreeSet<String> = errors
        .iter()
        .map(|err| {
            assert_error_has_no_secrets(err);
            // The path value stays out of messages too: the URL is never printed.
            assert!(!err.to_string().contains("hostile"), "{err}");
            format!("{:?}", err.kind())
        })
        .collect();

    let path_err = client("http://127.0.0.1:9/api/v1")
        .execute::<(), _>(&GET, &get_path(".."), Payload::none())
        .await
        .expect_err("`..` is refused");
    let config_err = ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .base_url("https://user:pass@example.com")
        .build()
        .expect_err("credentials in the base URL are refused");
    for err in [&path_err, &config_err] {
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert_error_has_no_secrets(err);
        kinds.insert(format!("{:?}", err.kind()));
    }

    let expected: BTreeSet<String> = [
        "Transport",
        "Timeout",
        "RateLimited",
        "Unauthorized",
        "NotFound",
        "Api",
        "Server",
        "Redirect",
        "Status",
        "Decode",
        "TooLarge",
        "InvalidRequest",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(kinds, expected);
}

#[test]
fn debug_of_builder_client_and_options_shows_no_credentials() {
    let options = RequestOptions::new()
        .max_attempts(5)
        .retry_unsafe(true)
        .deadline(Duration::from_secs(9));
    let builder = ClientBuilder::<TestClient>::new(API_KEY, SECRET_KEY)
        .request_options(options.clone())
        .max_concurrent_requests(8);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().expect("client builds");
    let per_call = client.0.with_options(RequestOptions::new().max_attempts(1));
    for text in [
        builder_debug,
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{per_call:?}"),
        format!("{options:?}"),
    ] {
        assert_no_secrets(&text);
    }
    let text = format!("{per_call:?}");
    assert!(text.contains("<redacted>"), "{text}");
    assert!(text.contains("max_attempts: 1"), "{text}");
    assert!(text.contains("retry_unsafe: true"), "{text}");
    assert!(text.contains("max_concurrent_requests: 8"), "{text}");
}

/// A proxy or a broken server that echoes the request head puts the `Authorization` value
/// (and so the base64 of `key:secret`) into its answer: every text an error shows has it
/// replaced, and the rest of the answer stays readable.
#[tokio::test]
async fn an_answer_echoing_the_credentials_shows_them_nowhere() {
    #[derive(Debug, Deserialize)]
    enum Plan {
        Monthly,
    }
    let echoes = [
        Step::Echo {
            status_line: "500 Internal Server Error",
            json: false,
        },
        Step::Echo {
            status_line: "400 Bad Request",
            json: true,
        },
        Step::Echo {
            status_line: "200 OK",
            json: true,
        },
    ];
    for step in echoes {
        let server = Scripted::start(vec![step.clone()]).await;
        let err = client(&server.base_url)
            .execute::<Customer, _>(&GET, &get_path("cus_1"), Payload::none())
            .await
            .expect_err("the echo is an error");
        let sent = server.requests()[0]
            .header("authorization")
            .map(str::to_owned);
        assert_eq!(
            sent,
            Some(format!("Basic {BASIC}")),
            "the credential went out"
        );
        assert_error_has_no_secrets(&err);
        for text in [err.body(), err.api_message()].into_iter().flatten() {
            assert_no_secrets(text);
        }
        let body = err.body().expect("the body is kept");
        assert!(body.contains("authorization: Basic <redacted>"), "{body}");
        assert!(
            body.contains("GET /api/v1/customers/cus_1 HTTP/1.1"),
            "{body}"
        );
        let headers = err.headers().expect("headers are kept");
        let echoed = headers.get("x-echo-authorization").expect("header kept");
        assert_eq!(echoed.as_bytes(), b"Basic <redacted>", "{step:?}");
        assert!(echoed.is_sensitive());
    }

    // serde quotes a value it cannot place, in the detail and in the cause.
    let body = format!(r#"{{"status":"success","data":"{API_KEY}:{SECRET_KEY}"}}"#);
    let server = Scripted::start(vec![json("200 OK", &body)]).await;
    let err = client(&server.base_url)
        .execute::<Plan, _>(&GET, &get_path("cus_1"), Payload::none())
        .await
        .expect_err("not a plan");
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_error_has_no_secrets(&err);
    assert!(
        err.to_string()
            .contains("unknown variant `<redacted>:<redacted>`"),
        "{err}"
    );
    assert_no_secrets(err.body().unwrap_or_default());
}

/// A 10 MiB message keeps `Debug` as short as `Display`, saying how long the whole is.
#[tokio::test]
async fn debug_of_a_huge_answer_is_short() {
    let message = "m".repeat(10 * 1024 * 1024);
    let body = format!(r#"{{"status":"error","message":"{message}"}}"#);
    let server = Scripted::start(vec![json("400 Bad Request", &body)]).await;
    let err = support::builder(&server.base_url)
        .max_response_bytes(11 * 1024 * 1024)
        .build()
        .map(|TestClient(runtime)| runtime)
        .expect("client builds")
        .execute::<Customer, _>(&GET, &get_path("cus_1"), Payload::none())
        .await
        .expect_err("an API error");
    assert_eq!(err.api_message().map(str::len), Some(message.len()));
    for shown in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(shown.len() < 2_000, "{} bytes shown", shown.len());
    }
    let debug = format!("{err:?}");
    assert!(debug.contains("(10485760 bytes)"), "{debug}");
    assert!(
        debug.contains(&format!("({} bytes)", body.len())),
        "{debug}"
    );
}
