#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

extern crate self as pabbly;

// The runtime lives in `pabbly-runtime` (built once, whatever the spec says); its items are
// this crate's, documented here as if defined here.
#[doc(inline)]
pub use pabbly_runtime::{
    AttemptFinished, AttemptStarted, ClientBuilder, DEFAULT_MAX_PAGES, Date, DateTime, Error,
    ErrorKind, ExtraFields, Observer, Outcome, Pages, RequestOptions, Response, UnknownValue,
    testing, tls_config,
};

/// The `chrono` version used for dates in the models, so they can be named and constructed.
#[doc(no_inline)]
pub use pabbly_runtime::chrono;
/// The `reqwest` version whose `Client` [`ClientBuilder::http_client`] accepts.
#[doc(no_inline)]
pub use pabbly_runtime::reqwest;
/// The `rustls` version of [`tls_config`]'s configuration.
#[doc(no_inline)]
pub use pabbly_runtime::rustls;
/// The `serde_json` version of untyped data ([`Response::decode`] turns it into a model) and of
/// [`ExtraFields`].
#[doc(no_inline)]
pub use pabbly_runtime::serde_json;

/// An exact decimal, the type of every amount of money (`rust_decimal`'s `Decimal`).
///
/// Amounts are in major currency units, as Pabbly writes them: `90.50` is ninety and a half.
///
/// ```
/// use pabbly::Decimal;
///
/// let refund: Decimal = "90.50".parse()?;
/// assert_eq!(refund, Decimal::new(9050, 2));
/// let total: Decimal = "0.1".parse::<Decimal>()? + "0.2".parse::<Decimal>()?;
/// assert_eq!(total.to_string(), "0.3");
/// # Ok::<(), pabbly::rust_decimal::Error>(())
/// ```
pub use pabbly_runtime::Decimal;
/// The `rust_decimal` version of [`Decimal`], for its other items (rounding, errors).
#[doc(no_inline)]
pub use pabbly_runtime::rust_decimal;

/// What generated code names (`::pabbly::__private::…`); hidden, and not covered by semver.
#[doc(hidden)]
pub use pabbly_runtime::__private;

/// Generates a client from a spec file; how this crate's own API is made. See `pabbly-macros`.
#[doc(hidden)]
pub use pabbly_macros::include_api;

// Each optional part of the generated API is a macro option, turned on by a feature.
#[cfg(all(not(feature = "operation-registry"), not(feature = "blocking")))]
include_api!("../spec/pabbly.yaml");
#[cfg(all(feature = "operation-registry", not(feature = "blocking")))]
include_api!("../spec/pabbly.yaml", operation_registry);
#[cfg(all(not(feature = "operation-registry"), feature = "blocking"))]
include_api!("../spec/pabbly.yaml", blocking);
#[cfg(all(feature = "operation-registry", feature = "blocking"))]
include_api!("../spec/pabbly.yaml", operation_registry, blocking);
