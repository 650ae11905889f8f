//! Checks on request values made before anything is sent.

use serde_json::Value;
use url::Url;

/// Checks that each field of `fields` present in `request` as a string is an absolute
/// `http`/`https` URL (for these schemes the parser itself insists on a host). Returns the
/// problem for an `InvalidRequest` error.
///
/// Pabbly stores such URLs and later sends customers to them (portal return links, checkout
/// redirects), so a relative path, a `javascript:` URL or a typo is refused here rather than
/// discovered by a customer. The value itself is not repeated in the message: URLs often carry
/// tokens in their query.
pub(crate) fn url_fields(fields: &[&str], request: &Value) -> Result<(), String> {
    let Some(object) = request.as_object() else {
        return Ok(());
    };
    for field in fields {
        let Some(Value::String(text)) = object.get(*field) else {
            continue;
        };
        let problem = match Url::parse(text) {
            Err(err) => err.to_string(),
            Ok(url) if !matches!(url.scheme(), "http" | "https") => {
                format!("the scheme is `{}`", url.scheme())
            }
            Ok(_) => continue,
        };
        return Err(format!(
            "`{field}` must be an absolute http or https URL ({problem})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELDS: &[&str] = &["redirect_url", "return_url"];

    #[test]
    fn accepts_absolute_http_urls_and_absent_fields() {
        for request in [
            json!({"redirect_url": "https://www.pabbly.com/", "return_url": "http://127.0.0.1:8080/back?x=1"}),
            json!({"redirect_url": null}),
            json!({"other": "not a url"}),
            json!({}),
            Value::Null,
        ] {
            assert_eq!(url_fields(FIELDS, &request), Ok(()), "{request}");
        }
    }

    #[test]
    fn refuses_anything_else_naming_the_field() {
        let cases = [
            ("/relative/path", "relative URL without a base"),
            ("", "relative URL without a base"),
            ("javascript:alert(1)", "the scheme is `javascript`"),
            ("ftp://example.com/file", "the scheme is `ftp`"),
            ("https://exa mple.com", "invalid international domain name"),
            ("http://", "empty host"),
        ];
        for (value, problem) in cases {
            let request = json!({"redirect_url": "https://ok.example/", "return_url": value});
            assert_eq!(
                url_fields(FIELDS, &request),
                Err(format!(
                    "`return_url` must be an absolute http or https URL ({problem})"
                )),
                "{value:?}"
            );
        }
    }

    #[test]
    fn message_does_not_repeat_the_value() {
        let request = json!({"redirect_url": "mailto:someone?token=sekrit"});
        let problem = url_fields(FIELDS, &request).expect_err("not http");
        assert!(!problem.contains("sekrit"), "{problem}");
    }
}
