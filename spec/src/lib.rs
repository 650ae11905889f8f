//! The Pabbly API spec: the YAML file that describes every operation, loaded with positions,
//! checked, and lowered to the model the code generator expands.
//!
//! The pipeline is `text → raw (spanned YAML) → ir (checked, named, resolved)`. Every problem is
//! collected and reported with its `file:line:column`, so one run shows them all.
//!
//! This crate is what the `include_api!` macro builds, and only that: the maintainer's doc-page
//! fetch, importer, drift check and README table live in `pabbly-spec-tools` (`spec/tools/`).
//!
//! ```
//! let yaml = r#"
//! spec_version: 1
//! api:
//!   title: Example
//!   version: v1
//!   base_url: https://payments.pabbly.com/api/v1
//!   auth: basic
//! operations:
//!   - id: customers.get
//!     method: GET
//!     path: /customer/{customer_id}
//!     summary: Fetch one customer.
//!     path_params:
//!       customer_id: { type: string }
//!     response:
//!       data: { type: any }
//! "#;
//! let api = pabbly_spec::load_str(yaml, "example.yaml").expect("a valid spec");
//! assert_eq!(api.resources[0].operations[0].path.to_string(), "/customer/{customer_id}");
//! ```

mod conform;
mod diagnostic;
mod events;
pub mod ir;
mod lower;
mod names;
pub mod naming;
mod raw;
pub mod sample;
mod usage;
mod yaml;

use std::path::Path;

pub use conform::{check_request, check_response};
pub use diagnostic::{Diagnostic, Diagnostics, Excerpt, Position, Severity};
pub use lower::{SPEC_VERSION, placeholders as path_placeholders};

use diagnostic::Collector;

/// The largest spec file read, in bytes: 16 MiB, over a hundred times the real spec, so a
/// path to something huge fails at once instead of filling memory.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and checks the spec file at `path`; `display_name` is how errors name the file.
///
/// # Errors
/// A diagnostic when the file cannot be read (see [`read`]), and every problem in it otherwise.
pub fn load(path: &Path, display_name: &str) -> Result<ir::Api, Diagnostics> {
    let text = read(path, display_name).map_err(|d| Diagnostics(vec![d]))?;
    load_str(&text, display_name)
}

/// Reads the spec file at `path` as text; `display_name` is how the error names the file.
///
/// Only a regular file (or a link to one) of at most [`MAX_SPEC_BYTES`] is read: a FIFO, a
/// device such as `/dev/zero` or a directory is refused before it is opened, so reading can
/// neither block nor run out of memory.
///
/// ```
/// use std::path::Path;
///
/// let text = pabbly_spec::read(Path::new("pabbly.yaml"), "spec/pabbly.yaml").expect("readable");
/// assert!(text.starts_with("# "));
///
/// // A device that never ends is refused before a byte is read.
/// # #[cfg(unix)] {
/// let refused = pabbly_spec::read(Path::new("/dev/zero"), "zero.yaml").unwrap_err();
/// assert!(refused.message.contains("not a regular file"));
/// # }
/// ```
///
/// # Errors
/// A diagnostic saying why the file cannot be read.
pub fn read(path: &Path, display_name: &str) -> Result<String, Diagnostic> {
    use std::io::Read as _;
    let refuse = |message: String| Diagnostic {
        help: Some(format!("the path resolved to {}", path.display())),
        ..Diagnostic::new(Severity::Error, display_name, Position::default(), message)
    };
    let cannot = |error: std::io::Error| refuse(format!("cannot read the spec file: {error}"));
    let too_big = || {
        refuse(format!(
            "the spec file is larger than the {MAX_SPEC_BYTES} bytes a spec may have"
        ))
    };
    // `metadata` follows links but opens nothing, so it cannot block on a FIFO.
    let metadata = std::fs::metadata(path).map_err(cannot)?;
    if !metadata.is_file() {
        return Err(refuse(
            "the spec path is not a regular file (a spec is read only from a regular file)"
                .to_owned(),
        ));
    }
    if metadata.len() > MAX_SPEC_BYTES {
        return Err(too_big());
    }
    // The file may change between the check and the read: the limit holds while reading too.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SPEC_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_SPEC_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|error| {
        refuse(format!(
            "the spec file is not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ))
    })
}

/// Checks the spec `text`; `file` is how errors name it.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_str(text: &str, file: &str) -> Result<ir::Api, Diagnostics> {
    let mut diag = Collector::new(file, text);
    let raw = match read_raw(text) {
        Ok(raw) => raw,
        Err(error) => {
            diag.error(error.at, error.message, None);
            return Err(diag.into_diagnostics());
        }
    };
    let api = lower::lower(&raw, &mut diag);
    conform::check_examples(&api, &raw.value, &mut diag);
    diag.finish(api)
}

/// For tests of the YAML reader (hidden, not covered by semver): `Ok(true)` when its fast path
/// reads `text`, `Ok(false)` when it leaves the text to the full parser, and an error showing
/// both trees when the fast path reads the text otherwise than the full parser would, a bug.
///
/// ```
/// assert_eq!(pabbly_spec::__check_fast_yaml("a: [1, 'two']\n"), Ok(true));
/// assert_eq!(pabbly_spec::__check_fast_yaml("a: &anchor 1\n"), Ok(false));
/// ```
///
/// # Errors
/// The two trees, when they differ.
#[doc(hidden)]
pub fn __check_fast_yaml(text: &str) -> Result<bool, String> {
    yaml::check_fast(text)
}

/// The spec's YAML read into its raw structures; an empty file reads as an empty mapping, so
/// that its missing keys are reported.
///
/// The first problem in file order is reported: when the YAML breaks off, a value of the wrong
/// kind before the break comes first.
fn read_raw(text: &str) -> Result<raw::Spanned<raw::RawSpec>, yaml::YamlError> {
    use raw::FromNode as _;
    let parsed = yaml::parse(text);
    let root = parsed.root.unwrap_or(yaml::Node {
        at: Position { line: 1, column: 1 },
        kind: yaml::Kind::Mapping(Vec::new()),
    });
    let raw = raw::Spanned::from_node(root)?;
    match parsed.error {
        Some(error) => Err(error),
        None => Ok(raw),
    }
}
