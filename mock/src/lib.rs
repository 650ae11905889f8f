//! A loopback server that answers like Pabbly, driven by the same spec as the client: what
//! stripe-mock is for Stripe.
//!
//! It serves every operation of the spec at its exact method and path under `/api/v1` (or the
//! root the operation declares), checks HTTP Basic credentials as Pabbly does, validates requests
//! against the spec and answers with the spec's example responses (sampled from the types where
//! the docs show none), echoing ids from the request where the answer shows them. Tests inject
//! [`Fault`]s per route — an error status, a delay, a broken body, a dropped connection —, set
//! canned answers per route ([`Stub`], checked against the spec's response types), count the
//! requests each route received and read them back ([`MockServer::requests`]).
//!
//! ```
//! use pabbly_mock::{Fault, MockServer, Options};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), pabbly_mock::MockError> {
//! // Fail twice with 503, then answer normally.
//! let options = Options::default().fault("portal_sessions.create", Fault::status(503).times(2));
//! let server = MockServer::start_with(options).await?;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! // … point a client at server.base_url() …
//! assert_eq!(server.hits("portal_sessions.create"), 0);
//! server.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! The `pabbly-mock` binary serves the same from the command line; `pabbly-mock --help` lists
//! its options.

mod background;
mod fault;
mod journal;
mod respond;
mod route;
mod serve;
mod stub;
mod webhook;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use pabbly_spec::ir::Api;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use background::BackgroundMockServer;
pub use fault::Fault;
pub use journal::{JOURNAL_CAPACITY, Received};
pub use stub::Stub;
pub use webhook::{Delivery, event_types, sample_event, send_event, send_json};

use route::Routes;

/// The spec the mock serves: the one the `pabbly` client is generated from.
const SPEC: &str = include_str!("../../spec/pabbly.yaml");

/// The spec, loaded once per process: test suites start many servers.
fn api() -> Result<&'static Api, MockError> {
    static API: OnceLock<Result<Api, String>> = OnceLock::new();
    API.get_or_init(|| pabbly_spec::load_str(SPEC, "spec/pabbly.yaml").map_err(|d| d.to_string()))
        .as_ref()
        .map_err(|diagnostics| MockError::Spec(diagnostics.clone()))
}

/// One route the mock serves.
///
/// ```
/// let routes = pabbly_mock::routes()?;
/// let portal = routes.iter().find(|r| r.operation == "portal_sessions.create");
/// assert_eq!(portal.map(|r| (r.method, r.path.as_str())), Some(("POST", "/api/v1/portal_sessions/")));
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// The full path template, placeholders written `{name}`, e.g. `/api/v1/portal_sessions/`.
    pub path: String,
    /// The operation id, e.g. `portal_sessions.create`: how faults and hits name the route.
    pub operation: String,
}

/// Every route the mock serves, in spec order.
///
/// ```
/// for route in pabbly_mock::routes()? {
///     println!("{} {} {}", route.method, route.path, route.operation);
/// }
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
///
/// # Errors
/// When the spec does not load.
pub fn routes() -> Result<Vec<Route>, MockError> {
    let routes = Routes::new(api()?);
    Ok(routes
        .iter()
        .map(|(op, path)| Route {
            method: op.method.as_str(),
            path: path.to_owned(),
            operation: op.id.clone(),
        })
        .collect())
}

/// Why the mock could not start, or could not take a fault.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pabbly_mock::{Fault, MockError, MockServer, Options};
///
/// let options = Options::default().fault("portal_sessions.frobnicate", Fault::status(503));
/// match MockServer::start_with(options).await {
///     Err(MockError::UnknownRoute(route)) => assert_eq!(route, "portal_sessions.frobnicate"),
///     other => panic!("expected an unknown route, got {other:?}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum MockError {
    /// The spec does not load (its diagnostics, one per line).
    Spec(String),
    /// The loopback socket could not be bound.
    Bind(std::io::Error),
    /// The thread of a [`BackgroundMockServer`] could not be started.
    Thread(std::io::Error),
    /// A fault names a route that is neither an operation id nor `METHOD /path` of the spec.
    UnknownRoute(String),
    /// A fault that cannot be served or parsed, with the reason.
    Fault(String),
    /// A stub that cannot be parsed or does not match the operation's response type, with the
    /// reason.
    Stub(String),
    /// A webhook event type the spec does not list.
    UnknownEvent(String),
    /// A webhook event could not be delivered, with the reason.
    Delivery(String),
}

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MockError::Spec(diagnostics) => write!(f, "the mock's spec is invalid:\n{diagnostics}"),
            MockError::Bind(error) => write!(f, "cannot bind the mock to 127.0.0.1: {error}"),
            MockError::Thread(error) => write!(f, "cannot start the mock's thread: {error}"),
            MockError::UnknownRoute(route) => write!(
                f,
                "unknown route `{route}`: give an operation id such as `portal_sessions.create` \
                 or `METHOD /path` such as `POST /portal_sessions/`"
            ),
            MockError::UnknownEvent(event_type) => write!(
                f,
                "unknown webhook event type `{event_type}`: `event_types()` lists the spec's"
            ),
            MockError::Fault(why) | MockError::Stub(why) | MockError::Delivery(why) => {
                f.write_str(why)
            }
        }
    }
}

