//! Building [`Response`]s and [`Error`]s by hand, for fakes in a service's own tests: code that
//! hides the client behind its own trait can return exactly what the client would.
//!
//! ```
//! use pabbly::testing::{ErrorBuilder, ResponseBuilder};
//! use pabbly::{ErrorKind, Outcome};
//!
//! /// What the service needs from Pabbly, so tests can swap the client for a fake.
//! trait Billing {
//!     fn customer_email(&self, id: &str) -> Result<pabbly::Response<String>, pabbly::Error>;
//! }
//!
//! struct Fake;
//!
//! impl Billing for Fake {
//!     fn customer_email(&self, id: &str) -> Result<pabbly::Response<String>, pabbly::Error> {
//!         match id {
//!             "cus_1" => Ok(ResponseBuilder::new("ada@example.com".to_owned())
//!                 .message("Customer found")
//!                 .build()),
//!             "cus_slow" => Err(ErrorBuilder::new(ErrorKind::Timeout)
//!                 .operation("customers.get")
//!                 .outcome(Outcome::AnswerLost)
//!                 .build()),
//!             _ => Err(ErrorBuilder::new(ErrorKind::NotFound)
//!                 .operation("customers.get")
//!                 .status(200)
//!                 .api_message("Customer not found")
//!                 .build()),
//!         }
//!     }
//! }
//!
//! let fake = Fake;
//! assert_eq!(fake.customer_email("cus_1").map(|r| r.data).ok().as_deref(), Some("ada@example.com"));
//! let missing = fake.customer_email("cus_9").err().map(|e| (e.kind(), e.outcome()));
//! assert_eq!(missing, Some((ErrorKind::NotFound, Outcome::Answered)));
//! ```

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;
use crate::failure::{ErrorKind, Outcome};
use crate::operation::{Envelope, Method, Operation, Root};
use crate::response::Response;

