//! What the mock received, per route, for tests to assert on: method, path, query, headers
//! (without credentials) and body.

use hyper::HeaderMap;
use hyper::header;

/// Requests kept per route, most recent last; older ones are forgotten (the hit count keeps
/// counting), so a long-running mock's memory stays bounded.
pub const JOURNAL_CAPACITY: usize = 1_000;

/// Headers never recorded: they carry credentials.
const CREDENTIAL_HEADERS: [header::HeaderName; 3] = [
    header::AUTHORIZATION,
    header::PROXY_AUTHORIZATION,
    header::COOKIE,
];

/// One request as the mock received it, from [`MockServer::requests`](crate::MockServer::requests).
///
/// The `Authorization`, `Proxy-Authorization` and `Cookie` headers are left out, so a journal
/// can be printed in a failing test without showing credentials.
///
/// ```
/// # async fn example(server: &pabbly_mock::MockServer) {
/// for request in server.requests("subscriptions.list") {
///     assert_eq!(request.query("status"), Some("live"));
///     assert_eq!(request.header("authorization"), None);
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The path as sent, still percent-encoded, e.g. `/api/v1/customer/cus_1`.
    pub path: String,
    /// The query's `name=value` pairs in order, percent-decoded.
    pub query: Vec<(String, String)>,
    /// The headers in order, names in lower case, without credentials.
    pub headers: Vec<(String, String)>,
    /// The body as text (bytes that are not UTF-8 replaced by U+FFFD); empty without one.
    pub body: String,
}

impl Received {
    pub(crate) fn new(
        method: &str,
        path: &str,
        query: Vec<(String, String)>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let headers = headers
            .iter()
            .filter(|(name, _)| !CREDENTIAL_HEADERS.contains(name))
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// The first value of query parameter `name`.
    ///
    /// ```
    /// fn limit(request: &pabbly_mock::Received) -> Option<u32> {
    ///     request.query("limit")?.parse().ok()
    /// }
    /// ```
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of header `name` (case-insensitive).
    ///
    /// ```
    /// fn request_id(request: &pabbly_mock::Received) -> Option<&str> {
    ///     request.header("X-Request-Id")
    /// }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body parsed as JSON; `None` when it is empty or not JSON.
    ///
    /// ```
    /// fn cancels_at_end(request: &pabbly_mock::Received) -> bool {
    ///     request.json().is_some_and(|body| body["cancel_at_end"] == "true")
    /// }
    /// ```
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}
