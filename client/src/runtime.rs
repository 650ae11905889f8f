//! The shared HTTP runtime behind every generated client, and the request pipeline.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::envelope::{self, RawResponse};
use crate::error::{Error, ErrorKind};
use crate::operation::{Operation, Payload};
use crate::path;
use crate::query;
use crate::response::Response;
use crate::secret::Secret;

/// Connection state and configuration shared by a client and everything borrowed from it.
///
/// Cloning is cheap (one `Arc`), and `Debug` never shows the credentials.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Config>,
}

pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) api_key: Secret,
    pub(crate) secret_key: Secret,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) user_agent: Option<HeaderValue>,
}

impl Runtime {
    pub(crate) fn new(config: Config) -> Self {
        Self {
            inner: Arc::new(config),
        }
    }

    /// Sends one request for `op` and decodes the response according to `op.envelope`.
    ///
    /// `path_values` fill the `{…}` placeholders of `op.path` in order; each becomes exactly
    /// one percent-encoded path segment. The future is `Send` when `B` is `Sync`.
    pub async fn execute<T, B>(
        &self,
        op: &'static Operation,
        path_values: &[&str],
        payload: Payload<'_, B>,
    ) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let config = &*self.inner;
        let rendered = path::render(op.path, path_values)
            .map_err(|detail| Error::invalid_request(op, detail))?;
        let mut url = path::join(&config.base_url, &rendered);
        let mut json_body = None;
        match payload {
            Payload::None => {}
            Payload::Json(value) => {
                let bytes = serde_json::to_vec(value).map_err(|err| {
                    Error::invalid_request(
                        op,
                        format!("could not serialize the request body: {err}"),
                    )
                    .with_source(err)
                })?;
                json_body = Some(bytes);
            }
            Payload::Query(value) => {
                query::append(&mut url, value)
                    .map_err(|detail| Error::invalid_request(op, detail))?;
            }
        }

        let mut request = config
            .http
            .request(op.method.to_reqwest(), url)
            .basic_auth(config.api_key.expose(), Some(config.secret_key.expose()))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .timeout(config.timeout);
        if let Some(user_agent) = &config.user_agent {
            request = request.header(USER_AGENT, user_agent.clone());
        }
        if let Some(bytes) = json_body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(bytes);
        }

        let mut response = request
            .send()
            .await
            .map_err(|err| Error::transport(op, err, config.timeout))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let too_large = |headers| {
            Error::new(ErrorKind::TooLarge, Some(op))
                .with_status(status, headers)
                .with_detail(format!(
                    "response is larger than the limit of {} bytes",
                    config.max_response_bytes
                ))
        };

        // Refuse early when the server announces the size; the loop below still enforces the
        // cap for chunked or lying responses.
        if response.content_length().is_some_and(|length| {
            length > u64::try_from(config.max_response_bytes).unwrap_or(u64::MAX)
        }) {
            return Err(too_large(headers));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| Error::transport(op, err, config.timeout))?
        {
            if body.len().saturating_add(chunk.len()) > config.max_response_bytes {
                return Err(too_large(headers));
            }
            body.extend_from_slice(&chunk);
        }

        envelope::decode(
            op,
            RawResponse {
                status,
                headers,
                body,
            },
        )
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &*self.inner;
        f.debug_struct("Runtime")
            .field("base_url", &config.base_url.as_str())
            .field("api_key", &config.api_key)
            .field("secret_key", &config.secret_key)
            .field("timeout", &config.timeout)
            .field("max_response_bytes", &config.max_response_bytes)
            .field("user_agent", &config.user_agent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> Runtime {
        Runtime::new(Config {
            http: reqwest::Client::new(),
            base_url: Url::parse("https://payments.pabbly.com/api/v1").expect("valid URL"),
            api_key: Secret::new("ak_live_visible_nowhere".to_owned()),
            secret_key: Secret::new("sk_live_visible_nowhere".to_owned()),
            timeout: Duration::from_secs(30),
            max_response_bytes: 1024,
            user_agent: None,
        })
    }

    #[test]
    fn debug_redacts_credentials() {
        let runtime = runtime();
        for text in [format!("{runtime:?}"), format!("{runtime:#?}")] {
            assert!(!text.contains("visible_nowhere"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
            assert!(
                text.contains("https://payments.pabbly.com/api/v1"),
                "{text}"
            );
        }
    }

    #[test]
    fn runtime_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Runtime>();
    }
}
