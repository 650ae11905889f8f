//! Configuring and building a client.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use tokio::sync::Semaphore;
use url::Url;

use crate::error::Error;
use crate::observe::Observer;
use crate::options::{Policy, RequestOptions};
use crate::path;
use crate::runtime::{Config, Runtime};
use crate::secret::{self, Redaction, Secret};
use crate::tls::tls_config;

const DEFAULT_BASE_URL: &str = "https://payments.pabbly.com/api/v1";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Enough parallel calls to keep a bulk sync busy, few enough that a burst of thousands of
/// calls does not open thousands of connections or trip Pabbly's rate limit at once.
const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 16;
const DEFAULT_USER_AGENT: &str = concat!("pabbly-rust/", env!("CARGO_PKG_VERSION"));

/// Builder for an API client `C` (normally the generated `pabbly::Client`, obtained with
/// `Client::builder(api_key, secret_key)`).
///
/// Every request authenticates with HTTP Basic auth: the API key as user name and the secret
/// key as password. Neither is ever shown by `Debug`, and the `Authorization` header is marked
/// sensitive so HTTP layers do not print it either.
///
/// Defaults: 10 s to connect, 30 s per attempt, up to 3 attempts for requests that are safe to
/// repeat (see [`RequestOptions`] for the retry rules), no overall deadline, 16 requests in
/// flight at once and at most 30 s waiting for one of them, 16 MiB per response.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use pabbly::Client;
///
/// let client = Client::builder("api-key", "secret-key")
///     .base_url("http://127.0.0.1:8080/api/v1")
///     .timeout(Duration::from_secs(5))
///     .max_response_bytes(1024 * 1024)
///     .build()?;
/// assert!(!format!("{client:?}").contains("secret-key"));
/// # Ok::<(), pabbly::Error>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C> {
    api_key: Secret,
    secret_key: Secret,
    // Validated when set, so `Debug` can never print a URL that carries credentials.
    base_url: Result<Url, String>,
    http_client: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    user_agent: Option<String>,
    options: RequestOptions,
    max_concurrent_requests: usize,
    observer: Option<Arc<dyn Observer>>,
    // `fn() -> C` keeps the builder `Send + Sync` whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// Starts a builder with the API key and secret key from the Pabbly dashboard
    /// (Settings › API).
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key");
    /// ```
    pub fn new(api_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            api_key: Secret::new(api_key.into()),
            secret_key: Secret::new(secret_key.into()),
            base_url: path::parse_base_url(DEFAULT_BASE_URL),
            http_client: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: None,
            options: RequestOptions::new(),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            observer: None,
            client: PhantomData,
        }
    }

    /// Sets the API root (default `https://payments.pabbly.com/api/v1`).
    ///
    /// A path prefix is kept and a trailing slash is optional: operation paths are appended
    /// after it. The URL must be `http` or `https`, without credentials, query or fragment;
    /// otherwise [`build`](Self::build) fails with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest).
    ///
    /// ```
    /// let client = pabbly::Client::builder("api-key", "secret-key")
    ///     .base_url("http://127.0.0.1:8080/api/v1/")
    ///     .build()?;
    /// # Ok::<(), pabbly::Error>(())
    /// ```
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = path::parse_base_url(base_url.as_ref());
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, TLS roots, connection pool)
    /// instead of building one. [`connect_timeout`](Self::connect_timeout) then does not apply;
    /// [`timeout`](Self::timeout), retries and
    /// [`max_concurrent_requests`](Self::max_concurrent_requests) still do.
    ///
    /// Build it with `redirect(Policy::none())` as below: this crate cannot change the policy of
    /// a client it is given, and reqwest's default follows redirects, which can turn a create
    /// into a `GET` of another URL, send it twice, or send its body to another host. The
    /// client this builder makes never follows one ([`ErrorKind::Redirect`](crate::ErrorKind::Redirect)).
    ///
    /// It needs a TLS crypto provider: give it [`tls_config`](crate::tls_config) (this crate's
    /// own TLS settings, as below), or let your own `reqwest` dependency enable one of its TLS
    /// features (its defaults do).
    ///
    /// ```
    /// let http = pabbly::reqwest::Client::builder()
    ///     .tls_backend_preconfigured(pabbly::tls_config().map_err(|err| err.to_string())?)
    ///     .redirect(pabbly::reqwest::redirect::Policy::none())
    ///     .pool_max_idle_per_host(4)
    ///     .build()
    ///     .map_err(|err| err.to_string())?;
    /// let client = pabbly::Client::builder("api-key", "secret-key")
    ///     .http_client(http)
    ///     .build()
    ///     .map_err(|err| err.to_string())?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Sets the time allowed for each attempt, from connecting until the whole body is read
    /// (default 30 s). Exceeding it gives [`ErrorKind::Timeout`](crate::ErrorKind::Timeout),
    /// without a retry. To bound a call's attempts and backoff sleeps together, set
    /// [`RequestOptions::deadline`]; [`RequestOptions::timeout`] overrides this value.
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .timeout(std::time::Duration::from_secs(10));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the time allowed for establishing a connection (default 10 s). Applies only to
    /// the HTTP client this builder creates, not to one passed to
    /// [`http_client`](Self::http_client).
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .connect_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Sets the largest response body accepted (default 16 MiB). A larger body is refused
    /// with [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) without being buffered.
    ///
    /// It bounds memory, not only bytes: an answer may take at most four times this much once
    /// decoded (64 MiB by default), counted while it is decoded, so that a small body cannot
    /// expand into a huge structure (`[{},{},…]` as a list of large structs); a larger one is
    /// refused with `TooLarge` too. Reading and decoding one answer then holds at most about
    /// five times this value (the README gives the measured figures).
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .max_response_bytes(2 * 1024 * 1024);
    /// ```
    pub fn max_response_bytes(mut self, max_response_bytes: usize) -> Self {
        self.max_response_bytes = max_response_bytes;
        self
    }

    /// Sets the `User-Agent` header sent with every request (default `pabbly-rust/<version>`,
    /// or the caller-supplied client's own).
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .user_agent("billing-sync/1.2");
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sets the retry, backoff and timeout settings every call of the client starts from; each
    /// setting `options` leaves unset keeps its default. Calls can override them again through
    /// `Client::with_options`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pabbly::RequestOptions;
    ///
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .request_options(
    ///         RequestOptions::new()
    ///             .max_attempts(4)
    ///             .deadline(Duration::from_secs(45)),
    ///     );
    /// ```
    pub fn request_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets how many requests the client (and all its clones) has in flight at once (default
    /// 16; `0` is treated as `1`). Further calls wait for a slot, within their deadline and
    /// [`RequestOptions::queue_timeout`] (then fail as not sent). This
    /// also bounds the connections opened to the server: each request in flight uses one, and
    /// the pool keeps at most this many idle ones for reuse.
    ///
    /// ```
    /// let builder = pabbly::Client::builder("api-key", "secret-key")
    ///     .max_concurrent_requests(4);
    /// ```
    pub fn max_concurrent_requests(mut self, max: usize) -> Self {
        self.max_concurrent_requests = max;
        self
    }

    /// Tells `observer` about every attempt of every call of the client (and of its clones and
    /// `with_options` clients): operation, attempt number, status, latency and outcome. See
    /// [`Observer`] for counting Pabbly's daily call limit with it.
    ///
    /// ```
    /// use pabbly::{AttemptFinished, Observer};
    ///
    /// struct Log;
    ///
    /// impl Observer for Log {
    ///     fn attempt_finished(&self, attempt: &AttemptFinished) {
    ///         eprintln!("{} #{}: {:?} in {:?}", attempt.operation, attempt.attempt, attempt.status, attempt.latency);
    ///     }
    /// }
    ///
    /// let builder = pabbly::Client::builder("api-key", "secret-key").observer(Log);
    /// ```
    pub fn observer(mut self, observer: impl Observer) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Checks the configuration and creates the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) for an invalid base URL,
    /// an empty API key or secret key, one holding a control character, an API key holding
    /// `:` (HTTP Basic authentication cannot carry it: the server would split the credential
    /// at it), a user agent that is not a valid header value, or an
    /// HTTP client that cannot be created (e.g. the TLS backend fails to initialise).
    ///
    /// ```
    /// let result = pabbly::Client::builder("", "secret-key").build();
    /// assert!(result.is_err());
    /// ```
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Runtime>,
    {
        let base_url = self.base_url.map_err(Error::config)?;
        check_credential("API key", self.api_key.expose())?;
        check_credential("secret key", self.secret_key.expose())?;
        // RFC 7617: the user id of a Basic credential cannot hold a colon; the server would
        // split `key:secret` at the first one and read another key and secret.
        if self.api_key.expose().contains(':') {
            return Err(Error::config(
                "API key contains `:`, which HTTP Basic authentication cannot carry",
            ));
        }
        let user_agent = self
            .user_agent
            .map(|user_agent| {
                HeaderValue::from_str(&user_agent).map_err(|err| {
                    Error::config("user agent is not a valid header value").with_source(err)
                })
            })
            .transpose()?;
        let authorization = secret::basic_auth(&self.api_key, &self.secret_key)
            .ok_or_else(|| Error::config("API key and secret key do not form a valid header"))?;
        let max_concurrent_requests = self
            .max_concurrent_requests
            .clamp(1, Semaphore::MAX_PERMITS);
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .tls_backend_preconfigured(tls_config()?)
                .connect_timeout(self.connect_timeout)
                .pool_max_idle_per_host(max_concurrent_requests)
                // A redirect is reported, never followed: see `ErrorKind::Redirect`. Without
                // redirects reqwest never sets `Referer` either.
                .redirect(reqwest::redirect::Policy::none())
                // Whether an attempt is repeated is decided by the operation's repeat safety
                // and counted (`attempts()`, the observer): reqwest never resends on its own.
                .retry(reqwest::retry::never())
                .referer(false)
                .user_agent(DEFAULT_USER_AGENT)
                .build()
                .map_err(|err| {
                    Error::config(format!("could not create the HTTP client: {err}"))
                        .with_source(err.without_url())
                })?,
        };
        Ok(C::from(Runtime::new(
            Config {
                http,
                base_url,
                authorization,
                redaction: Redaction::new(&self.api_key, &self.secret_key),
                max_response_bytes: self.max_response_bytes,
                user_agent,
                slots: Semaphore::new(max_concurrent_requests),
                max_concurrent_requests,
                observer: self.observer,
            },
            Policy::new(self.timeout),
            &self.options,
        )))
    }
}

