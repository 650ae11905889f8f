//! The normal answer to one request: credentials, routing outcome, validation against the spec,
//! then the operation's example with the request's ids echoed.

use base64::Engine as _;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{HeaderMap, StatusCode};
use pabbly_spec::ir::{
    Api, Envelope, Method as SpecMethod, Operation, ParamLocation, Scalar, Type,
};
use serde_json::{Map, Value, json};

use crate::State;
use crate::route::{Candidate, Lookup};

/// A response before faults are applied to it.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: String,
}

impl Reply {
    fn json(status: StatusCode, body: &Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    /// Pabbly's error shape: `{"status":"error","message":…}`.
    pub(crate) fn error(status: StatusCode, message: &str) -> Self {
        Self::json(status, &json!({"status": "error", "message": message}))
    }
}

/// Among operations sharing a method and path, the one the request means (the rest are
/// dropped): with parameters, the first operation that declares parameters and accepts these,
/// or else the first that declares any (so its validation errors are reported); without, the
/// first that takes none.
pub(crate) fn choose(
    api: &Api,
    lookup: Lookup,
    query: Option<&str>,
    body: Option<&[u8]>,
) -> Lookup {
    let Lookup::Operations(mut candidates) = lookup else {
        return lookup;
    };
    if candidates.len() > 1 {
        let carries = query.is_some_and(|q| !q.is_empty())
            || body.is_none_or(|b| !b.iter().all(u8::is_ascii_whitespace));
        let takes = |c: &Candidate| c.operation.request.is_some();
        let accepts = |c: &Candidate| {
            takes(c)
                && body.is_some_and(|body| {
                    parameters(c.operation, query, body)
                        .is_ok_and(|params| check_request(api, c.operation, &params).is_empty())
                })
        };
        let pick = if carries {
            candidates
                .iter()
                .position(accepts)
                .or_else(|| candidates.iter().position(takes))
        } else {
            candidates.iter().position(|c| !takes(c))
        };
        candidates.swap(0, pick.unwrap_or(0));
        candidates.truncate(1);
    }
    Lookup::Operations(candidates)
}

/// Answers a request as Pabbly would, for the first operation `lookup` holds. `body` is `None`
/// when it was larger than the mock accepts. A valid request gets the route's next stub, when
/// `use_stub` and one is queued, or the example.
pub(crate) fn answer(
    state: &State,
    lookup: &Lookup,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Option<&[u8]>,
    use_stub: bool,
) -> Reply {
    if !authorized(state, headers) {
        // Pabbly answers bad credentials with 403, not the 401 its reference lists.
        return Reply::error(StatusCode::FORBIDDEN, "Invalid user api");
    }
    let candidate = match lookup {
        Lookup::Operations(candidates) => match candidates.first() {
            Some(candidate) => candidate,
            None => return Reply::error(StatusCode::NOT_FOUND, "Route not found"),
        },
        Lookup::WrongMethod(allowed) => {
            let mut reply = Reply::error(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed on this route",
            );
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                reply.headers.push((header::ALLOW, value));
            }
            return reply;
        }
        Lookup::NotFound => return Reply::error(StatusCode::NOT_FOUND, "Route not found"),
    };
    let op = candidate.operation;
    let Some(body) = body else {
        return Reply::error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large");
    };
    let params = match parameters(op, query, body) {
        Ok(params) => params,
        Err(message) => return Reply::error(StatusCode::BAD_REQUEST, &message),
    };
    let problems = check_request(state.api, op, &params);
    if !problems.is_empty() {
        return Reply::error(StatusCode::BAD_REQUEST, &problems.join("; "));
    }
    if let Some(body) = use_stub.then(|| state.take_stub(candidate.index)).flatten() {
        return Reply {
            status: StatusCode::OK,
            headers: Vec::new(),
            body,
        };
    }
    Reply::json(
        StatusCode::OK,
        &example(state.api, op, &candidate.path_values, &params),
    )
}

/// The spec's validation, except that an operation without parameters ignores whatever the
/// request carries, as Pabbly does.
fn check_request(api: &Api, op: &Operation, params: &Value) -> Vec<String> {
    match op.request {
        Some(_) => pabbly_spec::check_request(api, op, params),
        None => Vec::new(),
    }
}

/// HTTP Basic with a non-empty key and secret, or exactly the configured pair.
fn authorized(state: &State, headers: &HeaderMap) -> bool {
    let Some(encoded) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let Ok(pair) = String::from_utf8(decoded) else {
        return false;
    };
    let Some((key, secret)) = pair.split_once(':') else {
        return false;
    };
    match &state.credentials {
        Some((expected_key, expected_secret)) => key == expected_key && secret == expected_secret,
        None => !key.is_empty() && !secret.is_empty(),
    }
}

