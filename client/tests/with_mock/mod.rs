//! The client a service's tests point at `pabbly-mock`, using public API only.

use std::time::Duration;

use pabbly::{Client, RequestOptions};
use pabbly_mock::MockServer;

/// A client of `server` whose retries wait a millisecond, not the default backoff.
pub(crate) fn client(server: &MockServer) -> Client {
    Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .request_options(RequestOptions::new().base_delay(Duration::from_millis(1)))
        .build()
        .expect("a valid configuration")
}
