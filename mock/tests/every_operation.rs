//! Every operation of the spec, over plain HTTP: served at its method and full path (its own
//! root when it declares one), answering a sampled valid request with 200 and JSON, counted by
//! its id, and echoing the path's id when it reads one object.

use std::path::Path;

use pabbly_mock::MockServer;
use pabbly_spec::ir::{Api, Envelope, Method, Operation, ParamLocation, PathSegment};
use pabbly_spec::sample;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

mod support;

fn api() -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/pabbly.yaml");
    pabbly_spec::load(&path, "spec/pabbly.yaml").unwrap_or_else(|d| panic!("{d}"))
}

/// The operation's root: `/api/v1`, or where its `base` moves it (the dashboard's `../v2` is
/// `/api/v2`, checked by name below).
fn root(op: &Operation) -> String {
    let root = format!("/{}", op.mount.join("/"));
    if op.id == "dashboard.get_stats" {
        assert_eq!(root, "/api/v2");
    } else if op.root.is_base() {
        assert_eq!(root, "/api/v1");
    }
    root
}

/// The path with every placeholder replaced by a recognisable value, and those values.
fn render(op: &Operation) -> (String, Vec<String>) {
    let mut path = String::new();
    let mut values = Vec::new();
    for segment in &op.path.segments {
        path.push('/');
        match segment {
            PathSegment::Literal(text) => path.push_str(text),
            PathSegment::Param { name, .. } => {
                let value = format!("from-path-{name}");
                path.push_str(&value);
                values.push(value);
            }
        }
    }
    if op.path.trailing_slash || op.path.segments.is_empty() {
        path.push('/');
    }
    (path, values)
}

fn query_string(params: &Value) -> String {
    let Value::Object(params) = params else {
        return String::new();
    };
    params
        .iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "{}={}",
                utf8_percent_encode(key, NON_ALPHANUMERIC),
                utf8_percent_encode(&text, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn method(op: &Operation) -> reqwest::Method {
    match op.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

#[tokio::test]
async fn every_operation_is_served_validated_and_answered() {
    let api = api();
    assert!(api.operations().count() > 0);
    let server = MockServer::start().await.expect("starts");
    let origin = format!("http://{}", server.address());
    let client = support::http();
    let mut failures = Vec::new();
    for op in api.operations() {
        let (path, path_values) = render(op);
        let params = sample::request(&api, op);
        let mut url = format!("{origin}{}{path}", root(op));
        let mut request = client.request(method(op), &url);
        match op.request.as_ref().map(|r| r.location) {
            Some(ParamLocation::Query) => {
                let query = query_string(&params);
                if !query.is_empty() {
                    url = format!("{url}?{query}");
                    request = client.request(method(op), &url);
                }
            }
            Some(ParamLocation::Body) => {
                request = request
                    .header("content-type", "application/json")
                    .body(params.to_string());
            }
            None => {}
        }
        let response = request
            .basic_auth("test-key", Some("test-secret"))
            .send()
            .await
            .expect("answered");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body: Value = match serde_json::from_str(&text) {
            Ok(body) => body,
            Err(error) => {
                failures.push(format!("{}: not JSON ({error}): {text}", op.id));
                continue;
            }
        };
        if status != 200 {
            failures.push(format!("{} {url}: {status} {text}", op.id));
            continue;
        }
        if server.hits(&op.id) != 1 {
            failures.push(format!("{}: {} hits", op.id, server.hits(&op.id)));
        }
        // One object read, changed or deleted by its id answers with that id.
        let data = match op.response.envelope {
            Envelope::Data => body.get("data"),
            Envelope::Bare => Some(&body),
            Envelope::Message | Envelope::MessageList => None,
        };
        let example_has_id = op
            .example_response
            .as_ref()
            .and_then(|example| match op.response.envelope {
                Envelope::Data => example.get("data"),
                _ => Some(example),
            })
            .and_then(|data| data.get("id"))
            .is_some_and(Value::is_string);
        if let ([id], true, false) = (
            path_values.as_slice(),
            example_has_id,
            op.method == Method::Post,
        ) && data.and_then(|d| d.get("id")) != Some(&Value::from(id.as_str()))
        {
            failures.push(format!("{}: the answer's id is not {id}: {text}", op.id));
        }
        // An operation re-rooted elsewhere is not also served under the default root.
        if !op.root.is_base() {
            let elsewhere = format!("{origin}/api/v1{path}");
            let response = client
                .request(method(op), &elsewhere)
                .basic_auth("test-key", Some("test-secret"))
                .send()
                .await
                .expect("answered");
            if response.status().as_u16() != 404 {
                failures.push(format!("{}: also served at {elsewhere}", op.id));
            }
        }
    }
    server.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
