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
    pub fn decode<T: serde::de::DeserializeOwned>(self) -> Result<Response<T>, crate::Error> {
        let Self {
            data,
            message,
            status,
        } = self;
        let data = T::deserialize(data).map_err(crate::Error::undecodable_data)?;
        Ok(Response {
            data,
            message,
            status,
        })
    }
}
