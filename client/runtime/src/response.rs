//! The successful result of an API call.

use std::fmt;

use reqwest::header::HeaderMap;

use crate::error::Error;

/// A decoded successful response: the payload, Pabbly's envelope message, and how the answer
/// arrived (HTTP status, headers, attempts).
///
/// # Example
///
/// ```
/// fn report(response: &pabbly::Response<Vec<String>>) {
///     println!(
///         "HTTP {} after {} attempt(s): {} item(s), message: {}",
///         response.status(),
///         response.attempts(),
///         response.data.len(),
///         response.message.as_deref().unwrap_or("-"),
///     );
/// }
/// ```
///
/// `Debug` lists the header names but not their values (a proxy's `Set-Cookie` is a secret).
/// To build one in a test, see [`testing::ResponseBuilder`](crate::testing::ResponseBuilder).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded payload (for most operations the envelope's `data`).
    pub data: T,
    /// Pabbly's human-readable `message` from the envelope, such as `"Customer created"`;
    /// `None` when the response has no textual message.
    pub message: Option<String>,
    status: u16,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, message: Option<String>, status: u16, headers: HeaderMap) -> Self {
        Self {
            data,
            message,
            status,
            headers,
            attempts: 1,
        }
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The HTTP status code, e.g. `200` or `201`.
    ///
    /// ```
    /// fn created(response: &pabbly::Response<()>) -> bool {
    ///     response.status() == 201
    /// }
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers of the answer.
    ///
    /// ```
    /// fn server_date(response: &pabbly::Response<()>) -> Option<&str> {
    ///     response.headers().get("date")?.to_str().ok()
    /// }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many requests the call sent to get this answer: 1, or more when earlier attempts
    /// failed and were retried. Each one counts against Pabbly's daily call limit.
    ///
    /// ```
    /// fn was_retried(response: &pabbly::Response<()>) -> bool {
    ///     response.attempts() > 1
    /// }
    /// ```
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Discards the envelope and returns the payload.
    ///
    /// ```
    /// fn ids(response: pabbly::Response<Vec<String>>) -> Vec<String> {
    ///     response.into_data()
    /// }
    /// ```
    pub fn into_data(self) -> T {
        self.data
    }
}

impl Response<serde_json::Value> {
    /// Decodes untyped data into `T`: a model of the crate, or a type of your own.
    ///
    /// Operations whose answer Pabbly's reference does not describe return their data as
    /// JSON; their docs name the model to try where one fits. Fields the model does not list
    /// are kept in its `extra`, so nothing is lost by trying.
    ///
    /// Untyped data holds numbers as `f64`, which keeps amounts of up to 15 significant digits
    /// exactly; typed answers read amounts from the digits Pabbly sent, however many.
    ///
    /// # Errors
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) when the data is not a `T`, saying where.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: &pabbly::Client) -> Result<(), pabbly::Error> {
    /// let response = client.customers().get("5e3a95143c92e44b424b6d47").await?;
    /// let customer = response.decode::<pabbly::models::Customer>()?.into_data();
    /// println!("{} {:?}", customer.id, customer.extra.get("custom_fields"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn decode<T: serde::de::DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let Self {
            data,
            message,
            status,
            headers,
            attempts,
        } = self;
        let data = T::deserialize(data).map_err(Error::undecodable_data)?;
        Ok(Response {
            data,
            message,
            status,
            headers,
            attempts,
        })
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("data", &self.data)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("headers", &HeaderNames(&self.headers))
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// A header map shown by its names only.
struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.keys().map(|name| name.as_str()))
            .finish()
    }
}
