//! Credentials that never appear in `Debug` or `Display` output, and the header made from them.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
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

/// Every form in which the client's own credentials could come back in an answer — a proxy's
/// error page that echoes the request head, a server quoting what it received — so that no
/// error shows them.
///
/// The needles are the API key, the secret key and the base64 of `key:secret` in both
/// alphabets, without padding (a padded copy contains the unpadded one). `key:secret` and the
/// whole `Basic …` value contain one of them, so they are covered too.
pub(crate) struct Redaction {
    /// Longest first, so that a needle inside another never leaves part of the longer one.
    needles: Vec<String>,
}

impl Redaction {
    /// What a credential is replaced with.
    pub(crate) const MARK: &'static str = "<redacted>";

    pub(crate) fn new(api_key: &Secret, secret_key: &Secret) -> Self {
        let pair = format!("{}:{}", api_key.expose(), secret_key.expose());
        let mut needles = vec![
            api_key.expose().clone(),
            secret_key.expose().clone(),
            STANDARD_NO_PAD.encode(&pair),
            URL_SAFE_NO_PAD.encode(&pair),
        ];
        needles.retain(|needle| !needle.is_empty());
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self { needles }
    }

    /// `text` with every credential replaced by [`Self::MARK`], or `None` when it holds none
    /// (then nothing is copied).
    pub(crate) fn scrub(&self, text: &str) -> Option<String> {
        let mut scrubbed: Option<String> = None;
        for needle in &self.needles {
            let current = scrubbed.as_deref().unwrap_or(text);
            if current.contains(needle.as_str()) {
                scrubbed = Some(current.replace(needle.as_str(), Self::MARK));
            }
        }
        scrubbed
    }
}

impl fmt::Debug for Redaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
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

    #[test]
    fn redaction_covers_every_form_of_the_credentials() {
        let redaction = Redaction::new(
            &Secret::new("ak_live_key".to_owned()),
            &Secret::new("sk_live_secret?>".to_owned()),
        );
        let pair = "ak_live_key:sk_live_secret?>";
        for leak in [
            "ak_live_key".to_owned(),
            "sk_live_secret?>".to_owned(),
            pair.to_owned(),
            format!("authorization: Basic {}", STANDARD.encode(pair)),
            format!("Basic {}", STANDARD_NO_PAD.encode(pair)),
            format!("token={}", URL_SAFE_NO_PAD.encode(pair)),
        ] {
            let text = format!("echo: {leak} (end)");
            let clean = redaction.scrub(&text).expect("a credential is found");
            for needle in &redaction.needles {
                assert!(!clean.contains(needle.as_str()), "{clean}");
            }
            assert!(clean.contains(Redaction::MARK), "{clean}");
            assert!(
                clean.starts_with("echo: ") && clean.ends_with(" (end)"),
                "{clean}"
            );
        }
        assert_eq!(redaction.scrub("nothing secret here"), None);
        assert_eq!(format!("{redaction:?}"), "<redacted>");
    }
}
