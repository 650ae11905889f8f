//! Credentials that never appear in `Debug` or `Display` output, and the header made from them.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::HeaderValue;

/// Holds a credential: the API key, the secret key, or the `Authorization` header value built
/// from both.
///
/// Both halves of the HTTP Basic credential are wrapped: the API key alone identifies the
/// account, so printing it is already a leak. `Debug` and `Display` print `<redacted>`, so a
/// credential that ends up in a formatted message by accident still leaks nothing;
/// [`Secret::expose`] is the only way to the value.
#[derive(Clone)]
pub(crate) struct Secret<T = String>(T);

impl<T> Secret<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }

    /// The raw value, for the places that must use it: checking it is set, and sending it.
    pub(crate) fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The `Authorization: Basic …` value for the key pair, marked sensitive so that HTTP layers
/// (reqwest, hyper, `http`'s own `Debug`) never print it.
///
/// Built once per client rather than per request, so the raw key and secret are read in one
/// place only.
pub(crate) fn basic_auth(api_key: &Secret, secret_key: &Secret) -> Option<Secret<HeaderValue>> {
    let credentials = format!("{}:{}", api_key.expose(), secret_key.expose());
    let mut value =
        HeaderValue::from_str(&format!("Basic {}", STANDARD.encode(credentials))).ok()?;
    value.set_sensitive(true);
    Some(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Secret::new("sk_live_very_secret".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret:#?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(secret.expose(), "sk_live_very_secret");
    }

    #[test]
    fn basic_auth_header_is_sensitive() {
        let header = basic_auth(
            &Secret::new("test_api_key".to_owned()),
            &Secret::new("test_secret".to_owned()),
        )
        .expect("base64 is a valid header value");
        assert_eq!(format!("{header:?}"), "<redacted>");
        let value = header.expose();
        assert!(value.is_sensitive());
        assert_eq!(value, "Basic dGVzdF9hcGlfa2V5OnRlc3Rfc2VjcmV0");
        // `http`'s own Debug hides sensitive values too.
        assert_eq!(format!("{value:?}"), "Sensitive");
    }
}
