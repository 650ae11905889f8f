//! Base-URL validation, path-template rendering and joining the two.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

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

/// Replaces the i-th `{name}` placeholder of `template` with `values[i]`, percent-encoded as a
/// single segment. Errors describe the problem for an `InvalidRequest` error.
pub(crate) fn render(template: &str, values: &[&str]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut values = values.iter();
    let mut used = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("path template `{template}` has an unclosed `{{`"))?;
        let name = &after[..close];
        let value = values.next().ok_or_else(|| {
            format!("path template `{template}` needs a value for `{{{name}}}`, none was given")
        })?;
        if value.is_empty() {
            return Err(format!("path value for `{{{name}}}` is empty"));
        }
        // URL parsers resolve `.` and `..` segments (encoded or not), which would change the
        // route, so such values cannot be sent at all.
        if *value == "." || *value == ".." {
            return Err(format!("path value for `{{{name}}}` must not be `{value}`"));
        }
        out.extend(utf8_percent_encode(value, SEGMENT));
        used += 1;
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    let extra = values.count();
    if extra > 0 {
        return Err(format!(
            "path template `{template}` has {used} placeholder(s) but {} value(s) were given",
            used + extra
        ));
    }
    Ok(out)
}

/// Appends a rendered path to the base URL: the base's path prefix is kept, exactly one slash
/// separates them, and the rendered path's own trailing slash is kept.
pub(crate) fn join(base: &Url, rendered: &str) -> Url {
    let prefix = base.path().trim_end_matches('/');
    let suffix = rendered.trim_start_matches('/');
    let mut url = base.clone();
    url.set_path(&format!("{prefix}/{suffix}"));
    url
}

/// `base` re-rooted by `relative`, a path of `..` steps and plain segments from the spec
/// (`../v2` turns `…/api/v1` into `…/api/v2`), so one operation can live beside the others.
pub(crate) fn rebase(base: &Url, relative: &str) -> Url {
    let mut segments: Vec<&str> = base.path().split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/').filter(|s| !s.is_empty()) {
        if part == ".." {
            segments.pop();
        } else {
            segments.push(part);
        }
    }
    let mut url = base.clone();
    url.set_path(&format!("/{}", segments.join("/")));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(raw: &str) -> Url {
        parse_base_url(raw).expect("valid base URL")
    }

    fn url_for(base_url: &str, template: &str, values: &[&str]) -> String {
        let rendered = render(template, values).expect("renders");
        join(&base(base_url), &rendered).to_string()
    }

    #[test]
    fn rebase_moves_to_a_sibling_root() {
        for base_url in [
            "https://payments.pabbly.com/api/v1",
            "http://127.0.0.1:9/api/v1/",
        ] {
            let rebased = rebase(&base(base_url), "../v2");
            let url = join(&rebased, "/getdashboardstats").to_string();
            assert!(url.ends_with("/api/v2/getdashboardstats"), "{url}");
        }
    }

    #[test]
    fn keeps_prefix_and_template_trailing_slash() {
        for base_url in [
            "https://payments.pabbly.com/api/v1",
            "https://payments.pabbly.com/api/v1/",
        ] {
            assert_eq!(
                url_for(base_url, "/portal_sessions/", &[]),
                "https://payments.pabbly.com/api/v1/portal_sessions/"
            );
            assert_eq!(
                url_for(base_url, "/customers/{id}", &["abc"]),
                "https://payments.pabbly.com/api/v1/customers/abc"
            );
        }
        assert_eq!(
            url_for("http://127.0.0.1:8080/api/v1", "customers", &[]),
            "http://127.0.0.1:8080/api/v1/customers"
        );
    }

    #[test]
    fn base_without_path() {
        assert_eq!(
            url_for("http://127.0.0.1:8080", "/customers", &[]),
            "http://127.0.0.1:8080/customers"
        );
        assert_eq!(
            url_for("http://127.0.0.1:8080/", "/customers/", &[]),
            "http://127.0.0.1:8080/customers/"
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
        ];
        for (value, encoded) in cases {
            assert_eq!(
                url_for("https://h/api/v1", "/customers/{id}/invoices", &[value]),
                format!("https://h/api/v1/customers/{encoded}/invoices"),
                "value {value:?}"
            );
        }
    }

    #[test]
    fn several_placeholders_in_order() {
        assert_eq!(
            render("/a/{x}/b/{y}/", &["1", "2"]).as_deref(),
            Ok("/a/1/b/2/")
        );
    }

    #[test]
    fn rejects_bad_values_and_mismatches() {
        assert_eq!(
            render("/customers/{id}", &[""]),
            Err("path value for `{id}` is empty".to_owned())
        );
        assert_eq!(
            render("/customers/{id}", &[".."]),
            Err("path value for `{id}` must not be `..`".to_owned())
        );
        assert!(render("/customers/{id}", &["."]).is_err());
        assert!(render("/customers/{id}", &[]).is_err());
        assert!(render("/customers", &["x"]).is_err());
        assert!(render("/customers/{id", &["x"]).is_err());
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
