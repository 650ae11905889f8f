//! Where each spec operation is served, and which operation a request or a route name means.

use pabbly_spec::ir::{Api, Operation, PathSegment};
use percent_encoding::percent_decode_str;

/// Every operation with its full served path template, by index (spec order).
#[derive(Debug)]
pub(crate) struct Routes {
    /// The path of the API's base URL, e.g. `/api/v1` (no trailing slash).
    pub(crate) prefix: String,
    operations: Vec<Route>,
}

/// One operation and where it is served.
#[derive(Debug)]
struct Route {
    operation: &'static Operation,
    /// The operation's template as the spec writes it (`/customer/{customer_id}`).
    spec_path: String,
    template: Template,
}

/// A served path template: the operation's mount and template segments from the model, so
/// that matching a request allocates only for the templates it matches.
#[derive(Debug)]
struct Template {
    text: String,
    segments: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Literal(String),
    /// `{name}`: one non-empty, percent-decoded segment.
    Param(String),
}

impl Template {
    /// Where `op` is served: its template under its mount (`/api/v1`, `/api/v2` for the
    /// dashboard), both resolved by the spec's lowering.
    fn of(op: &Operation) -> Self {
        // `/a/b` splits as `["", "a", "b"]`: the leading empty segment is the leading slash,
        // a trailing one the trailing slash (a bare `/` template ends in one too).
        let mut segments = vec![Segment::Literal(String::new())];
        segments.extend(op.mount.iter().cloned().map(Segment::Literal));
        segments.extend(op.path.segments.iter().map(|segment| match segment {
            PathSegment::Literal(text) => Segment::Literal(text.clone()),
            PathSegment::Param { name, .. } => Segment::Param(name.clone()),
        }));
        if op.path.trailing_slash || op.path.segments.is_empty() {
            segments.push(Segment::Literal(String::new()));
        }
        let text = segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.clone(),
                Segment::Param(name) => format!("{{{name}}}"),
            })
            .collect::<Vec<_>>()
            .join("/");
        Self { text, segments }
    }

    /// Which segments are parameters; where templates overlap, literal segments win.
    fn shape(&self) -> Vec<bool> {
        self.segments
            .iter()
            .map(|segment| matches!(segment, Segment::Param(_)))
            .collect()
    }

    /// The path values by name when `path` matches, segment by segment.
    fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        if path.split('/').count() != self.segments.len() {
            return None;
        }
        let pairs = || self.segments.iter().zip(path.split('/'));
        let fits = pairs().all(|(segment, actual)| match segment {
            Segment::Literal(expected) => expected == actual,
            Segment::Param(_) => !actual.is_empty(),
        });
        if !fits {
            return None;
        }
        pairs()
            .filter_map(|(segment, actual)| match segment {
                Segment::Param(name) => Some((name, actual)),
                Segment::Literal(_) => None,
            })
            .map(|(name, actual)| {
                let decoded = percent_decode_str(actual).decode_utf8().ok()?;
                Some((name.clone(), decoded.into_owned()))
            })
            .collect()
    }
}

/// An operation a request's method and path match, with its path values by wire name.
pub(crate) struct Candidate {
    pub(crate) index: usize,
    pub(crate) operation: &'static Operation,
    pub(crate) path_values: Vec<(String, String)>,
}

/// What routing found for a request.
pub(crate) enum Lookup {
    /// The operations at this method and path, in spec order (more than one only when the spec
    /// has the same path twice and tells the operations apart by their parameters).
    Operations(Vec<Candidate>),
    /// The path exists, but only with these methods.
    WrongMethod(Vec<&'static str>),
    NotFound,
}

impl Routes {
    pub(crate) fn new(api: &'static Api) -> Self {
        let prefix = api
            .base_path
            .iter()
            .map(|segment| format!("/{segment}"))
            .collect();
        let operations = api
            .operations()
            .map(|operation| Route {
                operation,
                spec_path: operation.path.to_string(),
                template: Template::of(operation),
            })
            .collect();
        Self { prefix, operations }
    }

    /// Every operation with its full served path template, in spec order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static Operation, &str)> {
        self.operations
            .iter()
            .map(|route| (route.operation, route.template.text.as_str()))
    }

    /// How many operations there are; indices run below it.
    pub(crate) fn len(&self) -> usize {
        self.operations.len()
    }