impl std::error::Error for MockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MockError::Bind(error) | MockError::Thread(error) => Some(error),
            _ => None,
        }
    }
}

/// How the mock behaves; [`Options::default`] picks a free port, accepts any non-empty
/// credentials, injects no fault and logs nothing.
///
/// ```
/// use pabbly_mock::{Fault, Options};
///
/// let options = Options::default()
///     .credentials("my-key", "my-secret")
///     .fault("POST /portal_sessions/", Fault::drop_connection().times(1))
///     .log(true);
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct Options {
    credentials: Option<(String, String)>,
    port: u16,
    faults: Vec<(String, Fault)>,
    stubs: Vec<(String, Stub)>,
    log: bool,
    body_timeout: Duration,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Even a test pair is a credential: it is not printed.
        let credentials = self.credentials.as_ref().map(|_| "<redacted>");
        f.debug_struct("Options")
            .field("credentials", &credentials)
            .field("port", &self.port)
            .field("faults", &self.faults)
            .field("stubs", &self.stubs)
            .field("log", &self.log)
            .field("body_timeout", &self.body_timeout)
            .finish()
    }
}

/// How long a request's whole body may take to arrive by default.
const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Options {
    fn default() -> Self {
        Self {
            credentials: None,
            port: 0,
            faults: Vec::new(),
            stubs: Vec::new(),
            log: false,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }
}

impl Options {
    /// Accepts only this API key and secret key (otherwise any non-empty pair is accepted).
    ///
    /// ```
    /// let options = pabbly_mock::Options::default().credentials("my-key", "my-secret");
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn credentials(
        mut self,
        api_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials = Some((api_key.into(), secret_key.into()));
        self
    }

    /// Listens on this port of 127.0.0.1 (default 0: a free port chosen by the system).
    ///
    /// ```
    /// let options = pabbly_mock::Options::default().port(12111);
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Injects `fault` on `route`: an operation id (`portal_sessions.create`) or `METHOD /path`
    /// with the spec's path template (`POST /portal_sessions/`; where operations share one, it
    /// names the first, so name the others by id). Faults on one route apply in the order given,
    /// each for its [`times`](Fault::times); [`MockServer::start_with`] rejects an unknown route.
    ///
    /// ```
    /// use pabbly_mock::{Fault, Options};
    ///
    /// // A 503, then a dropped connection, then normal answers.
    /// let options = Options::default()
    ///     .fault("portal_sessions.create", Fault::status(503).times(1))
    ///     .fault("portal_sessions.create", Fault::drop_connection().times(1));
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn fault(mut self, route: impl Into<String>, fault: Fault) -> Self {
        self.faults.push((route.into(), fault));
        self
    }

    /// Answers `route` (as for [`fault`](Self::fault)) with `stub` instead of its example. Stubs
    /// on one route apply in the order given, each for its [`times`](Stub::times);
    /// [`MockServer::start_with`] rejects an unknown route or a stub that does not match the
    /// operation's response type.
    ///
    /// ```
    /// use pabbly_mock::{Options, Stub};
    /// use serde_json::json;
    ///
    /// // The first list answers two subscriptions, later ones the documented example.
    /// let options = Options::default().stub(
    ///     "subscriptions.list",
    ///     Stub::data(&json!([
    ///         {"setup_fee": 49.0, "currency_symbol": "$"},
    ///         {"setup_fee": 0, "currency_symbol": "€"},
    ///     ]))
    ///     .times(1),
    /// );
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn stub(mut self, route: impl Into<String>, stub: Stub) -> Self {
        self.stubs.push((route.into(), stub));
        self
    }

    /// Writes one line per request to stderr: method, path, status, latency and any fault.
    /// Headers, query strings and bodies are never logged, so neither are credentials.
    ///
    /// ```
    /// let options = pabbly_mock::Options::default().log(true);
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn log(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// How long a request's whole body may take to arrive once its headers are in (default
    /// 30 s; the headers themselves get 30 s too). A slower request is answered with 408 and
    /// its connection closed, so a client trickling bytes cannot hold a connection open. A
    /// request declaring a body over 1 MiB in `Content-Length` is answered with 413 before any
    /// of it is read.
    ///
    /// ```
    /// let options = pabbly_mock::Options::default().body_timeout(std::time::Duration::from_secs(5));
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn body_timeout(mut self, body_timeout: Duration) -> Self {
        self.body_timeout = body_timeout;
        self
    }
}

/// State shared by a running mock's connections.
pub(crate) struct State {
    pub(crate) api: &'static Api,
    pub(crate) routes: Routes,
    pub(crate) credentials: Option<(String, String)>,
    pub(crate) log: bool,
    pub(crate) body_timeout: Duration,
    /// Requests received, by operation index.
    pub(crate) hits: Vec<AtomicUsize>,
    /// Faults still to apply, by operation index, front first.
    faults: Mutex<Vec<VecDeque<Queued<Fault>>>>,
    /// Canned bodies still to serve, by operation index, front first.
    stubs: Mutex<Vec<VecDeque<Queued<String>>>>,
    /// The last [`JOURNAL_CAPACITY`] requests, by operation index.
    journal: Mutex<Vec<VecDeque<Received>>>,
}

/// Something served for the next `times` requests of a route, or for all of them.
#[derive(Debug)]
pub(crate) struct Queued<T> {
    item: T,
    times: Option<usize>,
}

/// The front item of `queue`, counted against its `times`.
fn take_front<T: Clone>(queue: &mut VecDeque<Queued<T>>) -> Option<T> {
    let front = queue.front_mut()?;
    let item = front.item.clone();
    if let Some(left) = &mut front.times {
        *left = left.saturating_sub(1);
        if *left == 0 {
            queue.pop_front();
        }
    }
    Some(item)
}

/// Locks a mutex whose data a panic elsewhere cannot leave half-updated, so poisoning is moot.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// The fault for the next request to operation `index`, counting it against its `times`.
    pub(crate) fn take_fault(&self, index: usize) -> Option<Fault> {
        self.faults().get_mut(index).and_then(take_front)
    }

    /// The canned body for the next request to operation `index`, counting it.
    pub(crate) fn take_stub(&self, index: usize) -> Option<String> {
        lock(&self.stubs).get_mut(index).and_then(take_front)
    }

    /// Records a request to operation `index`, forgetting the oldest beyond the capacity.
    pub(crate) fn record(&self, index: usize, request: Received) {
        if let Some(queue) = lock(&self.journal).get_mut(index) {
            if queue.len() == JOURNAL_CAPACITY {
                queue.pop_front();
            }
            queue.push_back(request);
        }
    }

    fn add_stub(&self, route: &str, stub: Stub) -> Result<(), MockError> {
        let index = self
            .routes
            .resolve(route)
            .ok_or_else(|| MockError::UnknownRoute(route.to_owned()))?;
        let (op, _) = self
            .routes
            .iter()
            .nth(index)
            .ok_or_else(|| MockError::UnknownRoute(route.to_owned()))?;
        let body = stub.resolve(self.api, op)?.to_string();
        if stub.times == Some(0) {
            return Ok(());
        }
        if let Some(queue) = lock(&self.stubs).get_mut(index) {
            queue.push_back(Queued {
                item: body,
                times: stub.times,
            });
        }
        Ok(())
    }

    fn add_fault(&self, route: &str, fault: Fault) -> Result<(), MockError> {
        let index = self
            .routes
            .resolve(route)
            .ok_or_else(|| MockError::UnknownRoute(route.to_owned()))?;
        fault.validate()?;
        if fault.times == Some(0) {
            return Ok(());
        }
        if let Some(queue) = self.faults().get_mut(index) {
            queue.push_back(Queued {
                times: fault.times,
                item: fault,
            });
        }
        Ok(())
    }

    fn faults(&self) -> MutexGuard<'_, Vec<VecDeque<Queued<Fault>>>> {
        lock(&self.faults)
    }
}

