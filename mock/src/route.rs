//! Finds the spec operation for a request's method and path, capturing path parameters.

use pabbly_spec::ir::{Api, Operation};
use percent_encoding::percent_decode_str;

/// The operation a request is for, with its path values by wire name.
pub(crate) struct Matched<'a> {
    pub(crate) operation: &'a Operation,
    pub(crate) path_values: Vec<(&'a str, String)>,
}

/// What routing found.
pub(crate) enum Route<'a> {
    Found(Matched<'a>),
    /// The path exists, but not with this method.
    WrongMethod,
    NotFound,
}

/// Looks `path` (relative to the API prefix) up among the spec's operations.
pub(crate) fn find<'a>(api: &'a Api, method: &str, path: &str) -> Route<'a> {
    let mut path_exists = false;
    for operation in api.operations() {
        let Some(path_values) = match_template(&operation.path, path) else {
            continue;
        };
        if operation.method.as_str() != method {
            path_exists = true;
            continue;
        }
        return Route::Found(Matched {
            operation,
            path_values,
        });
    }
    if path_exists {
        Route::WrongMethod
    } else {
        Route::NotFound
    }
}

/// Matches segment by segment; `{name}` takes one non-empty, percent-decoded segment.
fn match_template<'t>(template: &'t str, path: &str) -> Option<Vec<(&'t str, String)>> {
    let template_segments: Vec<&str> = template.split('/').collect();
    let path_segments: Vec<&str> = path.split('/').collect();
    if template_segments.len() != path_segments.len() {
        return None;
    }
    let mut values = Vec::new();
    for (expected, actual) in template_segments.iter().zip(&path_segments) {
        match expected.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            Some(name) if !actual.is_empty() => {
                let decoded = percent_decode_str(actual).decode_utf8().ok()?;
                values.push((name, decoded.into_owned()));
            }
            Some(_) => return None,
            None if expected == actual => {}
            None => return None,
        }
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        let values = match_template("/customer/{customer_id}", "/customer/a%2Fb");
        assert_eq!(values, Some(vec![("customer_id", "a/b".to_owned())]));
        assert_eq!(
            match_template("/customer/{customer_id}", "/customer/"),
            None
        );
        assert_eq!(
            match_template("/customer/{customer_id}", "/customer/a/b"),
            None
        );
        assert_eq!(
            match_template("/portal_sessions/", "/portal_sessions/"),
            Some(vec![])
        );
        assert_eq!(
            match_template("/portal_sessions/", "/portal_sessions"),
            None
        );
    }
}
