//! A loopback server that answers like Pabbly, driven by the same spec as the client.
//!
//! It serves every operation of the spec at its exact method and path under `/api/v1`, checks
//! HTTP Basic credentials as Pabbly does, validates requests against the spec and answers with the
//! spec's example responses, echoing ids from the request where the example shows them.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), pabbly_mock::MockError> {
//! let server = pabbly_mock::MockServer::start().await?;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! server.stop().await;
//! # Ok(())
//! # }
//! ```

mod respond;
mod route;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use pabbly_spec::ir::Api;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The spec the mock serves by default: the one the `pabbly` client is generated from.
const SPEC: &str = include_str!("../../spec/pabbly.yaml");

/// The path prefix of Pabbly's v1 API, kept so clients use a realistic base URL.
pub const API_PREFIX: &str = "/api/v1";

/// Why the mock could not start.
#[derive(Debug)]
pub enum MockError {
    /// The spec does not load (its diagnostics, one per line).
    Spec(String),
    /// The loopback socket could not be bound.
    Bind(std::io::Error),
}

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MockError::Spec(diagnostics) => write!(f, "the mock's spec is invalid:\n{diagnostics}"),
            MockError::Bind(error) => write!(f, "cannot bind the mock to 127.0.0.1: {error}"),
        }
    }
}

impl std::error::Error for MockError {}

/// How the mock behaves; [`Options::default`] accepts any non-empty credentials.
#[derive(Clone, Debug, Default)]
pub struct Options {
    credentials: Option<(String, String)>,
    port: u16,
}

impl Options {
    /// Accepts only this API key and secret key (otherwise any non-empty pair is accepted).
    #[must_use]
    pub fn credentials(
        mut self,
        api_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials = Some((api_key.into(), secret_key.into()));
        self
    }

    /// Listens on this port of 127.0.0.1 (default: a free port chosen by the system).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// Shared, read-only state of a running mock.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) api: Api,
    pub(crate) options: Options,
}

/// A running mock server; stopped by [`MockServer::stop`] or when dropped.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a mock of the whole API on a free loopback port, with default [`Options`].
    ///
    /// # Errors
    /// When the socket cannot be bound.
    pub async fn start() -> Result<Self, MockError> {
        Self::start_with(Options::default()).await
    }

    /// Starts a mock with `options`.
    ///
    /// # Errors
    /// When the socket cannot be bound.
    pub async fn start_with(options: Options) -> Result<Self, MockError> {
        let api = pabbly_spec::load_str(SPEC, "spec/pabbly.yaml")
            .map_err(|d| MockError::Spec(d.to_string()))?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
            .await
            .map_err(MockError::Bind)?;
        let address = listener.local_addr().map_err(MockError::Bind)?;
        let state = Arc::new(State { api, options });
        let app = axum::Router::new()
            .fallback(respond::handle)
            .with_state(state);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                // A dropped sender also stops the server.
                let _ = stopped.await;
            });
            // The only error is the listener failing; a test then sees refused connections.
            let _ = serve.await;
        });
        Ok(Self {
            address,
            base_url: format!("http://{address}{API_PREFIX}"),
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops the server and waits until it no longer accepts connections.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            // Open keep-alive connections would hold a graceful shutdown; a drop is not graceful.
            task.abort();
        }
    }
}
