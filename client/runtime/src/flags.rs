//! Booleans that Pabbly expects as text: `"true"`/`"false"` or `"yes"`/`"no"`.
//!
//! Request fields such as `cancel_at_end` are typed `bool` in Rust, so a typo cannot compile,
//! and written the way Pabbly reads them. They decode leniently (the wire rules' lenient boolean).

use serde::Serializer;

/// `true` → `"true"`, `false` → `"false"`.
///
/// # Errors
/// Only from the serializer itself.
pub fn true_false<S: Serializer>(flag: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *flag { "true" } else { "false" })
}

/// `true` → `"yes"`, `false` → `"no"`.
///
/// # Errors
/// Only from the serializer itself.
pub fn yes_no<S: Serializer>(flag: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *flag { "yes" } else { "no" })
}

/// [`true_false`] for an optional flag.
///
/// # Errors
/// Only from the serializer itself.
pub fn true_false_opt<S: Serializer>(
    flag: &Option<bool>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    crate::object::serialize_optional(flag, serializer, true_false)
}

/// [`yes_no`] for an optional flag.
///
/// # Errors
/// Only from the serializer itself.
pub fn yes_no_opt<S: Serializer>(flag: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
    crate::object::serialize_optional(flag, serializer, yes_no)
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Cancel {
        #[serde(serialize_with = "super::true_false")]
        cancel_at_end: bool,
        #[serde(serialize_with = "super::yes_no_opt")]
        enable_portal: Option<bool>,
    }

    #[test]
    fn flags_are_written_as_pabbly_reads_them() -> Result<(), serde_json::Error> {
        let cancel = Cancel {
            cancel_at_end: true,
            enable_portal: Some(false),
        };
        assert_eq!(
            serde_json::to_string(&cancel)?,
            r#"{"cancel_at_end":"true","enable_portal":"no"}"#
        );
        Ok(())
    }
}
