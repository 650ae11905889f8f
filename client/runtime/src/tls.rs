//! The TLS settings of the HTTP client: rustls with the *ring* crypto provider and Mozilla's root
//! certificates, passed to reqwest as a ready configuration. reqwest's own TLS features stay off,
//! so the choice of provider is made here, not by cargo's feature unification (the workspace
//! `Cargo.toml` says why *ring* and why these roots).

use std::sync::Arc;

use crate::error::Error;

/// The TLS configuration of the client [`ClientBuilder::build`](crate::ClientBuilder::build)
/// makes: [rustls](crate::rustls) with the *ring* crypto provider, TLS 1.2 and 1.3, and server
/// certificates checked against Mozilla's root certificates compiled into the program (the
/// `webpki-roots` crate), so nothing is read from the machine and no system certificate store
/// is needed.
///
/// Give it to a `reqwest::Client` you build for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client). reqwest 0.13 takes its
/// crypto provider from its cargo features and `pabbly` enables none of them, so unless your own
/// `reqwest` dependency enables one (its default features do) or your program installs a
/// process-wide rustls provider, reqwest panics when such a client is built without this
/// configuration. TLS settings made on the reqwest builder (extra root certificates, minimum
/// version) do not apply to a configuration given this way; to trust a private CA, build the
/// reqwest client with a TLS feature of your own instead.
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
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) when the crypto provider
/// supports none of the protocol versions (it supports both; kept for rustls's signature).
pub fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let ring = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let builder = rustls::ClientConfig::builder_with_provider(ring)
        .with_safe_default_protocol_versions()
        .map_err(|err| Error::config(format!("could not set up TLS: {err}")).with_source(err))?;
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}