/// A running mock server; stopped by [`MockServer::stop`] or, abruptly, when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pabbly_mock::MockError> {
/// let server = pabbly_mock::MockServer::start().await?;
/// println!("mock at {}", server.base_url());
/// server.stop().await;
/// # Ok(())
/// # }
/// ```
pub struct MockServer {
    address: SocketAddr,
    base_url: String,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    // The state holds the accepted credentials: not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .field("running", &self.task.is_some())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a mock of the whole API on a free loopback port, with default [`Options`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When the socket cannot be bound.
    pub async fn start() -> Result<Self, MockError> {
        Self::start_with(Options::default()).await
    }

    /// Starts a mock with `options`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// use pabbly_mock::{MockServer, Options};
    ///
    /// let server = MockServer::start_with(Options::default().credentials("key", "secret")).await?;
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When the socket cannot be bound, or a fault names an unknown route or an impossible status.
    pub async fn start_with(options: Options) -> Result<Self, MockError> {
        let api = api()?;
        let routes = Routes::new(api);
        let operations = routes.len();
        let state = State {
            api,
            credentials: options.credentials,
            log: options.log,
            body_timeout: options.body_timeout,
            hits: (0..operations).map(|_| AtomicUsize::new(0)).collect(),
            faults: Mutex::new((0..operations).map(|_| VecDeque::new()).collect()),
            stubs: Mutex::new((0..operations).map(|_| VecDeque::new()).collect()),
            journal: Mutex::new((0..operations).map(|_| VecDeque::new()).collect()),
            routes,
        };
        for (route, fault) in options.faults {
            state.add_fault(&route, fault)?;
        }
        for (route, stub) in options.stubs {
            state.add_stub(&route, stub)?;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
            .await
            .map_err(MockError::Bind)?;
        let address = listener.local_addr().map_err(MockError::Bind)?;
        let base_url = format!("http://{address}{}", state.routes.prefix);
        let state = Arc::new(state);
        let (shutdown, stop) = oneshot::channel();
        let task = tokio::spawn(serve::run(listener, Arc::clone(&state), stop));
        Ok(Self {
            address,
            base_url,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234/api/v1`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// assert!(server.base_url().ends_with("/api/v1"));
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the server listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// assert!(server.address().ip().is_loopback());
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// How many requests `route` (an operation id or `METHOD /path`, as for
    /// [`Options::fault`]) has received, whatever they were answered with; 0 for an unknown
    /// route.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// assert_eq!(server.hits("portal_sessions.create"), 0);
    /// assert_eq!(server.hits("POST /portal_sessions/"), 0);
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn hits(&self, route: &str) -> usize {
        self.state
            .routes
            .resolve(route)
            .and_then(|index| self.state.hits.get(index))
            .map_or(0, |hits| hits.load(Ordering::SeqCst))
    }

    /// Injects `fault` on `route` of the running server, after any faults already queued there
    /// (see [`Options::fault`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// use pabbly_mock::{Fault, MockServer};
    ///
    /// let server = MockServer::start().await?;
    /// server.fault("portal_sessions.create", Fault::status(500).times(1))?;
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When the route is unknown or the fault's status is impossible.
    pub fn fault(&self, route: &str, fault: Fault) -> Result<(), MockError> {
        self.state.add_fault(route, fault)
    }

    /// Answers `route` of the running server with `stub`, after any stubs already queued there
    /// (see [`Options::stub`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// use pabbly_mock::{MockServer, Stub};
    ///
    /// let server = MockServer::start().await?;
    /// server.stub("customers.list", Stub::data(&serde_json::json!([])))?;
    /// // A stub the client could not decode is refused, with the field at fault.
    /// let wrong = Stub::data(&serde_json::json!([{"setup_fee": "forty-nine"}]));
    /// let wrong = server.stub("subscriptions.list", wrong);
    /// assert!(wrong.is_err());
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When the route is unknown or the stub does not match the operation's response type.
    pub fn stub(&self, route: &str, stub: Stub) -> Result<(), MockError> {
        self.state.add_stub(route, stub)
    }

    /// The requests `route` (as for [`hits`](Self::hits)) received, oldest first: the last
    /// [`JOURNAL_CAPACITY`] of them, credentials removed (see [`Received`]). Empty for an
    /// unknown route.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// assert!(server.requests("subscriptions.list").is_empty());
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self, route: &str) -> Vec<Received> {
        self.state
            .routes
            .resolve(route)
            .and_then(|index| lock(&self.state.journal).get(index).cloned())
            .map(Vec::from)
            .unwrap_or_default()
    }

    /// Removes every fault still queued, so later requests get normal answers.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// use pabbly_mock::{Fault, MockServer};
    ///
    /// let server = MockServer::start().await?;
    /// server.fault("portal_sessions.create", Fault::status(503))?;
    /// server.clear_faults();
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_faults(&self) {
        self.state.faults().iter_mut().for_each(VecDeque::clear);
    }

    /// Removes every stub still queued, so later requests get the examples.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// use pabbly_mock::{MockServer, Stub};
    ///
    /// let server = MockServer::start().await?;
    /// server.stub("customers.list", Stub::data(&serde_json::json!([])))?;
    /// server.clear_stubs();
    /// # server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_stubs(&self) {
        lock(&self.state.stubs).iter_mut().for_each(VecDeque::clear);
    }

    /// Stops the server: the port is free when this returns; requests in flight get up to two
    /// seconds to finish.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pabbly_mock::MockError> {
    /// let server = pabbly_mock::MockServer::start().await?;
    /// let address = server.address();
    /// server.stop().await;
    /// assert!(std::net::TcpListener::bind(address).is_ok());
    /// # Ok(())
    /// # }
    /// ```
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
            // Drop cannot wait for a graceful stop; aborting also closes every connection.
            task.abort();
        }
    }
}