/// Builds a [`Response`]: HTTP 200, no message, no headers, one attempt unless set.
///
/// ```
/// use pabbly::testing::ResponseBuilder;
///
/// let response = ResponseBuilder::new(vec!["cus_1".to_owned()])
///     .status(201)
///     .message("Customer created")
///     .attempts(2)
///     .build();
/// assert_eq!((response.status(), response.attempts()), (201, 2));
/// ```
#[derive(Debug)]
#[must_use = "call `build` to get the response"]
pub struct ResponseBuilder<T> {
    data: T,
    message: Option<String>,
    status: u16,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> ResponseBuilder<T> {
    /// A response carrying `data`.
    ///
    /// ```
    /// let builder = pabbly::testing::ResponseBuilder::new(());
    /// # let _ = builder.build();
    /// ```
    pub fn new(data: T) -> Self {
        Self {
            data,
            message: None,
            status: 200,
            headers: HeaderMap::new(),
            attempts: 1,
        }
    }

    /// Sets the HTTP status (default 200).
    ///
    /// ```
    /// let response = pabbly::testing::ResponseBuilder::new(()).status(201).build();
    /// assert_eq!(response.status(), 201);
    /// ```
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Sets Pabbly's envelope message.
    ///
    /// ```
    /// let response = pabbly::testing::ResponseBuilder::new(()).message("Done").build();
    /// assert_eq!(response.message.as_deref(), Some("Done"));
    /// ```
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Adds a response header.
    ///
    /// ```
    /// use pabbly::reqwest::header::{HeaderName, HeaderValue};
    ///
    /// let response = pabbly::testing::ResponseBuilder::new(())
    ///     .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("t1"))
    ///     .build();
    /// assert!(response.headers().contains_key("x-trace"));
    /// ```
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets how many attempts the call took (default 1).
    ///
    /// ```
    /// let response = pabbly::testing::ResponseBuilder::new(()).attempts(3).build();
    /// assert_eq!(response.attempts(), 3);
    /// ```
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The response.
    ///
    /// ```
    /// let response: pabbly::Response<u8> = pabbly::testing::ResponseBuilder::new(7).build();
    /// assert_eq!(response.data, 7);
    /// ```
    pub fn build(self) -> Response<T> {
        Response::new(self.data, self.message, self.status, self.headers)
            .with_attempts(self.attempts)
    }
}

/// Builds an [`Error`] of a kind, with what a real one of that kind would carry.
///
/// Unless set, the outcome follows from what is given: [`Outcome::Answered`] with a status,
/// else [`Outcome::NotSent`]; attempts are 1 once anything was sent, else 0.
///
/// ```
/// use pabbly::testing::ErrorBuilder;
/// use pabbly::ErrorKind;
///
/// let error = ErrorBuilder::new(ErrorKind::RateLimited)
///     .operation("customers.list")
///     .status(429)
///     .header(
///         pabbly::reqwest::header::RETRY_AFTER,
///         pabbly::reqwest::header::HeaderValue::from_static("2"),
///     )
///     .build();
/// assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(2)));
/// assert_eq!(error.operation(), Some("customers.list"));
/// ```
#[derive(Debug)]
#[must_use = "call `build` to get the error"]
pub struct ErrorBuilder {
    kind: ErrorKind,
    operation: Option<&'static str>,
    status: Option<u16>,
    headers: HeaderMap,
    api_message: Option<String>,
    body: Option<String>,
    detail: Option<String>,
    outcome: Option<Outcome>,
    attempts: Option<u32>,
}

impl ErrorBuilder {
    /// An error of `kind`.
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Server).build();
    /// assert_eq!(error.kind(), pabbly::ErrorKind::Server);
    /// ```
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            operation: None,
            status: None,
            headers: HeaderMap::new(),
            api_message: None,
            body: None,
            detail: None,
            outcome: None,
            attempts: None,
        }
    }

    /// Names the operation that failed, e.g. `"customers.get"` (see [`Error::operation`]).
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Api)
    ///     .operation("customers.create")
    ///     .build();
    /// assert_eq!(error.operation(), Some("customers.create"));
    /// ```
    pub fn operation(mut self, id: &'static str) -> Self {
        self.operation = Some(id);
        self
    }

    /// Sets the HTTP status of the answer.
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Server)
    ///     .status(503)
    ///     .build();
    /// assert_eq!(error.status(), Some(503));
    /// ```
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a header of the answer.
    ///
    /// ```
    /// use pabbly::reqwest::header::{HeaderName, HeaderValue};
    ///
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Server)
    ///     .status(503)
    ///     .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("t1"))
    ///     .build();
    /// assert!(error.headers().is_some_and(|h| h.contains_key("x-trace")));
    /// ```
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets Pabbly's message (see [`Error::api_message`]).
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Api)
    ///     .api_message("Invalid plan id")
    ///     .build();
    /// assert_eq!(error.api_message(), Some("Invalid plan id"));
    /// ```
    pub fn api_message(mut self, message: impl Into<String>) -> Self {
        self.api_message = Some(message.into());
        self
    }

    /// Sets the response body (see [`Error::body`]).
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Decode)
    ///     .status(200)
    ///     .body("<html>")
    ///     .build();
    /// assert_eq!(error.body(), Some("<html>"));
    /// ```
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the explanation `Display` shows for kinds without an answer (a timeout, a lost
    /// connection, an invalid request).
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Timeout)
    ///     .operation("customers.list")
    ///     .detail("timed out after 30s")
    ///     .build();
    /// assert_eq!(error.to_string(), "customers.list timed out after 30s");
    /// ```
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets whether the request reached Pabbly (see [`Error::outcome`]).
    ///
    /// ```
    /// use pabbly::Outcome;
    ///
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Transport)
    ///     .outcome(Outcome::AnswerLost)
    ///     .build();
    /// assert_eq!(error.outcome(), Outcome::AnswerLost);
    /// ```
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = Some(outcome);
        self
    }

    /// Sets how many attempts the call made (see [`Error::attempts`]).
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Server)
    ///     .status(503)
    ///     .attempts(3)
    ///     .build();
    /// assert_eq!(error.attempts(), 3);
    /// ```
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = Some(attempts);
        self
    }

    /// The error.
    ///
    /// ```
    /// let error = pabbly::testing::ErrorBuilder::new(pabbly::ErrorKind::Unauthorized)
    ///     .status(403)
    ///     .build();
    /// assert_eq!(error.to_string(), "HTTP 403 Forbidden");
    /// ```
    pub fn build(self) -> Error {
        let mut error = Error::new(self.kind, self.operation.map(named_operation));
        if let Some(status) = self.status {
            error = error.with_status(status, self.headers);
        }
        if let Some(body) = self.body {
            error = error.with_body(body);
        }
        if let Some(detail) = self.detail {
            error = error.with_detail(detail);
        }
        let error = error.with_api_message(self.api_message);
        let outcome = self.outcome.unwrap_or(error.outcome());
        let attempts = self
            .attempts
            .unwrap_or(u32::from(outcome != Outcome::NotSent));
        error.with_outcome(outcome).with_attempts(attempts)
    }
}

/// An operation known by its id alone: `Display` then names the id without a method and path.
/// Each id is allocated once per process.
fn named_operation(id: &'static str) -> &'static Operation {
    static NAMED: OnceLock<Mutex<HashMap<&'static str, &'static Operation>>> = OnceLock::new();
    let mut named = NAMED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    named.entry(id).or_insert_with(|| {
        Box::leak(Box::new(Operation {
            id,
            method: Method::Get,
            path: "",
            root: Root::BASE,
            envelope: Envelope::Data,
            list: false,
            url_fields: &[],
            bounds: &[],
            repeat_safe: true,
        }))
    })
}
