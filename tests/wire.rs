//! The generated client on the wire: the exact request it sends for `POST /portal_sessions/` and
//! what it makes of every kind of answer, against a real loopback server.

mod support;

use std::path::Path;

use pabbly::ErrorKind;
use pabbly::portal_sessions::CreateRequest;
use support::OneShot;

const CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";
const KEY: &str = "test-api-key";
const SECRET: &str = "test-secret-key-do-not-leak";

/// The documented example response of `portal_sessions.create`, straight from the spec.
fn documented_response() -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/pabbly.yaml");
    let api = pabbly_spec::load(&spec, "spec/pabbly.yaml").expect("the spec loads");
    let op = api
        .operations()
        .find(|op| op.id == "portal_sessions.create")
        .expect("the operation exists");
    op.example_response
        .as_ref()
        .expect("an example")
        .to_string()
}

fn client(base_url: &str) -> pabbly::Client {
    pabbly::Client::builder(KEY, SECRET)
        .base_url(base_url)
        .build()
        .expect("a valid configuration")
}

#[tokio::test]
async fn create_sends_exact_request_and_decodes_documented_answer() {
    let server = OneShot::answer("200 OK", "application/json", &documented_response()).await;
    let base = format!("{}/api/v1", server.origin);
    let request = CreateRequest::new(CUSTOMER).redirect_url("https://www.pabbly.com/");

    let session = client(&base)
        .portal_sessions()
        .create(&request)
        .await
        .expect("success");
    let recorded = server.recorded().await;

    assert_eq!(
        recorded.request_line,
        "POST /api/v1/portal_sessions/ HTTP/1.1"
    );
    let expected_auth = format!(
        "Basic {}",
        "dGVzdC1hcGkta2V5OnRlc3Qtc2VjcmV0LWtleS1kby1ub3QtbGVhaw==" // base64("test-api-key:test-secret-key-do-not-leak")
    );
    assert_eq!(
        recorded.header("authorization"),
        Some(expected_auth.as_str())
    );
    assert_eq!(recorded.header("content-type"), Some("application/json"));
    assert_eq!(
        recorded.body,
        r#"{"customer_id":"5e5f50647c5aeb3675f416aa","redirect_url":"https://www.pabbly.com/"}"#
    );

    assert_eq!(
        session.message.as_deref(),
        Some("Portal token created successfully")
    );
    let data = session.data;
    assert_eq!(data.id, "5e5f56717c5aeb3675f416d1");
    assert_eq!(data.user_id, "5b961bc55dfff7797d9cd897");
    assert_eq!(data.customer_id, CUSTOMER);
    assert_eq!(data.status, "created");
    assert!(
        data.access_url
            .starts_with("https://payments.pabbly.com/portal/access/")
    );
    assert!(data.token.starts_with("$2b$10$"));
    assert_eq!(
        data.expires_at.to_rfc3339(),
        "2020-03-05T07:19:13.131+00:00"
    );
    assert_eq!(
        data.created_at.to_rfc3339(),
        "2020-03-04T07:19:13.685+00:00"
    );
    assert_eq!(data.updated_at, data.created_at);
}

#[tokio::test]
async fn optional_redirect_url_is_left_out_not_sent_as_null() {
    let server = OneShot::answer("200 OK", "application/json", &documented_response()).await;
    let base = format!("{}/api/v1/", server.origin); // a trailing slash must not double up

    client(&base)
        .portal_sessions()
        .create(&CreateRequest::new(CUSTOMER))
        .await
        .expect("success");
    let recorded = server.recorded().await;

    assert_eq!(
        recorded.request_line,
        "POST /api/v1/portal_sessions/ HTTP/1.1"
    );
    assert_eq!(
        recorded.body,
        r#"{"customer_id":"5e5f50647c5aeb3675f416aa"}"#
    );
}

async fn failure(status: &str, content_type: &str, body: &str) -> pabbly::Error {
    let server = OneShot::answer(status, content_type, body).await;
    let base = format!("{}/api/v1", server.origin);
    let error = client(&base)
        .portal_sessions()
        .create(&CreateRequest::new(CUSTOMER))
        .await
        .expect_err("the call fails");
    server.recorded().await;
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SECRET), "the secret leaked: {shown}");
    assert!(!shown.contains(KEY), "the API key leaked: {shown}");
    error
}

#[tokio::test]
async fn error_envelope_on_http_200_is_an_api_error() {
    let error = failure(
        "200 OK",
        "application/json",
        r#"{"status":"error","message":"Customer not found"}"#,
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.api_message(), Some("Customer not found"));
    assert!(error.to_string().contains("Customer not found"), "{error}");
}

#[tokio::test]
async fn failed_status_with_data_is_an_api_error() {
    let body = r#"{"status":"failed","message":"Payment declined","data":{"id":"x"}}"#;
    let error = failure("200 OK", "application/json", body).await;
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.api_message(), Some("Payment declined"));
    assert_eq!(error.body(), Some(body));
}

#[tokio::test]
async fn forbidden_is_unauthorized_with_pabblys_message() {
    let error = failure(
        "403 Forbidden",
        "application/json",
        r#"{"status":"error","message":"Invalid user api"}"#,
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.api_message(), Some("Invalid user api"));
}

#[tokio::test]
async fn server_error_with_html_body_keeps_the_body() {
    let html = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(100));
    let error = failure("502 Bad Gateway", "text/html", &html).await;
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.body(), Some(html.as_str()));
    let line = error.to_string();
    assert!(!line.contains('\n'), "Display is one line: {line}");
    assert!(line.len() < html.len(), "Display shortens the body: {line}");
}

#[tokio::test]
async fn truncated_body_is_a_decode_error_with_the_raw_body() {
    let whole = documented_response();
    let cut = &whole[..whole.len() / 2];
    let error = failure("200 OK", "application/json", cut).await;
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.body(), Some(cut));
}

#[tokio::test]
async fn body_shorter_than_its_content_length_is_an_error_not_a_hang() {
    let response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n{\"status\":\"succ".to_vec();
    let server = OneShot::raw(response).await;
    let base = format!("{}/api/v1", server.origin);
    let error = client(&base)
        .portal_sessions()
        .create(&CreateRequest::new(CUSTOMER))
        .await
        .expect_err("the call fails");
    server.recorded().await;
    assert!(
        matches!(error.kind(), ErrorKind::Transport | ErrorKind::Decode),
        "unexpected kind {:?}: {error}",
        error.kind()
    );
}

#[test]
fn client_debug_hides_credentials() {
    let client = client("http://127.0.0.1:9/api/v1");
    let shown = format!("{client:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
}
