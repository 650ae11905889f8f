//! The hand-written runtime of the [`pabbly`](https://docs.rs/pabbly) client: the builder,
//! authentication, the request pipeline (retries, timeouts, connection slots), envelope
//! decoding, errors, page streams, the webhook receiver and the blocking engine.
//!
//! **An implementation detail of `pabbly`: depend on `pabbly`, not on this crate.** `pabbly`
//! re-exports every public item here under the same name (`pabbly::Error`,
//! `pabbly::ClientBuilder`, …) and adds the API generated from the spec; this crate's paths and
//! versions are not a public interface. It is a crate of its own so that a spec edit, which
//! regenerates `pabbly`, does not re-check and re-optimize the runtime: it is built once.
//!
//! The examples below name the items as users do, through `pabbly`. Generated code reaches this
//! crate only through `pabbly`'s re-exports (`::pabbly::__private`, `::pabbly::Error`, …), never
//! by this crate's name. The features `blocking`, `axum` and `operation-registry` are turned on
//! by `pabbly`'s features of the same names.

#![deny(missing_docs)]

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

// The crates of the public API, and the type of amounts; `pabbly`'s re-exports of them carry
// the docs (a re-export's own docs do not travel to another crate's re-export of it).
pub use chrono;
pub use reqwest;
pub use rust_decimal;
pub use rust_decimal::Decimal;
pub use rustls;
pub use serde_json;

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