/// The request's query or body parameters as one JSON object.
fn parameters(op: &Operation, query: Option<&str>, body: &[u8]) -> Result<Value, String> {
    let location = op.request.as_ref().map(|r| r.location);
    match location {
        Some(ParamLocation::Query) => Ok(query_object(op, query.unwrap_or(""))),
        Some(ParamLocation::Body) if body.iter().all(u8::is_ascii_whitespace) => {
            Ok(Value::Object(Map::new()))
        }
        Some(ParamLocation::Body) => {
            serde_json::from_slice(body).map_err(|e| format!("Malformed JSON body: {e}"))
        }
        None => Ok(Value::Object(Map::new())),
    }
}

/// Query pairs typed by the spec, so `page=2` checks as the integer it stands for.
fn query_object(op: &Operation, query: &str) -> Value {
    let fields = op
        .request
        .as_ref()
        .map(|r| r.fields.as_slice())
        .unwrap_or(&[]);
    let mut object = Map::new();
    for (key, raw) in form_pairs(query) {
        let ty = fields.iter().find(|f| f.wire_name == key).map(|f| &f.ty);
        let value = match ty {
            Some(Type::Scalar(Scalar::Integer)) => raw.parse::<i64>().map(Value::from).ok(),
            Some(Type::Scalar(Scalar::Number)) => raw.parse::<f64>().ok().map(Value::from),
            Some(Type::Scalar(Scalar::Boolean)) => raw.parse::<bool>().map(Value::from).ok(),
            _ => None,
        };
        object.insert(key, value.unwrap_or(Value::String(raw)));
    }
    Value::Object(object)
}

pub(crate) fn form_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The operation's example response (or, where the docs show none, one sampled from its
/// types), with the request's ids echoed where the answer has them.
fn example(api: &Api, op: &Operation, path_values: &[(String, String)], params: &Value) -> Value {
    let mut body = pabbly_spec::sample::response(api, op);
    let target = match op.response.envelope {
        Envelope::Data => body.get_mut("data"),
        Envelope::MessageList | Envelope::Message => None,
        Envelope::Bare => Some(&mut body),
    };
    if let Some(Value::Object(data)) = target {
        echo(data, op, path_values, params);
    }
    body
}

fn echo(
    data: &mut Map<String, Value>,
    op: &Operation,
    path_values: &[(String, String)],
    params: &Value,
) {
    for (name, value) in path_values {
        if let Some(slot) = data.get_mut(name) {
            *slot = Value::String(value.clone());
        }
    }
    if let Value::Object(params) = params {
        for (key, value) in params {
            if let Some(slot) = data.get_mut(key)
                && slot.is_string()
                && (value.is_string() || value.is_number())
            {
                *slot = value.clone();
            }
        }
    }
    // Reading, changing or deleting one object by its id answers with that object's id; a POST
    // under a parent's id creates something new and keeps the example's own id.
    let reads_by_id = !matches!(op.method, SpecMethod::Post);
    if let ([(_, id)], true, Some(slot)) = (path_values, reads_by_id, data.get_mut("id")) {
        *slot = Value::String(id.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Routes;

    /// Two operations on one path, told apart by their body, as Pabbly's refunds are.
    fn shared_path() -> &'static Api {
        let yaml = "spec_version: 1
api:
  title: T
  version: v1
  base_url: https://x.test/api/v1
  auth: basic
operations:
  - id: refunds.refund
    method: POST
    path: /refund/{id}
    summary: S.
    path_params:
      id: { type: string }
    response:
      data: { type: any }
  - id: refunds.record
    method: POST
    path: /refund/{id}
    summary: S.
    path_params:
      id: { type: string }
    body:
      amount: { type: integer }
    response:
      data: { type: any }
";
        Box::leak(Box::new(
            pabbly_spec::load_str(yaml, "t.yaml").expect("a valid spec"),
        ))
    }

    fn chosen(api: &'static Api, body: &[u8]) -> String {
        let lookup = Routes::new(api).find("POST", "/api/v1/refund/r1");
        match choose(api, lookup, None, Some(body)) {
            Lookup::Operations(candidates) if candidates.len() == 1 => {
                candidates[0].operation.id.clone()
            }
            _ => "none".to_owned(),
        }
    }

    #[test]
    fn parameters_tell_operations_on_one_path_apart() {
        let api = shared_path();
        assert_eq!(chosen(api, b""), "refunds.refund");
        assert_eq!(chosen(api, b"{\"amount\": 5}"), "refunds.record");
        // Wrong parameters go to the operation that takes parameters, which reports them.
        assert_eq!(chosen(api, b"{\"amount\": \"five\"}"), "refunds.record");
        assert_eq!(chosen(api, b"{not json"), "refunds.record");
    }
}
