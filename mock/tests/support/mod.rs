//! What every test file needs: an HTTP client and the portal-session request the spec documents.

// Each test file compiles this module on its own and uses a different part of it.
#![allow(dead_code)]

use pabbly_mock::MockServer;

/// The operation every test drives: in the spec from the start, with a body and an echoed id.
pub(crate) const CREATE: &str = "portal_sessions.create";

/// A client that ignores proxy settings, so requests reach the loopback server.
pub(crate) fn http() -> reqwest::Client {
    http_builder().build().expect("a client")
}

/// The builder of [`http`], for a client with other settings: the TLS settings `pabbly` uses
/// (reqwest has no crypto provider of its own in this workspace) and no proxy.
pub(crate) fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .tls_backend_preconfigured(pabbly::tls_config().expect("TLS settings"))
        .no_proxy()
}

/// The URL of `path` (relative to the API prefix) on `server`.
pub(crate) fn url(server: &MockServer, path: &str) -> String {
    format!("{}{path}", server.base_url())
}

/// POSTs `body` as JSON to the portal-session route with valid credentials.
pub(crate) async fn create(
    server: &MockServer,
    body: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    http()
        .post(url(server, "/portal_sessions/"))
        .basic_auth("test-key", Some("test-secret"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
}

/// Status and parsed JSON body of a response.
pub(crate) async fn json(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}
