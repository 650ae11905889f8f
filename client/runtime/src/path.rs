//! Base-URL validation, and a request's URL from the base URL, the operation's root and the
//! path segments the generated method supplies.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::operation::{Root, Segment};

/// Everything except RFC 3986 unreserved characters, so a value is always exactly one path
/// segment: `/`, `?`, `#` and `%` in an id can never change the route.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Parses and checks a base URL, explaining what is wrong without echoing the URL (it could
/// carry credentials or a token in its query).
pub(crate) fn parse_base_url(raw: &str) -> Result<Url, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("base URL is empty".to_owned());
    }
    let url = Url::parse(raw).map_err(|err| format!("base URL is not a valid URL: {err}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "base URL must use http or https, not `{}`",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("base URL must not contain credentials; pass them to the builder".to_owned());
    }
    if url.query().is_some() {
        return Err("base URL must not contain a query string".to_owned());
    }
    if url.fragment().is_some() {
        return Err("base URL must not contain a fragment".to_owned());
    }
    Ok(url)
}

/// The request path of `segments`, each value percent-encoded as a single segment. Errors
/// describe a value that cannot be sent, for an `InvalidRequest` error.
pub(crate) fn render(segments: &[Segment<'_>]) -> Result<String, String> {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match *segment {
            Segment::Literal(text) => out.push_str(text),
            Segment::Value(name, value) => {
                if value.is_empty() {
                    return Err(format!("path value for `{{{name}}}` is empty"));
                }
                // URL parsers resolve `.` and `..` segments (encoded or not), which would
                // change the route, so such values cannot be sent at all.
                if value == "." || value == ".." {
                    return Err(format!("path value for `{{{name}}}` must not be `{value}`"));
                }
                out.extend(utf8_percent_encode(value, SEGMENT));
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// The URL of a rendered path: the base URL's path moved to `root`, then `rendered`. The base's
/// trailing slash is dropped, so exactly one slash separates them; the rendered path's own
/// trailing slash is kept.
pub(crate) fn url_for(base: &Url, root: Root, rendered: &str) -> Url {
    let mut prefix = base.path().trim_end_matches('/');
    for _ in 0..root.up {
        prefix = prefix.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
    let mut path = prefix.to_owned();
    for segment in root.then {
        path.push('/');
        path.push_str(segment);
    }
    path.push_str(rendered);
    let mut url = base.clone();
    url.set_path(&path);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Literal, Value};

    fn base(raw: &str) -> Url {
        parse_base_url(raw).expect("valid base URL")
    }

    fn url_for_base(base_url: &str, root: Root, segments: &[Segment<'_>]) -> String {
        let rendered = render(segments).expect("renders");
        url_for(&base(base_url), root, &rendered).to_string()
    }

    fn url(base_url: &str, segments: &[Segment<'_>]) -> String {
        url_for_base(base_url, Root::BASE, segments)
    }

    #[test]
    fn a_root_moves_to_a_sibling_of_the_base_path() {
        let v2 = Root {
            up: 1,
            then: &["v2"],
        };
        for base_url in [
            "https://payments.pabbly.com/api/v1",
            "http://127.0.0.1:9/api/v1/",
        ] {
            let url = url_for_base(base_url, v2, &[Literal("getdashboardstats")]);
            assert!(url.ends_with("/api/v2/getdashboardstats"), "{url}");
        }
        // More steps up than the base path has stop at the host.
        let far = Root {
            up: 5,
            then: &["v3"],
        };
        assert_eq!(
            url_for_base("https://h/api/v1", far, &[Literal("x")]),
            "https://h/v3/x"
        );
    }

    #[test]
    fn keeps_prefix_and_template_trailing_slash() {
        for base_url in [
            "https://payments.pabbly.com/api/v1",
            "https://payments.pabbly.com/api/v1/",
        ] {
            assert_eq!(
                url(base_url, &[Literal("portal_sessions"), Literal("")]),
                "https://payments.pabbly.com/api/v1/portal_sessions/"
            );
            assert_eq!(
                url(base_url, &[Literal("customers"), Value("id", "abc")]),
                "https://payments.pabbly.com/api/v1/customers/abc"
            );
        }
    }

    #[test]
    fn base_without_path() {
        assert_eq!(
            url("http://127.0.0.1:8080", &[Literal("customers")]),
            "http://127.0.0.1:8080/customers"
        );
        assert_eq!(
            url(
                "http://127.0.0.1:8080/",
                &[Literal("customers"), Literal("")]
            ),
            "http://127.0.0.1:8080/customers/"
        );
        assert_eq!(
            url("http://127.0.0.1:8080/api", &[]),
            "http://127.0.0.1:8080/api/"
        );
    }

    #[test]
    fn values_are_single_segments() {
        let cases = [
            ("../customers", "..%2Fcustomers"),
            ("a/b?c#d", "a%2Fb%3Fc%23d"),
            ("with space", "with%20space"),
            ("100%", "100%25"),
            ("%2e%2e", "%252e%252e"),
            ("héllo-😀", "h%C3%A9llo-%F0%9F%98%80"),
            ("A-z_0.9~", "A-z_0.9~"),
            ("...", "..."),
            ("line\r\nbreak\u{0}", "line%0D%0Abreak%00"),
        ];
        for (value, encoded) in cases {
            let segments = [
                Literal("customers"),
                Value("id", value),
                Literal("invoices"),
            ];
            assert_eq!(
                url("https://h/api/v1", &segments),
                format!("https://h/api/v1/customers/{encoded}/invoices"),
                "value {value:?}"
            );
        }
    }

    #[test]
    fn several_values_in_order() {
        let segments = [
            Literal("a"),
            Value("x", "1"),
            Literal("b"),
            Value("y", "2"),
            Literal(""),
        ];
        assert_eq!(render(&segments).as_deref(), Ok("/a/1/b/2/"));
    }

    #[test]
    fn rejects_values_that_would_change_the_route() {
        let with = |value| render(&[Literal("customers"), Value("id", value)]);
        assert_eq!(with(""), Err("path value for `{id}` is empty".to_owned()));
        assert_eq!(
            with(".."),
            Err("path value for `{id}` must not be `..`".to_owned())
        );
        assert_eq!(
            with("."),
            Err("path value for `{id}` must not be `.`".to_owned())
        );
    }

    #[test]
    fn base_url_validation() {
        let cases = [
            ("", "base URL is empty"),
            (
                "not a url",
                "base URL is not a valid URL: relative URL without a base",
            ),
            (
                "ftp://example.com",
                "base URL must use http or https, not `ftp`",
            ),
            (
                "https://user:pw@example.com",
                "base URL must not contain credentials; pass them to the builder",
            ),
            (
                "https://example.com/api?token=x",
                "base URL must not contain a query string",
            ),
            (
                "https://example.com/api#x",
                "base URL must not contain a fragment",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_base_url(raw), Err(expected.to_owned()), "{raw}");
        }
        assert!(parse_base_url(" https://example.com/api/v1 ").is_ok());
    }
}