    /// Looks a request's method and full path up among the operations.
    pub(crate) fn find(&self, method: &str, path: &str) -> Lookup {
        let mut candidates = Vec::new();
        let mut allowed = Vec::new();
        for (index, route) in self.operations.iter().enumerate() {
            let Some(path_values) = route.template.matches(path) else {
                continue;
            };
            let operation = route.operation;
            if operation.method.as_str() == method {
                candidates.push(Candidate {
                    index,
                    operation,
                    path_values,
                });
            } else if !allowed.contains(&operation.method.as_str()) {
                allowed.push(operation.method.as_str());
            }
        }
        // Where templates overlap (`/subscription/{id}/update` and
        // `/subscription/change-billing/{id}`), literal segments win, leftmost first, as in
        // routers that match segment by segment; same-shaped templates all stay, in spec order.
        let shape = |candidate: &Candidate| {
            self.operations
                .get(candidate.index)
                .map(|route| route.template.shape())
                .unwrap_or_default()
        };
        if candidates.len() > 1
            && let Some(best) = candidates.iter().map(shape).min()
        {
            candidates.retain(|candidate| shape(candidate) == best);
        }
        if !candidates.is_empty() {
            Lookup::Operations(candidates)
        } else if !allowed.is_empty() {
            Lookup::WrongMethod(allowed)
        } else {
            Lookup::NotFound
        }
    }

    /// The operation a route name means: an operation id (`portal_sessions.create`) or
    /// `METHOD /path` with the spec's path template, with or without the API prefix (the first
    /// of several operations sharing it).
    pub(crate) fn resolve(&self, route: &str) -> Option<usize> {
        let route = route.trim();
        match route.split_once(char::is_whitespace) {
            Some((method, path)) => {
                let path = path.trim();
                self.operations.iter().position(|served| {
                    served
                        .operation
                        .method
                        .as_str()
                        .eq_ignore_ascii_case(method)
                        && (served.spec_path == path || served.template.text == path)
                })
            }
            None => self
                .operations
                .iter()
                .position(|served| served.operation.id == route),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(path: &str, base: Option<&str>) -> Operation {
        let base = base.map_or(String::new(), |b| format!("    base: '{b}'\n"));
        let names = pabbly_spec::path_placeholders(path).expect("a valid template");
        let params: String = names
            .iter()
            .map(|name| format!("      {name}: {{ type: string }}\n"))
            .collect();
        let params = if params.is_empty() {
            params
        } else {
            format!("    path_params:\n{params}")
        };
        let yaml = format!(
            "spec_version: 1
api:
  title: T
  version: v1
  base_url: https://x.test/api/v1
  auth: basic
operations:
  - id: things.get
    method: GET
    path: '{path}'
{base}{params}    summary: S.
    response:
      data: {{ type: any }}
"
        );
        let api = pabbly_spec::load_str(&yaml, "t.yaml").expect("a valid spec");
        api.operations().next().expect("one operation").clone()
    }

    /// Whether a request for `path` under the API's `/api/v1` matches `template`.
    fn matches(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        Template::of(&op(template, None)).matches(&format!("/api/v1{path}"))
    }

    #[test]
    fn templates_match_whole_segments() {
        assert_eq!(
            matches("/customer/{customer_id}", "/customer/a%2Fb"),
            Some(vec![("customer_id".to_owned(), "a/b".to_owned())])
        );
        assert_eq!(matches("/customer/{customer_id}", "/customer/"), None);
        assert_eq!(matches("/customer/{customer_id}", "/customer/a/b"), None);
        assert_eq!(
            matches("/portal_sessions/", "/portal_sessions/"),
            Some(vec![])
        );
        assert_eq!(matches("/portal_sessions/", "/portal_sessions"), None);
    }

    #[test]
    fn literal_segments_win_over_placeholders() {
        let api: &'static Api = Box::leak(Box::new(
            pabbly_spec::load_str(
                "spec_version: 1
api:
  title: T
  version: v1
  base_url: https://x.test/api/v1
  auth: basic
operations:
  - id: things.update
    method: PUT
    path: /thing/{id}/update
    summary: S.
    path_params:
      id: { type: string }
    response:
      data: { type: any }
  - id: things.rename
    method: PUT
    path: /thing/rename/{id}
    summary: S.
    path_params:
      id: { type: string }
    response:
      data: { type: any }
",
                "t.yaml",
            )
            .expect("a valid spec"),
        ));
        let routes = Routes::new(api);
        let ids = |path: &str| match routes.find("PUT", path) {
            Lookup::Operations(candidates) => candidates
                .iter()
                .map(|c| c.operation.id.as_str())
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(ids("/api/v1/thing/rename/update"), ["things.rename"]);
        assert_eq!(ids("/api/v1/thing/abc/update"), ["things.update"]);
        assert_eq!(ids("/api/v1/thing/rename/abc"), ["things.rename"]);
        assert!(matches!(
            routes.find("GET", "/api/v1/thing/abc/update"),
            Lookup::WrongMethod(methods) if methods == ["PUT"]
        ));
        assert!(matches!(
            routes.find("PUT", "/api/v1/thing/abc"),
            Lookup::NotFound
        ));
    }

    #[test]
    fn operations_are_served_under_their_mount() {
        let served = |path, base| Template::of(&op(path, base)).text;
        assert_eq!(served("/things/", None), "/api/v1/things/");
        assert_eq!(served("/things/{id}", None), "/api/v1/things/{id}");
        assert_eq!(served("/stats", Some("../v2")), "/api/v2/stats");
        assert_eq!(served("/", None), "/api/v1/");
    }
}
