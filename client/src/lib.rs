#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

extern crate self as pabbly;

mod builder;
mod de;
mod envelope;
mod error;
mod operation;
mod options;
mod pages;
mod path;
mod query;
#[cfg(feature = "operation-registry")]
mod registry;
mod response;
mod retry;
mod runtime;
mod secret;
mod validate;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::ClientBuilder;
pub use error::{Error, ErrorKind};
pub use options::RequestOptions;
pub use pages::Pages;
pub use response::Response;

/// The `chrono` version used for dates in the models, so they can be named and constructed.
pub use chrono;
/// The `reqwest` version whose `Client` [`ClientBuilder::http_client`] accepts.
pub use reqwest;

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

#[cfg(not(feature = "operation-registry"))]
include_api!("../spec/pabbly.yaml");
#[cfg(feature = "operation-registry")]
include_api!("../spec/pabbly.yaml", operation_registry);
