//! What the spec tests share.

/// A valid spec header: everything before `types:` and `operations:`.
pub(crate) const HEADER: &str = "\
spec_version: 1
api:
  title: Test API
  version: v1
  base_url: https://example.com/api
  auth: basic
";
