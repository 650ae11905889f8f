//! The successful result of an API call.

/// A decoded successful response: the payload plus Pabbly's envelope message.
///
/// # Example
///
/// ```
/// fn report(response: &pabbly::Response<Vec<String>>) {
///     println!(
///         "HTTP {}: {} item(s), message: {}",
///         response.status(),
///         response.data.len(),
///         response.message.as_deref().unwrap_or("-"),
///     );
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded payload (for most operations the envelope's `data`).
    pub data: T,
    /// Pabbly's human-readable `message` from the envelope, such as `"Customer created"`;
    /// `None` when the response has no textual message.
    pub message: Option<String>,
    status: u16,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, message: Option<String>, status: u16) -> Self {
        Self {
            data,
            message,
            status,
        }
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
