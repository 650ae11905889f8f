//! A credential string that never appears in `Debug` output.

use std::fmt;

/// Holds the API key or the secret key.
///
/// Both halves of the HTTP Basic credential are wrapped: the API key alone identifies the
/// account, so printing it is already a leak. Deliberately not `Display`, so it cannot end up in
/// a formatted message by accident; [`Secret::expose`] is the only way to the text.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The raw value, for the one place that must send it: the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("sk_live_very_secret".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret:#?}"), "<redacted>");
        assert_eq!(secret.expose(), "sk_live_very_secret");
    }
}
