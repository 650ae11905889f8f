//! The Pabbly API spec: the YAML file that describes every operation, loaded with positions,
//! checked, and lowered to the model the code generator expands.
//!
//! The pipeline is `text → raw (spanned YAML) → ir (checked, named, resolved)`. Every problem is
//! collected and reported with its `file:line:column`, so one run shows them all.
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
//! assert_eq!(api.resources[0].operations[0].path, "/customer/{customer_id}");
//! ```

mod conform;
mod diagnostic;
pub mod ir;
mod lower;
pub mod naming;
mod raw;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics, Position};
pub use lower::SPEC_VERSION;

use diagnostic::Collector;

/// Reads and checks the spec file at `path`; `display_name` is how errors name the file.
///
/// # Errors
/// A diagnostic when the file cannot be read, and every problem in it otherwise.
pub fn load(path: &Path, display_name: &str) -> Result<ir::Api, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(&text, display_name),
        Err(error) => Err(Diagnostics(vec![Diagnostic {
            file: display_name.to_owned(),
            position: Position::default(),
            message: format!("cannot read the spec file: {error}"),
            help: Some(format!("the path resolved to {}", path.display())),
            source_line: None,
        }])),
    }
}

/// Checks the spec `text`; `file` is how errors name it.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_str(text: &str, file: &str) -> Result<ir::Api, Diagnostics> {
    let mut diag = Collector::new(file, text);
    let raw: raw::RawSpec = match serde_saphyr::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let position = error.location().map(Position::from_location).unwrap_or_default();
            diag.error(position, yaml_message(&error), None);
            return Err(diag.into_diagnostics());
        }
    };
    let api = lower::lower(&raw, &mut diag);
    conform::check_examples(&api, &raw, &mut diag);
    diag.finish(api)
}

/// The loader's message without its own snippet (we print ours) and without position prefixes.
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let rendered = error.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or("invalid YAML").trim();
    // The position is printed in front already; drop the loader's own copy at the end.
    match first.rfind(" at line ") {
        Some(cut) if first[cut..].contains(", column ") => first[..cut].to_owned(),
        _ => first.to_owned(),
    }
}
