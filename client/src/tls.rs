//! The TLS settings of the HTTP client: rustls with the *ring* crypto provider and the operating
//! system's trust store, passed to reqwest as a ready configuration. reqwest's own TLS features
//! stay off, so the choice of provider is made here, not by cargo's feature unification (the
//! workspace `Cargo.toml` says why *ring*).

use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt as _;

use crate::error::Error;

/// The TLS configuration of the client [`ClientBuilder::build`](crate::ClientBuilder::build)
/// makes: [rustls](crate::rustls) with the *ring* crypto provider, TLS 1.2 and 1.3, and server
/// certificates checked against the operating system's trust store, as reqwest 0.13 checks them
/// by default.
///
/// Give it to a `reqwest::Client` you build for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client). reqwest 0.13 takes its
/// crypto provider from its cargo features and `pabbly` enables none of them, so unless your own
/// `reqwest` dependency enables one (its default features do) or your program installs a
/// process-wide rustls provider, reqwest panics when such a client is built without this
/// configuration. TLS settings made on the reqwest builder (extra root certificates, minimum
/// version) do not apply to a configuration given this way.
///
/// ```
/// use pabbly::reqwest::redirect::Policy;
///
/// let http = pabbly::reqwest::Client::builder()
///     .tls_backend_preconfigured(pabbly::tls_config()?)
///     .redirect(Policy::none())
///     .build()
///     .map_err(|err| err.to_string())?;
/// # let _ = http;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) when the platform's
/// certificate verifier cannot be set up.
pub fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let ring = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(ring)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|err| Error::config(format!("could not set up TLS: {err}")).with_source(err))?;
    Ok(config.with_no_client_auth())
}