/// An empty credential, or one holding a control character (a pasted newline, a NUL), is a
/// configuration mistake: refused by name, never quoted.
fn check_credential(name: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::config(format!("{name} is empty")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::config(format!(
            "{name} contains a control character (a newline, tab or NUL?)"
        )));
    }
    Ok(())
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("secret_key", &self.secret_key)
            .field(
                "base_url",
                &self
                    .base_url
                    .as_ref()
                    .map(Url::as_str)
                    .map_err(|_| "<invalid>"),
            )
            .field("custom_http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("options", &self.options)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[derive(Debug)]
    struct TestClient(Runtime);

    impl From<Runtime> for TestClient {
        fn from(runtime: Runtime) -> Self {
            Self(runtime)
        }
    }

    const KEY: &str = "ak_live_must_not_leak";
    const SECRET: &str = "sk_live_must_not_leak";

    fn build(builder: ClientBuilder<TestClient>) -> Result<TestClient, Error> {
        builder.build()
    }

    #[test]
    fn debug_redacts_credentials() {
        let builder = ClientBuilder::<TestClient>::new(KEY, SECRET);
        let text = format!("{builder:?}");
        assert!(!text.contains("must_not_leak"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");

        let TestClient(runtime) = build(builder).expect("builds");
        let text = format!("{runtime:#?}");
        assert!(!text.contains("must_not_leak"), "{text}");
    }

    #[test]
    fn debug_hides_invalid_base_url() {
        let builder = ClientBuilder::<TestClient>::new(KEY, SECRET)
            .base_url("https://user:hunter2@example.com");
        let text = format!("{builder:?}");
        assert!(!text.contains("hunter2"), "{text}");
        let err = build(builder).expect_err("credentials in URL are refused");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
    }

    #[test]
    fn invalid_configuration_is_reported() {
        let cases = [
            (
                ClientBuilder::new(KEY, SECRET).base_url("ftp://example.com"),
                "invalid client configuration: base URL must use http or https, not `ftp`",
            ),
            (
                ClientBuilder::new(" ", SECRET),
                "invalid client configuration: API key is empty",
            ),
            (
                ClientBuilder::new(KEY, ""),
                "invalid client configuration: secret key is empty",
            ),
            (
                ClientBuilder::new("ak_live:must_not_leak", SECRET),
                "invalid client configuration: API key contains `:`, which HTTP Basic \
                 authentication cannot carry",
            ),
            (
                ClientBuilder::new("ak_live_must_not_leak\n", SECRET),
                "invalid client configuration: API key contains a control character (a \
                 newline, tab or NUL?)",
            ),
            (
                ClientBuilder::new(KEY, "sk_live_must\0_not_leak"),
                "invalid client configuration: secret key contains a control character (a \
                 newline, tab or NUL?)",
            ),
            (
                ClientBuilder::new(KEY, "sk_live\tmust_not_leak"),
                "invalid client configuration: secret key contains a control character (a \
                 newline, tab or NUL?)",
            ),
            (
                ClientBuilder::new(KEY, SECRET).user_agent("bad\nagent"),
                "invalid client configuration: user agent is not a valid header value",
            ),
        ];
        for (builder, expected) in cases {
            let err = build(builder).expect_err(expected);
            assert_eq!(err.kind(), ErrorKind::InvalidRequest);
            assert_eq!(err.to_string(), expected);
            let debug = format!("{err:?}");
            assert!(!debug.contains("must_not_leak"), "{debug}");
        }
    }

    #[test]
    fn a_secret_key_may_hold_a_colon() {
        // Only the user id is split at the first colon; the password keeps the rest.
        build(ClientBuilder::new(KEY, "sk:live:with:colons")).expect("builds");
    }

    #[test]
    fn defaults() {
        let builder = ClientBuilder::<TestClient>::new(KEY, SECRET);
        assert_eq!(
            builder.base_url.as_ref().map(Url::as_str),
            Ok("https://payments.pabbly.com/api/v1")
        );
        assert_eq!(builder.timeout, Duration::from_secs(30));
        assert_eq!(builder.connect_timeout, Duration::from_secs(10));
        assert_eq!(builder.max_response_bytes, 16 * 1024 * 1024);
        assert_eq!(builder.max_concurrent_requests, 16);
        assert_eq!(builder.options, RequestOptions::new());
    }

    #[test]
    fn builder_is_send_sync_for_any_client() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ClientBuilder<std::rc::Rc<()>>>();
    }
}
