#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

extern crate self as pabbly;

#[cfg(feature = "blocking")]
mod blocking_runtime;
mod budget;
mod builder;
mod de;
mod envelope;
mod error;
mod failure;
mod flags;
mod money;
mod object;
mod observe;
mod operation;
mod options;
mod pages;
mod path;
mod query;
mod raw;
#[cfg(feature = "operation-registry")]
mod registry;
mod response;
mod retry;
mod runtime;
mod secret;
pub mod testing;
mod tls;
mod validate;
mod webhook;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::ClientBuilder;
pub use error::Error;
pub use failure::{ErrorKind, Outcome};
pub use object::{ExtraFields, UnknownValue};
pub use observe::{AttemptFinished, AttemptStarted, Observer};
pub use options::RequestOptions;
pub use pages::{DEFAULT_MAX_PAGES, Pages};
pub use response::Response;
pub use tls::tls_config;

/// The `chrono` version used for dates in the models, so they can be named and constructed.
pub use chrono;
/// The `reqwest` version whose `Client` [`ClientBuilder::http_client`] accepts.
pub use reqwest;
/// The `rustls` version of [`tls_config`]'s configuration.
pub use rustls;
/// The `serde_json` version of untyped data ([`Response::decode`] turns it into a model) and of
/// [`ExtraFields`].
pub use serde_json;

/// The `rust_decimal` version of [`Decimal`], for its other items (rounding, errors).
pub use rust_decimal;
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
pub use rust_decimal::Decimal;

/// A calendar date without time zone, as Pabbly sends it (`"2024-05-01"`).
///
/// ```
/// let date: pabbly::Date = "2024-05-01".parse()?;
/// # Ok::<(), pabbly::chrono::ParseError>(())
/// ```
pub type Date = chrono::NaiveDate;

/// A point in time in UTC (`"2024-05-01T10:00:00Z"`).
///
/// ```
/// let at: pabbly::DateTime = "2024-05-01T10:00:00Z".parse()?;
/// # Ok::<(), pabbly::chrono::ParseError>(())
/// ```
pub type DateTime = chrono::DateTime<chrono::Utc>;

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
